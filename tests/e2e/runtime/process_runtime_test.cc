// The process runtime on the real machine: host commands run by berth-shim
// in their own pid/mount namespaces, joined to a sandbox's netns and
// IPC/UTS, under cgroup v1 limits, with CRI logs, exec, port-forward and
// recovery by a fresh runtime object. Needs root.
#include "process_runtime.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "cgroups.h"
#include "kernel/exec/process_runner.h"
#include "runtime_test_support.h"
#include "tests/support/temp_dir.h"

namespace berth::testing {
namespace {

using runtime::ProcessRuntime;
using runtime::ShimRuntimeOptions;

class ProcessRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, cgroups)";
    ASSERT_FALSE(dir_.path().empty());
    rt_ = MakeRuntime();
  }
  void TearDown() override {
    if (!rt_) return;
    auto list = rt_->ListPodSandboxes();
    if (list.ok()) {
      for (const auto& s : *list) EXPECT_TRUE(rt_->RemovePodSandbox(s.id).ok());
    }
    RemoveTestCgroupParent();
  }
  std::unique_ptr<ProcessRuntime> MakeRuntime() {
    ShimRuntimeOptions o;
    o.name = "process";
    o.root = dir_.path() + "/root";
    o.shim_path = ShimPath();
    o.runner = &runner_;
    return std::make_unique<ProcessRuntime>(o);
  }
  std::string Name(const std::string& what) {
    return "proc-" + what + "-" + std::to_string(getpid());
  }
  std::string RunSandbox(const std::string& what) {
    auto id =
        rt_->RunPodSandbox(SandboxConfig(Name(what), dir_.path() + "/logs"));
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : "";
  }
  ContainerConfig Container(const std::string& name,
                            std::vector<std::string> command) {
    ContainerConfig c;
    c.name = name;
    c.command = std::move(command);
    c.log_path = dir_.path() + "/logs/" + name + ".log";
    return c;
  }
  std::string Start(const std::string& sandbox, const ContainerConfig& c) {
    auto id = rt_->CreateContainer(sandbox, c, PodSandboxConfig{});
    EXPECT_TRUE(id.ok()) << id.status().message();
    if (!id.ok()) return "";
    Status s = rt_->StartContainer(*id);
    EXPECT_TRUE(s.ok()) << s.message();
    return *id;
  }
  int ContainerPid(const std::string& id) {
    return std::stoi(ReadAll(dir_.path() + "/root/containers/" + id + "/pid"));
  }

  TempDir dir_;
  SpawnProcessRunner runner_;
  std::unique_ptr<ProcessRuntime> rt_;
};

TEST_F(ProcessRuntimeTest, IgnoresImagesAndNeedsACommand) {
  EXPECT_EQ(rt_->Name(), "process");
  EXPECT_FALSE(rt_->UsesImages());
  std::string sb = RunSandbox("nocmd");
  auto c = Container("nocmd", {});
  c.image = "busybox";
  auto id = rt_->CreateContainer(sb, c, PodSandboxConfig{});
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Status::Code::kInvalid);
}

TEST_F(ProcessRuntimeTest, WritesCriLogsAndRecordsTheExit) {
  std::string sb = RunSandbox("logs");
  auto c = Container("logs", {"/bin/sh", "-c",
                              "echo to-out; echo to-err >&2; printf tail; "
                              "exit 3"});
  std::string id = Start(sb, c);
  ContainerStatus st = WaitExited(*rt_, id);
  ASSERT_EQ(st.state, ContainerState::kExited);
  EXPECT_EQ(st.exit_code, 3);
  EXPECT_EQ(st.reason, "Error");
  ASSERT_TRUE(st.started_at.has_value());
  ASSERT_TRUE(st.finished_at.has_value());
  EXPECT_GE(*st.finished_at, *st.started_at);
  std::string log = ReadAll(c.log_path);
  EXPECT_NE(log.find(" stdout F to-out\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" stderr F to-err\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" stdout F tail\n"), std::string::npos) << log;
  // "<RFC3339Nano> ..." lines: a date, a 'T', nanoseconds, 'Z'.
  EXPECT_EQ(log.substr(4, 1), "-");
  EXPECT_EQ(log.substr(10, 1), "T");
  EXPECT_EQ(log.substr(29, 2), "Z ");
}

