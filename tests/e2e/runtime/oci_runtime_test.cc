// The oci runtimes (runc and crun) on the real machine: busybox containers
// on an overlayfs root in a sandbox's netns/IPC/UTS, CRI logs, exit codes,
// OOM kills under a cgroup v1 memory limit, stop with a grace period, exec,
// port-forward, recovery by a fresh runtime object and complete cleanup.
// Needs root and the runtime binary; skips with the reason otherwise.
#include "oci_runtime.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "fake_image_store.h"
#include "kernel/exec/process_runner.h"
#include "runtime_test_support.h"
#include "tests/support/temp_dir.h"

namespace berth::testing {
namespace {

using runtime::OciRuntime;
using runtime::OciRuntimeOptions;

class OciRuntimeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, cgroups)";
    binary_ = GetParam() == "runc" ? "/usr/sbin/runc" : "/usr/bin/crun";
    if (access(binary_.c_str(), X_OK) != 0) {
      GTEST_SKIP() << binary_ << " is not installed";
    }
    ASSERT_FALSE(dir_.path().empty());
    images_ = std::make_shared<FakeImageStore>(dir_.path());
    if (!images_->ok()) GTEST_SKIP() << "needs /bin/busybox (busybox-static)";
    rt_ = MakeRuntime();
  }
  void TearDown() override {
    if (!rt_) return;
    auto list = rt_->ListPodSandboxes();
    if (list.ok()) {
      for (const auto& s : *list) {
        Status st = rt_->RemovePodSandbox(s.id);
        EXPECT_TRUE(st.ok()) << st.message();
      }
    }
    RemoveTestCgroupParent();
  }
  std::unique_ptr<OciRuntime> MakeRuntime() {
    OciRuntimeOptions o;
    o.base.name = GetParam();
    o.base.root = dir_.path() + "/root";
    o.base.shim_path = ShimPath();
    o.base.runner = &runner_;
    o.binary = binary_;
    o.hide_unified_cgroup = GetParam() == "crun" &&
                            std::filesystem::exists("/sys/fs/cgroup/unified");
    o.images = images_;
    return std::make_unique<OciRuntime>(o);
  }
  std::string Name(const std::string& what) {
    return GetParam() + "-" + what + "-" + std::to_string(getpid());
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
    c.image = "busybox";
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
  std::string binary_;
  SpawnProcessRunner runner_;
  std::shared_ptr<FakeImageStore> images_;
  std::unique_ptr<OciRuntime> rt_;
};

