// Test support for the container runtime tests: sandbox and container
// configs, fake exec / port-forward streams, waiting for a container to
// exit, and host-state counts (processes, mounts, cgroup dirs) to prove a
// sandbox left nothing behind.
//
// Thread safety: test-only helpers; one test thread, except the fakes,
// which are read and written from the runtime's threads.
#ifndef BERTH_TESTS_E2E_RUNTIME_RUNTIME_TEST_SUPPORT_H_
#define BERTH_TESTS_E2E_RUNTIME_RUNTIME_TEST_SUPPORT_H_

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "berth/runtime.h"
#include "berth/streams.h"
#include "cgroups.h"

namespace berth::testing {

inline std::string BuildDir() {
  const char* d = getenv("BERTH_BUILD_DIR");
  return d ? d : ".";
}

inline std::string ShimPath() { return BuildDir() + "/berth-shim"; }

// The cgroup parent of this test process's pods: "/berth-test-<pid>".
inline std::string TestCgroupParent() {
  return "/berth-test-" + std::to_string(getpid());
}

inline PodSandboxConfig SandboxConfig(const std::string& name,
                                      const std::string& log_dir) {
  PodSandboxConfig c;
  c.name = name;
  c.pod_namespace = "default";
  c.uid = name + "-uid";
  c.hostname = name;
  c.cgroup_parent = TestCgroupParent() + "/" + name;
  c.log_directory = log_dir;
  c.dns_servers = {"10.96.0.10"};
  c.dns_searches = {"default.svc.cluster.local"};
  return c;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls the container until it has exited (at most `limit`).
inline ContainerStatus WaitExited(
    ContainerRuntime& rt, const std::string& id,
    std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  ContainerStatus last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto st = rt.GetContainerStatus(id);
    if (st.ok()) {
      last = *st;
      if (st->state == ContainerState::kExited) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last;
}

// Polls `fn` until it returns true (at most `limit`).
template <typename F>
bool Eventually(F fn, std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fn()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// Lines of /proc/self/mountinfo mentioning `needle`.
inline int CountMounts(const std::string& needle) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) ++n;
  }
  return n;
}

// Processes whose command line mentions `needle`.
inline int CountProcesses(const std::string& needle) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::to_string(getpid()) == name) continue;
    std::string cmd = ReadAll(entry.path().string() + "/cmdline");
    for (char& c : cmd) {
      if (c == '\0') c = ' ';
    }
    if (cmd.find(needle) != std::string::npos) ++n;
  }
  return n;
}

// The memory, pids and CPU-quota limits of cgroup `path`, from the cgroup
// v1 files or, on a pure v2 machine, the v2 ones: {"67108864", "20",
// "50000"} whichever version wrote them.
struct CgroupLimits {
  std::string memory, pids, cpu_quota;
};
inline CgroupLimits ReadCgroupLimits(const std::string& path) {
  const runtime::Cgroups cgroups = runtime::Cgroups::Detect();
  auto read = [&](const char* controller, const char* file) {
    std::string v =
        ReadAll(cgroups.ControllerDir(controller, path) + "/" + file);
    return v.substr(0, v.find_first_of(" \n"));
  };
  if (cgroups.unified()) {
    return {read("memory", "memory.max"), read("pids", "pids.max"),
            read("cpu", "cpu.max")};
  }
  return {read("memory", "memory.limit_in_bytes"), read("pids", "pids.max"),
          read("cpu", "cpu.cfs_quota_us")};
}

// Cgroup directories named `path` in any hierarchy.
inline int CountCgroupDirs(const std::string& path) {
  int n = 0;
  for (const std::string& dir : runtime::Cgroups::Detect().AllDirs(path)) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) ++n;
  }
  return n;
}

