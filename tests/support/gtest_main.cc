// The main of every test binary (berth_add_test links it instead of
// gtest_main): gtest_main plus one listener, so that a fixture whose
// SetUpTestSuite failed fails its tests instead of skipping them.
//
// Why: gtest reports a failed SetUpTestSuite (a fixture that could not
// start its server, say) by printing "[  SKIPPED ]" for every test of the
// suite, and gtest_discover_tests gives ctest a SKIP_REGULAR_EXPRESSION
// matching that text, which wins over the exit code. A broken fixture then
// looked like a skip. The listener adds a failure to each such test as it
// starts, so gtest prints and counts it as FAILED.
#include <gtest/gtest.h>

namespace {

class SuiteSetUpFailures : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo& test) override {
    const ::testing::TestSuite* suite =
        ::testing::UnitTest::GetInstance()->current_test_suite();
    if (suite != nullptr && suite->ad_hoc_test_result().Failed()) {
      ADD_FAILURE() << "not run: SetUpTestSuite() of " << test.test_suite_name()
                    << " failed (its failure is printed above)";
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Owned by gtest from here.
  ::testing::UnitTest::GetInstance()->listeners().Append(
      new SuiteSetUpFailures);
  return RUN_ALL_TESTS();
}