TEST_F(ProcessRuntimeTest, OwnPidNamespaceAndCgroupLimits) {
  std::string sb = RunSandbox("ns");
  auto c = Container("ns", {"/bin/sh", "-c", "echo pid=$$; sleep 600"});
  c.resources.memory_limit_bytes = 64 << 20;
  c.resources.pids_limit = 20;
  c.resources.cpu_quota_us = 50000;
  std::string id = Start(sb, c);
  ASSERT_TRUE(Eventually([&] {
    return ReadAll(c.log_path).find("pid=1\n") != std::string::npos;
  })) << ReadAll(c.log_path);
  auto rec = rt_->LoadContainer(id);
  ASSERT_TRUE(rec.ok());
  std::string cg =
      ReadAll("/proc/" + std::to_string(ContainerPid(id)) + "/cgroup");
  const bool v2 = runtime::Cgroups::Detect().unified();
  EXPECT_NE(cg.find((v2 ? "0::" : ":memory:") + rec->cgroup + "\n"),
            std::string::npos)
      << cg;
  const CgroupLimits limits = ReadCgroupLimits(rec->cgroup);
  EXPECT_EQ(limits.memory, std::to_string(64 << 20));
  EXPECT_EQ(limits.pids, "20");
  EXPECT_EQ(limits.cpu_quota, "50000");
  // Its own pid namespace; the sandbox's network namespace.
  std::string pid = std::to_string(ContainerPid(id));
  EXPECT_NE(std::filesystem::read_symlink("/proc/" + pid + "/ns/pid"),
            std::filesystem::read_symlink("/proc/self/ns/pid"));
  EXPECT_NE(std::filesystem::read_symlink("/proc/" + pid + "/ns/net"),
            std::filesystem::read_symlink("/proc/self/ns/net"));
}

TEST_F(ProcessRuntimeTest, MemoryHogIsOomKilled) {
  std::string sb = RunSandbox("oom");
  auto c = Container("hog", {"/bin/sh", "-c",
                             "x=$(head -c 67108864 /dev/zero | tr '\\0' x); "
                             "echo survived"});
  c.resources.memory_limit_bytes = 32 << 20;
  std::string id = Start(sb, c);
  ContainerStatus st = WaitExited(*rt_, id);
  ASSERT_EQ(st.state, ContainerState::kExited);
  EXPECT_EQ(st.reason, "OOMKilled");
  EXPECT_NE(st.exit_code, 0);
}

TEST_F(ProcessRuntimeTest, StopKillsATermIgnoringProcessAfterGrace) {
  std::string sb = RunSandbox("stop");
  auto c = Container("stubborn", {"/bin/sh", "-c",
                                  "trap '' TERM; echo ready; "
                                  "while true; do sleep 1; done"});
  std::string id = Start(sb, c);
  ASSERT_TRUE(Eventually(
      [&] { return ReadAll(c.log_path).find("ready") != std::string::npos; }));
  Status s = rt_->StopContainer(id, std::chrono::seconds(1));
  ASSERT_TRUE(s.ok()) << s.message();
  auto st = rt_->GetContainerStatus(id);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->state, ContainerState::kExited);
  EXPECT_EQ(st->exit_code, 128 + SIGKILL);
}

TEST_F(ProcessRuntimeTest, ExecSyncAndExecWithStdin) {
  std::string sb = RunSandbox("exec");
  std::string id = Start(sb, Container("exec", {"/bin/sleep", "600"}));
  auto r =
      rt_->ExecSync(id, {"/bin/sh", "-c", "echo pid=$$; echo err >&2; exit 4"},
                    std::chrono::seconds(10));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 4);
  // In the container's pid namespace: the container is pid 1.
  EXPECT_NE(r->stdout_data, "pid=1\n");
  EXPECT_EQ(r->stdout_data.rfind("pid=", 0), 0u);
  EXPECT_EQ(r->stderr_data, "err\n");
  auto ps = rt_->ExecSync(id, {"/bin/cat", "/proc/1/cmdline"},
                          std::chrono::seconds(10));
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->stdout_data.substr(0, 10), std::string("/bin/sleep"));

  FakeExecStreams streams(true, "hello from stdin\n");
  auto code = rt_->Exec(id, {"/bin/sh", "-c", "cat; exit 7"}, streams);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 7);
  EXPECT_EQ(streams.out(), "hello from stdin\n");
}

