// Test support for driving the real kubectl against a started BerthServer:
// whether kubectl is installed, the skip message when it is not, the
// environment it runs with, and EXPECT_OK for a command that must succeed.
//
// Thread safety: pure functions.
#ifndef BERTH_TESTS_SUPPORT_KUBECTL_H_
#define BERTH_TESTS_SUPPORT_KUBECTL_H_

#include <map>
#include <string>

#include "tests/support/process.h"

namespace berth::testing {

// For GTEST_SKIP() when HaveKubectl() is false.
inline constexpr char kNoKubectl[] =
    "kubectl is not installed (scripts/install-deps.sh explains where it "
    "comes from)";

// True when a kubectl is on PATH.
inline bool HaveKubectl() {
  return RunCommand("command -v kubectl").exit_code == 0;
}

// The server's admin kubeconfig, and a HOME of the test's own: kubectl keeps
// a discovery cache under $HOME that must not leak between servers.
inline std::map<std::string, std::string> KubectlEnv(const BerthServer& server,
                                                     const std::string& home) {
  return {{"KUBECONFIG", server.kubeconfig()}, {"HOME", home}};
}

}  // namespace berth::testing

// A CommandResult `r` that must have exited 0; prints its output otherwise.
#define EXPECT_OK(r)          \
  EXPECT_EQ((r).exit_code, 0) \
      << "stdout: " << (r).out << "\nstderr: " << (r).err

#endif  // BERTH_TESTS_SUPPORT_KUBECTL_H_
