// SimClusterTest: a gtest fixture base for the e2e tests of controllers
// against a real `berth server` whose node is simulated (core, workloads,
// scheduler and the sim node plugin with 1 s heartbeats). The server is
// started once per test suite; each test runs in its own namespace, named
// after the test in lower case, so counts never mix.
//
// Thread safety: as gtest runs fixtures; the suite's server is shared by
// its tests, which run one at a time.
#ifndef BERTH_TESTS_SUPPORT_SIM_CLUSTER_TEST_H_
#define BERTH_TESTS_SUPPORT_SIM_CLUSTER_TEST_H_

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth::testing {

class SimClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveKubectl()) return;
    dir_ = new TempDir();
    std::filesystem::create_directories(dir_->path() + "/home");
    server_ = new BerthServer(dir_->path() + "/data");
    const std::string config = dir_->path() + "/berth.yaml";
    std::ofstream(config) << "plugins:\n"
                          << "  - core\n"
                          << "  - workloads\n"
                          << "  - scheduler\n"
                          << "  - name: sim\n"
                          << "    settings: {heartbeatSeconds: 1}\n";
    ASSERT_TRUE(server_->Start({"--config", config})) << server_->log();
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
    ns_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : ns_) c = static_cast<char>(std::tolower(c));
    ASSERT_EQ(Kubectl("create namespace " + ns_).exit_code, 0);
  }

  // kubectl with the admin kubeconfig, killed after `timeout` seconds.
  static CommandResult Run(const std::string& args,
                           const std::string& input = "", int timeout = 120) {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_->path() + "/home"), input,
                      timeout);
  }
  // kubectl in the test's namespace.
  CommandResult Kubectl(const std::string& args, const std::string& input = "",
                        int timeout = 120) {
    return Run("-n " + ns_ + " " + args, input, timeout);
  }
  // Polls `probe` until it returns true (60 s at most).
  template <typename F>
  static bool Eventually(F probe) {
    for (int i = 0; i < 600; ++i) {
      if (probe()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  static inline TempDir* dir_ = nullptr;
  static inline BerthServer* server_ = nullptr;
  std::string ns_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_SIM_CLUSTER_TEST_H_