// A command that exits while the client still holds stdin open (kubectl
// exec -i with nothing typed): Exec returns with the exit code, having
// ended its stdin reader through CloseStdin instead of leaving it behind.
TEST_F(ProcessRuntimeTest, ExecReturnsWhileStdinStaysOpen) {
  std::string sb = RunSandbox("silent");
  std::string id = Start(sb, Container("silent", {"/bin/sleep", "600"}));
  SilentStdinStreams streams;
  auto code = rt_->Exec(id, {"/bin/sh", "-c", "echo done; exit 3"}, streams);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(streams.out(), "done\n");
  EXPECT_EQ(streams.readers(), 0) << "a stdin reader outlived Exec";
}

TEST_F(ProcessRuntimeTest, ExecWithATerminal) {
  std::string sb = RunSandbox("tty");
  std::string id = Start(sb, Container("tty", {"/bin/sleep", "600"}));
  FakeExecStreams streams(true, "tty; stty size; exit 5\n", true);
  auto code = rt_->Exec(id, {"sh"}, streams);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 5) << streams.out();
  EXPECT_NE(streams.out().find("/dev/pts/"), std::string::npos)
      << streams.out();
  EXPECT_NE(streams.out().find("40 100"), std::string::npos) << streams.out();
}

TEST_F(ProcessRuntimeTest, ContainersOfASandboxShareNetworkAndIpc) {
  if (!std::filesystem::exists("/bin/busybox")) {
    GTEST_SKIP() << "needs busybox-static";
  }
  std::string sb = RunSandbox("share");
  std::string www = dir_.path() + "/www";
  std::filesystem::create_directories(www);
  std::ofstream(www + "/index.html") << "hello from a\n";
  std::string a = Start(sb, Container("a", {"/bin/busybox", "httpd", "-f", "-p",
                                            "127.0.0.1:8081", "-h", www}));
  std::string b = Start(sb, Container("b", {"/bin/sleep", "600"}));
  std::string got;
  ASSERT_TRUE(Eventually([&] {
    auto r = rt_->ExecSync(
        b, {"/bin/busybox", "wget", "-qO-", "http://127.0.0.1:8081/index.html"},
        std::chrono::seconds(5));
    got = r.ok() ? r->stdout_data : r.status().message();
    return got == "hello from a\n";
  })) << got;
  std::string pa = std::to_string(ContainerPid(a));
  std::string pb = std::to_string(ContainerPid(b));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pa + "/ns/ipc"),
            std::filesystem::read_symlink("/proc/" + pb + "/ns/ipc"));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pa + "/ns/uts"),
            std::filesystem::read_symlink("/proc/" + pb + "/ns/uts"));
  // Not reachable from the host's namespace.
  FakePortForwardStream pf(8081, "GET /index.html HTTP/1.0\r\n\r\n");
  Status s = rt_->PortForward(sb, pf);
  ASSERT_TRUE(s.ok()) << s.message() << pf.error();
  EXPECT_NE(pf.reply().find("hello from a"), std::string::npos) << pf.reply();
  FakePortForwardStream closed(8082, "x");
  EXPECT_FALSE(rt_->PortForward(sb, closed).ok());
  EXPECT_NE(closed.error().find("8082"), std::string::npos);
}