TEST_P(OciRuntimeTest, NameVersionAndImages) {
  EXPECT_EQ(rt_->Name(), GetParam());
  // "runc 1.1.5+ds1", "crun 1.8.1": the binary's own version.
  std::string v = rt_->Version();
  ASSERT_GT(v.size(), GetParam().size() + 1) << v;
  EXPECT_EQ(v.substr(0, GetParam().size() + 1), GetParam() + " ");
  EXPECT_TRUE(isdigit(v[GetParam().size() + 1])) << v;
  EXPECT_TRUE(rt_->UsesImages());
  auto img = rt_->ImageStatus("busybox");
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(img->id, images_->record().info.id);
  EXPECT_TRUE(rt_->ImageStatus("nope").status().IsNotFound());
  // A container of a missing image is refused, naming the image.
  std::string sb = RunSandbox("noimage");
  auto c = Container("noimage", {"true"});
  c.image = "nope";
  auto id = rt_->CreateContainer(sb, c, PodSandboxConfig{});
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("nope"), std::string::npos);
  auto list = rt_->ListContainers();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_P(OciRuntimeTest, WritesCriLogsAndRecordsTheExit) {
  std::string sb = RunSandbox("logs");
  auto c = Container("logs", {"sh", "-c",
                              "echo out-$FROM_IMAGE-$(hostname); "
                              "echo to-err >&2; exit 3"});
  std::string id = Start(sb, c);
  ContainerStatus st = WaitExited(*rt_, id);
  ASSERT_EQ(st.state, ContainerState::kExited);
  EXPECT_EQ(st.exit_code, 3);
  EXPECT_EQ(st.reason, "Error");
  EXPECT_EQ(st.image_id, images_->record().info.id);
  ASSERT_TRUE(st.finished_at.has_value());
  ASSERT_TRUE(st.started_at.has_value());
  EXPECT_GE(*st.finished_at, *st.started_at);
  std::string log = ReadAll(c.log_path);
  // The image's environment, the pod's hostname (from the infra process).
  EXPECT_NE(log.find(" stdout F out-yes-" + Name("logs") + "\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(" stderr F to-err\n"), std::string::npos) << log;
}

TEST_P(OciRuntimeTest, ImageEntrypointAndCmdFollowKubernetesRules) {
  images_->record().run.entrypoint = {"echo", "from-entrypoint"};
  images_->record().run.cmd = {"from-cmd"};
  std::string sb = RunSandbox("args");
  auto c = Container("args", {});
  c.args = {"from-args"};
  std::string id = Start(sb, c);
  ASSERT_EQ(WaitExited(*rt_, id).exit_code, 0);
  EXPECT_NE(ReadAll(c.log_path).find(" stdout F from-entrypoint from-args\n"),
            std::string::npos)
      << ReadAll(c.log_path);
}

TEST_P(OciRuntimeTest, MemoryHogIsOomKilled) {
  std::string sb = RunSandbox("oom");
  auto c = Container("hog", {"sh", "-c",
                             "x=$(head -c 67108864 /dev/zero | tr '\\0' x); "
                             "echo survived"});
  c.resources.memory_limit_bytes = 32 << 20;
  std::string id = Start(sb, c);
  ContainerStatus st = WaitExited(*rt_, id);
  ASSERT_EQ(st.state, ContainerState::kExited);
  EXPECT_EQ(st.reason, "OOMKilled") << ReadAll(c.log_path);
  EXPECT_NE(st.exit_code, 0);
}

// The container's resources reach its cgroup through the OCI spec: cgroup
// v1 here, v2 in the qemu VM test (tests/vm).
TEST_P(OciRuntimeTest, CgroupLimitsReachTheContainer) {
  std::string sb = RunSandbox("limits");
  auto c = Container("limits", {"sleep", "600"});
  c.resources.memory_limit_bytes = 64 << 20;
  c.resources.pids_limit = 20;
  c.resources.cpu_quota_us = 50000;
  std::string id = Start(sb, c);
  auto rec = rt_->LoadContainer(id);
  ASSERT_TRUE(rec.ok());
  const CgroupLimits limits = ReadCgroupLimits(rec->cgroup);
  EXPECT_EQ(limits.memory, std::to_string(64 << 20));
  EXPECT_EQ(limits.pids, "20");
  EXPECT_EQ(limits.cpu_quota, "50000");
  EXPECT_TRUE(rt_->RemovePodSandbox(sb).ok());
}

TEST_P(OciRuntimeTest, StopKillsATermIgnoringProcessAfterGrace) {
  std::string sb = RunSandbox("stop");
  auto c = Container("stubborn", {"sh", "-c",
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

TEST_P(OciRuntimeTest, ExecSyncAndExecWithStdin) {
  std::string sb = RunSandbox("exec");
  std::string id = Start(sb, Container("exec", {"sleep", "600"}));
  auto r = rt_->ExecSync(
      id, {"sh", "-c", "echo hi-$FROM_IMAGE; echo err >&2; exit 4"},
      std::chrono::seconds(20));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 4);
  EXPECT_EQ(r->stdout_data, "hi-yes\n");
  EXPECT_EQ(r->stderr_data, "err\n");

  auto slow = rt_->ExecSync(id, {"sleep", "30"}, std::chrono::seconds(1));
  ASSERT_TRUE(slow.ok()) << slow.status().message();
  EXPECT_TRUE(slow->timed_out);
  // The timed-out command does not linger in the container.
  auto ps = rt_->ExecSync(id, {"ps"}, std::chrono::seconds(20));
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->stdout_data.find("sleep 30"), std::string::npos)
      << ps->stdout_data;

  FakeExecStreams streams(true, "hello from stdin\n");
  auto code = rt_->Exec(id, {"sh", "-c", "cat; exit 7"}, streams);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 7);
  EXPECT_EQ(streams.out(), "hello from stdin\n");
}

TEST_P(OciRuntimeTest, ExecWithATerminal) {
  std::string sb = RunSandbox("tty");
  std::string id = Start(sb, Container("tty", {"sleep", "600"}));
  // The pause lets the resize (SIGWINCH to runc, copied to its pty) land
  // before stty reads the size.
  FakeExecStreams streams(true, "sleep 1; tty; stty size; exit 5\n", true);
  auto code = rt_->Exec(id, {"sh"}, streams);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 5) << streams.out();
  EXPECT_NE(streams.out().find("/dev/pts/"), std::string::npos)
      << streams.out();
  EXPECT_NE(streams.out().find("40 100"), std::string::npos) << streams.out();
}

TEST_P(OciRuntimeTest, AttachFeedsStdinAndReadsOutput) {
  std::string sb = RunSandbox("attach");
  auto c = Container("attach", {"sh", "-c", "read line; echo got-$line"});
  c.stdin_open = true;
  c.stdin_once = true;
  std::string id = Start(sb, c);
  FakeExecStreams streams(true, "hello\n");
  Status s = rt_->Attach(id, streams);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(streams.out(), "got-hello\n");
  EXPECT_EQ(WaitExited(*rt_, id).exit_code, 0);
}

TEST_P(OciRuntimeTest, TtyContainerAttach) {
  std::string sb = RunSandbox("ttyctr");
  auto c = Container("ttyctr", {"sh"});
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

TEST_P(OciRuntimeTest, ContainersShareNetworkAndIpcAndPortForwardReachesThem) {
  std::string sb = RunSandbox("share");
  std::string a =
      Start(sb, Container("web", {"httpd", "-f", "-p", "8080", "-h", "/www"}));
  std::string b = Start(sb, Container("client", {"sleep", "600"}));
  std::string got;
  ASSERT_TRUE(Eventually([&] {
    auto r =
        rt_->ExecSync(b, {"wget", "-qO-", "http://127.0.0.1:8080/index.html"},
                      std::chrono::seconds(5));
    got = r.ok() ? r->stdout_data : r.status().message();
    return got == "hello from the pod\n";
  })) << got;
  std::string pa = std::to_string(ContainerPid(a));
  std::string pb = std::to_string(ContainerPid(b));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pa + "/ns/ipc"),
            std::filesystem::read_symlink("/proc/" + pb + "/ns/ipc"));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pa + "/ns/net"),
            std::filesystem::read_symlink("/proc/" + pb + "/ns/net"));
  EXPECT_NE(std::filesystem::read_symlink("/proc/" + pa + "/ns/net"),
            std::filesystem::read_symlink("/proc/self/ns/net"));
  FakePortForwardStream pf(8080, "GET /index.html HTTP/1.0\r\n\r\n");
  Status s = rt_->PortForward(sb, pf);
  ASSERT_TRUE(s.ok()) << s.message() << pf.error();
  EXPECT_NE(pf.reply().find("hello from the pod"), std::string::npos)
      << pf.reply();
}

