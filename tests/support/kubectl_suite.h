// KubectlSuite: a GoogleTest fixture whose suite shares one started
// `berth server` (conf/control-plane.yaml) and drives it with the real kubectl.
// Every test skips with kNoKubectl when kubectl is not installed. Derive
// from it; `dir_` holds the data dir and kubectl's own HOME.
//
// Thread safety: one test thread, as GoogleTest runs suites.
#ifndef BERTH_TESTS_SUPPORT_KUBECTL_SUITE_H_
#define BERTH_TESTS_SUPPORT_KUBECTL_SUITE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth::testing {

class KubectlSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveKubectl()) return;
    dir_ = new TempDir();
    std::filesystem::create_directories(dir_->path() + "/home");
    server_ = new BerthServer(dir_->path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
  }
  static void TearDownTestSuite() {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
      delete server_;
      server_ = nullptr;
    }
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
  }

  static CommandResult Kubectl(const std::string& args,
                               const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_->path() + "/home"), input);
  }

  inline static TempDir* dir_ = nullptr;
  inline static BerthServer* server_ = nullptr;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_KUBECTL_SUITE_H_