TEST_F(ProcessRuntimeTest, AttachFeedsStdinAndReadsOutput) {
  std::string sb = RunSandbox("attach");
  auto c = Container("attach", {"/bin/sh", "-c",
                                "echo waiting; read line; echo got-$line; "
                                "read more || echo stdin-closed"});
  c.stdin_open = true;
  c.stdin_once = true;
  std::string id = Start(sb, c);
  FakeExecStreams streams(true, "hello\n");
  Status s = rt_->Attach(id, streams);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(streams.out().find("got-hello\n"), std::string::npos)
      << streams.out();
  EXPECT_NE(streams.out().find("stdin-closed\n"), std::string::npos)
      << streams.out();
  ContainerStatus st = WaitExited(*rt_, id);
  EXPECT_EQ(st.exit_code, 0);
  EXPECT_NE(ReadAll(c.log_path).find(" stdout F got-hello\n"),
            std::string::npos);
}

TEST_F(ProcessRuntimeTest, TtyContainerAttach) {
  std::string sb = RunSandbox("ttyctr");
  auto c = Container("ttyctr", {"/bin/sh"});
  c.tty = true;
  c.stdin_open = true;
  c.stdin_once = true;
  std::string id = Start(sb, c);
  FakeExecStreams streams(true, "tty; stty size; exit 6\n", true);
  Status s = rt_->Attach(id, streams);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(streams.out().find("/dev/pts/"), std::string::npos)
      << streams.out();
  EXPECT_NE(streams.out().find("40 100"), std::string::npos) << streams.out();
  EXPECT_EQ(WaitExited(*rt_, id).exit_code, 6);
  EXPECT_NE(ReadAll(c.log_path).find("40 100"), std::string::npos);
}

TEST_F(ProcessRuntimeTest, ReopenContainerLogAfterRotation) {
  std::string sb = RunSandbox("rotate");
  std::string flag = dir_.path() + "/flag";
  auto c = Container("rotate", {"/bin/sh", "-c",
                                "echo one; while [ ! -e " + flag +
                                    " ]; do sleep 0.05; done; echo two; "
                                    "sleep 600"});
  std::string id = Start(sb, c);
  ASSERT_TRUE(Eventually(
      [&] { return ReadAll(c.log_path).find("one") != std::string::npos; }));
  ASSERT_EQ(rename(c.log_path.c_str(), (c.log_path + ".1").c_str()), 0);
  Status s = rt_->ReopenContainerLog(id);
  ASSERT_TRUE(s.ok()) << s.message();
  // The shim reopens on a signal; wait until it made the new file.
  ASSERT_TRUE(Eventually([&] { return std::filesystem::exists(c.log_path); }));
  std::ofstream(flag) << "go";
  ASSERT_TRUE(Eventually(
      [&] { return ReadAll(c.log_path).find("two") != std::string::npos; }));
  EXPECT_EQ(ReadAll(c.log_path + ".1").find("two"), std::string::npos);
  EXPECT_NE(ReadAll(c.log_path + ".1").find("one"), std::string::npos);
}

TEST_F(ProcessRuntimeTest, HostNetworkSandboxUsesTheHostsNamespace) {
  PodSandboxConfig config = SandboxConfig(Name("hostnet"), dir_.path());
  config.host_network = true;
  auto sb = rt_->RunPodSandbox(config);
  ASSERT_TRUE(sb.ok()) << sb.status().message();
  auto st = rt_->SandboxStatus(*sb);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->netns_path, "");
  std::string id = Start(*sb, Container("hostnet", {"/bin/sleep", "600"}));
  std::string pid = std::to_string(ContainerPid(id));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pid + "/ns/net"),
            std::filesystem::read_symlink("/proc/self/ns/net"));
}

TEST_F(ProcessRuntimeTest, VolumesAreMountedInItsOwnMountNamespace) {
  std::string data = dir_.path() + "/data";
  std::filesystem::create_directories(data);
  std::ofstream(data + "/in") << "from host\n";
  std::string target = dir_.path() + "/mnt/data";  // created by the shim
  std::string ro = dir_.path() + "/mnt/ro";
  std::string sb = RunSandbox("vol");
  auto c = Container(
      "vol", {"/bin/sh", "-c",
              "cat " + target + "/in; echo out > " + target + "/out; touch " +
                  ro + "/x 2>/dev/null || echo ro-ok"});
  c.mounts.push_back({data, target, false, "None"});
  c.mounts.push_back({data, ro, true, "None"});
  std::string id = Start(sb, c);
  ContainerStatus st = WaitExited(*rt_, id);
  std::string log = ReadAll(c.log_path);
  EXPECT_EQ(st.exit_code, 0) << log;
  EXPECT_NE(log.find(" stdout F from host\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" stdout F ro-ok\n"), std::string::npos) << log;
  EXPECT_EQ(ReadAll(data + "/out"), "out\n");
  // The host never saw the container's mounts.
  EXPECT_EQ(CountMounts(dir_.path() + "/mnt"), 0);
}

TEST_F(ProcessRuntimeTest, HostPidSandboxKeepsTheHostsPidNamespace) {
  PodSandboxConfig config = SandboxConfig(Name("hostpid"), dir_.path());
  config.host_pid = true;
  auto sb = rt_->RunPodSandbox(config);
  ASSERT_TRUE(sb.ok()) << sb.status().message();
  std::string id = Start(*sb, Container("hostpid", {"/bin/sleep", "600"}));
  std::string pid = std::to_string(ContainerPid(id));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pid + "/ns/pid"),
            std::filesystem::read_symlink("/proc/self/ns/pid"));
  Status s = rt_->StopContainer(id, std::chrono::seconds(0));
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(WaitExited(*rt_, id).exit_code, 128 + SIGKILL);
}

TEST_F(ProcessRuntimeTest, AFreshRuntimeFindsTheRunningContainer) {
  std::string sb = RunSandbox("restart");
  std::string id = Start(sb, Container("long", {"/bin/sleep", "600"}));
  int pid = ContainerPid(id);
  rt_.reset();
  rt_ = MakeRuntime();
  auto sandboxes = rt_->ListPodSandboxes();
  ASSERT_TRUE(sandboxes.ok());
  ASSERT_EQ(sandboxes->size(), 1u);
  EXPECT_EQ((*sandboxes)[0].id, sb);
  EXPECT_EQ((*sandboxes)[0].state, SandboxState::kReady);
  auto containers = rt_->ListContainers();
  ASSERT_TRUE(containers.ok());
  ASSERT_EQ(containers->size(), 1u);
  EXPECT_EQ((*containers)[0].id, id);
  EXPECT_EQ((*containers)[0].state, ContainerState::kRunning);
  EXPECT_EQ(ContainerPid(id), pid);
  EXPECT_EQ(kill(pid, 0), 0);
}

TEST_F(ProcessRuntimeTest, RemovePodSandboxLeavesNothingBehind) {
  std::string root = dir_.path() + "/root";
  int mounts_before = CountMounts(root);
  int procs_before = CountProcesses(root);
  std::string sb = RunSandbox("remove");
  auto sbrec = rt_->LoadSandbox(sb);
  ASSERT_TRUE(sbrec.ok());
  std::string id = Start(sb, Container("c", {"/bin/sleep", "600"}));
  auto crec = rt_->LoadContainer(id);
  ASSERT_TRUE(crec.ok());
  int pid = ContainerPid(id);
  EXPECT_GT(CountMounts(root), mounts_before);
  EXPECT_GT(CountProcesses(root), procs_before);
  EXPECT_GT(CountCgroupDirs(sbrec->cgroup_parent), 0);

  Status s = rt_->RemovePodSandbox(sb);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(CountMounts(root), mounts_before);
  EXPECT_EQ(CountProcesses(root), procs_before);
  EXPECT_NE(kill(pid, 0), 0);
  EXPECT_EQ(CountCgroupDirs(sbrec->cgroup_parent), 0);
  EXPECT_FALSE(std::filesystem::exists(sbrec->netns_path));
  EXPECT_FALSE(std::filesystem::exists(crec->dir));
  auto list = rt_->ListPodSandboxes();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(rt_->RemovePodSandbox(sb).ok());  // idempotent
}

}  // namespace
}  // namespace berth::testing