TEST_P(OciRuntimeTest, VolumesUserAndReadOnlyRoot) {
  std::string data = dir_.path() + "/data";
  std::string conf = dir_.path() + "/conf";
  std::filesystem::create_directories(data);
  std::filesystem::create_directories(conf);
  std::ofstream(conf + "/app.conf") << "setting=1\n";
  chmod(data.c_str(), 0777);
  std::string sb = RunSandbox("vol");
  auto c = Container("vol",
                     {"sh", "-c",
                      "id -u; id -g; cat /conf/app.conf; echo hi > /data/out; "
                      "touch /conf/x 2>/dev/null || echo conf-ro; "
                      "touch /rootfile 2>/dev/null || echo root-ro; "
                      "echo t > /scratch/t && echo scratch-ok; "
                      "cat /etc/resolv.conf"});
  c.mounts.push_back({data, "/data", false, "None"});
  c.mounts.push_back({conf, "/conf", true, "None"});
  Mount scratch;
  scratch.container_path = "/scratch";
  scratch.tmpfs = true;
  scratch.tmpfs_size_bytes = 1 << 20;
  c.mounts.push_back(scratch);
  c.security.run_as_user = 1000;
  c.security.run_as_group = 2000;
  c.security.read_only_root_filesystem = true;
  std::string id = Start(sb, c);
  ContainerStatus st = WaitExited(*rt_, id);
  std::string log = ReadAll(c.log_path);
  EXPECT_EQ(st.exit_code, 0) << log;
  for (const char* want :
       {" stdout F 1000\n", " stdout F 2000\n", " stdout F setting=1\n",
        " stdout F conf-ro\n", " stdout F root-ro\n", " stdout F scratch-ok\n",
        " stdout F nameserver 10.96.0.10\n"}) {
    EXPECT_NE(log.find(want), std::string::npos) << want << " in " << log;
  }
  EXPECT_EQ(ReadAll(data + "/out"), "hi\n");
}