// Removes this test process's empty pod cgroups and its own parent
// (TestCgroupParent()) wherever they exist. Each process has its own parent:
// a shared one, removed when empty, raced the other test process's runc
// creating its path ("cannot create cgroup .../berth-test/...").
inline void RemoveTestCgroupParent() {
  for (const std::string& d :
       runtime::Cgroups::Detect().AllDirs(TestCgroupParent())) {
    std::error_code ec;
    std::filesystem::path dir = d;
    if (!std::filesystem::exists(dir, ec)) continue;
    for (const auto& child : std::filesystem::directory_iterator(dir, ec)) {
      if (child.is_directory(ec)) rmdir(child.path().c_str());
    }
    rmdir(dir.c_str());
  }
}

// ExecStreams with canned stdin, collecting the output. With a tty, the
// terminal is resized to 100x40 before the input is typed.
class FakeExecStreams : public ExecStreams {
 public:
  FakeExecStreams(bool with_stdin, std::string input, bool tty = false)
      : with_stdin_(with_stdin), input_(std::move(input)), tty_(tty) {}
  bool has_stdin() const override { return with_stdin_; }
  bool has_stdout() const override { return true; }
  bool has_stderr() const override { return !tty_; }
  bool tty() const override { return tty_; }
  bool ReadStdin(std::string& data) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (sent_) return false;
    sent_ = true;
    if (resize_) resize_(100, 40);
    data += input_;
    return true;
  }
  bool WriteStdout(std::string_view d) override {
    std::lock_guard<std::mutex> lock(mu_);
    out_.append(d);
    return true;
  }
  bool WriteStderr(std::string_view d) override {
    std::lock_guard<std::mutex> lock(mu_);
    err_.append(d);
    return true;
  }
  void OnResize(std::function<void(uint16_t, uint16_t)> fn) override {
    std::lock_guard<std::mutex> lock(mu_);
    resize_ = std::move(fn);
  }
  std::string out() {
    std::lock_guard<std::mutex> lock(mu_);
    return out_;
  }
  std::string err() {
    std::lock_guard<std::mutex> lock(mu_);
    return err_;
  }

 private:
  bool with_stdin_;
  std::string input_;
  bool tty_;
  std::function<void(uint16_t, uint16_t)> resize_;
  std::mutex mu_;
  bool sent_ = false;
  std::string out_, err_;
};

// ExecStreams whose stdin never ends on its own, as a kubectl user who
// types nothing: ReadStdin blocks until CloseStdin. readers() counts the
// threads inside ReadStdin; one still there once Exec returned would use
// the streams after the session is gone.
class SilentStdinStreams : public FakeExecStreams {
 public:
  SilentStdinStreams() : FakeExecStreams(true, "") {}
  bool ReadStdin(std::string& data) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++readers_;
    cv_.wait(lock, [this] { return closed_; });
    --readers_;
    return false;
  }
  void CloseStdin() override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  int readers() {
    std::lock_guard<std::mutex> lock(mu_);
    return readers_;
  }
  // Lets a reader left behind go (the test has failed by then).
  ~SilentStdinStreams() override {
    CloseStdin();
    while (readers() > 0) std::this_thread::yield();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false;
  int readers_ = 0;
};

// One forwarded connection: sends `request`, then half-closes; collects
// the reply and any error.
class FakePortForwardStream : public PortForwardStream {
 public:
  FakePortForwardStream(int port, std::string request)
      : port_(port), request_(std::move(request)) {}
  int port() const override { return port_; }
  bool Read(std::string& data) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (sent_) return false;
    sent_ = true;
    data += request_;
    return true;
  }
  bool Write(std::string_view data) override {
    std::lock_guard<std::mutex> lock(mu_);
    reply_.append(data);
    return true;
  }
  void WriteError(std::string_view message) override {
    std::lock_guard<std::mutex> lock(mu_);
    error_.append(message);
  }
  void Close() override {}
  std::string reply() {
    std::lock_guard<std::mutex> lock(mu_);
    return reply_;
  }
  std::string error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  int port_;
  std::string request_;
  std::mutex mu_;
  bool sent_ = false;
  std::string reply_, error_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_E2E_RUNTIME_RUNTIME_TEST_SUPPORT_H_
