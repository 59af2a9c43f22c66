// Not a test of its own: test_main_test runs it with one suite selected.
// BrokenFixture stands for a fixture that cannot start what its tests need.
#include <gtest/gtest.h>

namespace {

class BrokenFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { FAIL() << "the fixture could not start"; }
};

TEST_F(BrokenFixture, NeedsTheFixture) { SUCCEED(); }

TEST(Skipping, SkipsWithAReason) { GTEST_SKIP() << "needs something absent"; }

TEST(Passing, Passes) { SUCCEED(); }

}  // namespace