TEST_P(OciRuntimeTest, HostNetworkSandbox) {
  PodSandboxConfig config = SandboxConfig(Name("hostnet"), dir_.path());
  config.host_network = true;
  auto sb = rt_->RunPodSandbox(config);
  ASSERT_TRUE(sb.ok()) << sb.status().message();
  auto c = Container("hostnet", {"sleep", "600"});
  std::string id = Start(*sb, c);
  ASSERT_FALSE(id.empty()) << ReadAll(c.log_path);
  std::string pid = std::to_string(ContainerPid(id));
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + pid + "/ns/net"),
            std::filesystem::read_symlink("/proc/self/ns/net"));
}

TEST_P(OciRuntimeTest, AFreshRuntimeFindsTheRunningContainer) {
  std::string sb = RunSandbox("restart");
  std::string id = Start(sb, Container("long", {"sleep", "600"}));
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
  auto r = rt_->ExecSync(id, {"true"}, std::chrono::seconds(10));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
}

TEST_P(OciRuntimeTest, RemovePodSandboxLeavesNothingBehind) {
  std::string root = dir_.path() + "/root";
  int mounts_before = CountMounts(root);
  int procs_before = CountProcesses(root);
  std::string sb = RunSandbox("remove");
  auto sbrec = rt_->LoadSandbox(sb);
  ASSERT_TRUE(sbrec.ok());
  std::string id = Start(sb, Container("c", {"sleep", "600"}));
  auto crec = rt_->LoadContainer(id);
  ASSERT_TRUE(crec.ok());
  int pid = ContainerPid(id);
  EXPECT_GT(CountMounts(root), mounts_before);
  EXPECT_GT(CountProcesses(root), procs_before);
  EXPECT_GT(CountCgroupDirs(crec->cgroup), 0);

  Status s = rt_->RemovePodSandbox(sb);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(CountMounts(root), mounts_before);
  EXPECT_EQ(CountProcesses(root), procs_before);
  EXPECT_NE(kill(pid, 0), 0);
  EXPECT_EQ(CountCgroupDirs(sbrec->cgroup_parent), 0);
  EXPECT_FALSE(std::filesystem::exists(sbrec->netns_path));
  EXPECT_FALSE(std::filesystem::exists(crec->dir));
  // The OCI runtime forgot the container too.
  ProcessSpec list;
  list.argv = {binary_, "--root", root + "/" + GetParam() + "-state", "list",
               "-q"};
  auto out = runner_.Run(list);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->stdout_data.find(id), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Binaries, OciRuntimeTest,
                         ::testing::Values("runc", "crun"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace berth::testing
