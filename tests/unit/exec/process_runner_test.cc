#include "kernel/exec/process_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace berth {
namespace {

ProcessSpec Spec(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

TEST(ProcessRunnerTest, CapturesOutputAndExitCode) {
  SpawnProcessRunner runner;
  auto r = runner.Run(Spec({"sh", "-c", "echo out; echo err >&2; exit 3"}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->stdout_data, "out\n");
  EXPECT_EQ(r->stderr_data, "err\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->timed_out);
}

TEST(ProcessRunnerTest, FeedsStdinAndEnvironment) {
  SpawnProcessRunner runner;
  std::string big(1 << 20, 'x');  // more than a pipe buffer holds
  ProcessSpec spec = Spec({"sh", "-c", "echo $GREETING; wc -c"});
  spec.env = {{"GREETING", "hello"}};
  spec.stdin_data = big;
  auto r = runner.Run(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stdout_data, "hello\n1048576\n");
}

TEST(ProcessRunnerTest, WithoutInheritTheEnvironmentIsOnlyWhatIsGiven) {
  SpawnProcessRunner runner;
  setenv("BERTH_EXEC_TEST_LEAK", "1", 1);
  ProcessSpec spec = Spec({"/usr/bin/env"});
  spec.env = {{"ONLY", "this"}};
  spec.inherit_env = false;
  auto r = runner.Run(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stdout_data, "ONLY=this\n");
}

TEST(ProcessRunnerTest, KillsAtTimeout) {
  SpawnProcessRunner runner;
  auto start = std::chrono::steady_clock::now();
  ProcessSpec spec = Spec({"sleep", "30"});
  spec.timeout = std::chrono::milliseconds(200);
  auto r = runner.Run(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(ProcessRunnerTest, MissingProgramIsNotFoundNamingIt) {
  SpawnProcessRunner runner;
  auto r = runner.Run(Spec({"berth-no-such-program"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("berth-no-such-program"),
            std::string::npos);
}

TEST(ProcessRunnerTest, RunsInWorkingDir) {
  SpawnProcessRunner runner;
  ProcessSpec spec = Spec({"pwd"});
  spec.working_dir = "/tmp";
  auto r = runner.Run(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stdout_data, "/tmp\n");
}

TEST(ProcessRunnerTest, DaemonRunsInItsOwnSessionAndIsReaped) {
  SpawnProcessRunner runner;
  auto dir = std::filesystem::temp_directory_path() /
             ("berth-exec-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / "out").string();
  DaemonSpec spec;
  spec.argv = {"sh", "-c", "echo sid=$(cut -d' ' -f6 /proc/self/stat)"};
  spec.stdout_path = out;
  auto pid = runner.SpawnDaemon(spec);
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  // Reaped: the pid stops existing (a zombie would still answer kill 0).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (kill(*pid, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(kill(*pid, 0), 0) << "daemon left as a zombie";
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "sid=" + std::to_string(*pid));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth
