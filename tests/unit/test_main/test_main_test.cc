// What ctest sees from a test binary built with tests/support/gtest_main.cc.
// ctest counts a run as skipped when its output has "[  SKIPPED ]" (the
// pattern gtest_discover_tests sets), whatever its exit code. A fixture
// whose SetUpTestSuite fails must count as a failure, so its tests must
// print FAILED, never that text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The probe's output with gtest's skip text spelled differently: this
// test's own output must never hold that text, or ctest would count this
// test as skipped when it fails.
struct ProbeRun {
  int exit_code = -1;
  bool skip_text = false;
  std::string shown;
};

ProbeRun RunProbe(const std::string& filter) {
  CommandResult r = RunCommand(std::string(TEST_MAIN_PROBE) +
                               " --gtest_filter=" + filter + " 2>&1");
  ProbeRun run;
  run.exit_code = r.exit_code;
  run.shown = r.out;
  const std::string text = "[  SKIPPED ]";
  for (size_t at = run.shown.find(text); at != std::string::npos;
       at = run.shown.find(text)) {
    run.skip_text = true;
    run.shown.replace(at, text.size(), "<gtest skip text>");
  }
  return run;
}

TEST(TestMain, AFailedSetUpTestSuiteIsAFailureNotASkip) {
  ProbeRun r = RunProbe("BrokenFixture.*");
  EXPECT_NE(r.exit_code, 0) << r.shown;
  EXPECT_FALSE(r.skip_text) << r.shown;
  EXPECT_THAT(r.shown, HasSubstr("[  FAILED  ] BrokenFixture.NeedsTheFixture"));
  EXPECT_THAT(r.shown, HasSubstr("the fixture could not start"));
}

TEST(TestMain, ASkippedTestIsStillASkip) {
  ProbeRun r = RunProbe("Skipping.*");
  EXPECT_EQ(r.exit_code, 0) << r.shown;
  EXPECT_TRUE(r.skip_text) << r.shown;
}

TEST(TestMain, APassingTestPasses) {
  ProbeRun r = RunProbe("Passing.*");
  EXPECT_EQ(r.exit_code, 0) << r.shown;
  EXPECT_FALSE(r.skip_text) << r.shown;
  EXPECT_THAT(r.shown, Not(HasSubstr("FAILED")));
}

}  // namespace
}  // namespace berth::testing
