// End-to-end: `berth <word>` runs the extension executable berth-<word>
// (next to berth, else on $PATH) with the remaining args, passes its exit
// code through, and `berth --help` lists the extensions it finds.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/support/process.h"

namespace berth::testing {
namespace {

class CliExtensionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    std::string path = dir_.path() + "/berth-greet" + std::to_string(getpid());
    std::ofstream(path) << "#!/bin/sh\necho \"greet:$*\"\nexit 7\n";
    chmod(path.c_str(), 0755);
    word_ = "greet" + std::to_string(getpid());
  }
  std::map<std::string, std::string> Env() const {
    return {{"PATH", dir_.path() + ":/usr/bin:/bin"}};
  }

  TempDir dir_;
  std::string word_;
};

TEST_F(CliExtensionTest, UnknownWordRunsTheExtensionWithItsArgs) {
  auto r = RunCommand(BerthBinary() + " " + word_ + " a --flag b", Env());
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(r.out, "greet:a --flag b\n");
}

TEST_F(CliExtensionTest, HelpListsFoundExtensions) {
  auto r = RunCommand(BerthBinary() + " --help", Env());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("extensions:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  " + word_ + "\n"), std::string::npos) << r.out;
}

TEST_F(CliExtensionTest, UnknownWordWithoutExtensionIsAnError) {
  auto r = RunCommand(BerthBinary() + " nosuch" + word_, Env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace berth::testing
