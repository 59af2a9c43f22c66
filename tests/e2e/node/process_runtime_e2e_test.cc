// End-to-end: the node plugin with the real `process` runtime (host
// processes under berth-shim, in their own namespaces and cgroups) inside
// a real `berth server`, driven by the real kubectl. hostNetwork pods only
// (network: none), so no CNI is needed: a pod runs and writes its CRI log
// under rootDir, init containers run first, a failing command goes into
// CrashLoopBackOff with its exit in lastState, a restarted server adopts
// the running container instead of restarting it, `kubectl logs` and
// `kubectl exec` reach it, and a deleted pod leaves no process behind.
// Needs root and the process runtime plugin; skips with the reason
// otherwise. Waits poll with a generous deadline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Split(const std::string& lines) {
  std::vector<std::string> out;
  std::stringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string BuildDir() {
  const char* dir = std::getenv("BERTH_BUILD_DIR");
  return dir ? dir : ".";
}

class ProcessRuntimeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, cgroups)";
    if (!std::filesystem::exists(BuildDir() + "/plugins/berth_process.so")) {
      GTEST_SKIP() << "the process runtime plugin is not built";
    }
    std::filesystem::create_directories(dir_.path() + "/home");
    marker_ = std::to_string(100000 + getpid());
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_)
        << "plugins:\n"
        << "  - core\n"
        << "  - name: process\n"
        << "    settings: {root: " << dir_.path() << "/runtime}\n"
        << "  - name: node\n"
        << "    settings: {nodeName: proc-node, runtime: process, network: "
           "none, heartbeatSeconds: 1, rootDir: "
        << dir_.path() << "/node}\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  }
  void TearDown() override {
    if (!server_) return;  // skipped
    if (server_->pid() > 0) {
      // Delete what is left so no process outlives the test.
      Kubectl("delete pods --all --grace-period=0 --force --wait=false");
      Eventually([&] { return Processes().empty(); });
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
    // Belt and braces: the processes this test started (by their unique
    // marker) are killed by pid.
    for (const auto& pid : Split(Processes())) {
      RunCommand("kill -KILL " + pid);
    }
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"), input);
  }
  std::string Jsonpath(const std::string& object, const std::string& path) {
    return Kubectl("get " + object + " -o jsonpath='{" + path + "}'").out;
  }
  // Host processes running this test's marker command (the bracket keeps
  // the shell running pgrep from matching itself).
  std::string Processes() {
    return RunCommand("pgrep -f 'sleep [" + marker_.substr(0, 1) + "]" +
                      marker_.substr(1) + "'")
        .out;
  }
  // Polls `done` every 200 ms for up to 60 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 300; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  void Apply(const std::string& name, const std::string& spec) {
    EXPECT_OK(Kubectl("apply -f -",
                      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                          "\nspec:\n  nodeName: proc-node\n  hostNetwork: "
                          "true\n" +
                          spec));
  }

  TempDir dir_;
  std::string marker_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(ProcessRuntimeE2eTest, PodRunsWritesItsLogAndSurvivesAServerRestart) {
  // sleep as pid 1 ignores SIGTERM: the delete below waits out the grace
  // period, then SIGKILL.
  Apply("web",
        "  terminationGracePeriodSeconds: 2\n"
        "  initContainers:\n  - {name: first, image: busybox, command: [sh, "
        "-c, 'echo init-ran']}\n"
        "  containers:\n  - {name: app, image: busybox, command: [sh, -c], "
        "args: ['echo hello; exec sleep " +
            marker_ + "']}\n");
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("pod web", ".status.phase") == "Running";
  })) << Kubectl("get pod web -o yaml").out
      << server_->log();
  EXPECT_EQ(Jsonpath("pod web",
                     ".status.initContainerStatuses[0].state."
                     "terminated.reason"),
            "Completed");
  EXPECT_THAT(Jsonpath("pod web", ".status.containerStatuses[0].containerID"),
              HasSubstr("process://"));
  EXPECT_FALSE(Processes().empty());
  const std::string uid = Jsonpath("pod web", ".metadata.uid");
  const std::string log =
      dir_.path() + "/node/pods/default_web_" + uid + "/app/0.log";
  EXPECT_TRUE(Eventually([&] {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return text.str().find("stdout F hello") != std::string::npos;
  })) << log;

  // kubectl logs and exec reach the container through the API server.
  EXPECT_THAT(Kubectl("logs web").out, HasSubstr("hello"));
  EXPECT_THAT(Kubectl("logs web -c first").out, HasSubstr("init-ran"));
  auto exec = Kubectl("exec web -- sh -c 'echo in-pod; exit 4'");
  EXPECT_EQ(exec.exit_code, 4) << exec.err;
  EXPECT_THAT(exec.out, HasSubstr("in-pod"));

  // The agent restarts with the server; the container does not.
  const std::string id =
      Jsonpath("pod web", ".status.containerStatuses[0].containerID");
  ASSERT_EQ(server_->Stop(), 0) << server_->log();
  EXPECT_FALSE(Processes().empty());
  ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(Jsonpath("pod web", ".status.containerStatuses[0].containerID"),
            id);
  EXPECT_EQ(Jsonpath("pod web", ".status.containerStatuses[0].restartCount"),
            "0");
  EXPECT_EQ(Jsonpath("pod web", ".status.phase"), "Running");

  // Deleted: nothing of it keeps running.
  EXPECT_OK(Kubectl("delete pod web --wait=true --timeout=60s"));
  EXPECT_TRUE(Eventually([&] { return Processes().empty(); })) << Processes();
}

TEST_F(ProcessRuntimeE2eTest, FailingCommandGoesIntoCrashLoopBackOff) {
  Apply("crash",
        "  containers:\n  - {name: app, image: busybox, command: [sh, -c, "
        "'exit 3']}\n");
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("pod crash",
                    ".status.containerStatuses[0].state.waiting.reason") ==
           "CrashLoopBackOff";
  })) << Kubectl("get pod crash -o yaml").out;
  EXPECT_EQ(Jsonpath("pod crash",
                     ".status.containerStatuses[0].lastState."
                     "terminated.exitCode"),
            "3");
  EXPECT_THAT(Kubectl("get pods").out,
              ::testing::MatchesRegex(
                  "(.|\n)*crash +0/1 +CrashLoopBackOff +[1-9](.|\n)*"));
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("get events")
               .out.find("Back-off restarting failed container app") !=
           std::string::npos;
  }));
}

}  // namespace
}  // namespace berth::testing
