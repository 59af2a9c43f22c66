// Kills a writer process with SIGKILL mid-stream and checks that every write
// it was told is durable is in the store after reopening.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kernel/store/store.h"

namespace berth::store {
namespace {

std::string CrashWriterPath() {
  if (const char* build = std::getenv("BERTH_BUILD_DIR")) {
    const std::filesystem::path p = std::filesystem::path(build) / "tests" /
                                    "unit" / "store" / "store_crash_writer";
    if (std::filesystem::exists(p)) return p.string();
  }
  return BERTH_STORE_CRASH_WRITER;
}

TEST(StoreCrashTest, AcknowledgedWritesSurviveKill9) {
  char tmpl[] = "/tmp/berth-store-crash-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string writer = CrashWriterPath();

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execl(writer.c_str(), writer.c_str(), dir.c_str(), "16",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);

  // Read while it runs so the pipe never fills and stalls the writer.
  std::string output;
  fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
  char buf[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    const ssize_t n = read(pipe_fds[0], buf, sizeof(buf));
    if (n > 0) {
      output.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      break;  // the writer died on its own
    } else {
      usleep(5000);
    }
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "writer exited early: " << output;
  fcntl(pipe_fds[0], F_SETFL, 0);
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof(buf))) > 0;) {
    output.append(buf, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);

  // A line cut by the kill was never fully printed, so never acknowledged.
  std::vector<std::string> keys;
  std::istringstream lines(output.substr(0, output.rfind('\n') + 1));
  for (std::string line; std::getline(lines, line);) keys.push_back(line);
  ASSERT_GT(keys.size(), 100u) << "the writer acknowledged too little";

  {
    auto store = OpenLevelDbStore(dir, {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (const std::string& key : keys) {
      auto got = (*store)->Get(key);
      ASSERT_TRUE(got.ok()) << "acknowledged key lost: " << key;
      EXPECT_EQ(*got->data, "payload-of:" + key);
    }
    EXPECT_GE((*store)->Count("/crash/"), keys.size());
    EXPECT_GE((*store)->CurrentRevision(), keys.size());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::store
