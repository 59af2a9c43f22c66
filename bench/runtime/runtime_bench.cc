// runtime_bench: how long the container runtimes take for a pod's
// lifecycle on this machine — RunPodSandbox, CreateContainer +
// StartContainer of a sleeping busybox/host process, ExecSync of `true`,
// StopContainer (SIGKILL) and RemovePodSandbox — per runtime (process,
// runc, crun), median and max over N rounds. Needs root.
//
// usage: runtime_bench [rounds]   (BERTH_BUILD_DIR locates berth-shim)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel/exec/process_runner.h"
#include "oci_runtime.h"
#include "process_runtime.h"
#include "tests/e2e/runtime/fake_image_store.h"
#include "tests/e2e/runtime/runtime_test_support.h"
#include "tests/support/temp_dir.h"

namespace {

using Clock = std::chrono::steady_clock;
using berth::ContainerConfig;
using berth::ContainerRuntime;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

bool Check(const berth::Status& s, const char* what) {
  if (!s.ok()) fprintf(stderr, "%s: %s\n", what, s.message().c_str());
  return s.ok();
}

void Run(const std::string& name, ContainerRuntime& rt, const std::string& dir,
         bool image, int rounds) {
  std::map<std::string, std::vector<double>> t;
  for (int i = 0; i < rounds; ++i) {
    auto cfg = berth::testing::SandboxConfig("bench-" + name + "-" +
                                                 std::to_string(getpid()) +
                                                 "-" + std::to_string(i),
                                             dir + "/logs");
    auto t0 = Clock::now();
    auto sb = rt.RunPodSandbox(cfg);
    if (!Check(sb.status(), "RunPodSandbox")) return;
    auto t1 = Clock::now();
    ContainerConfig c;
    c.name = "c";
    c.image = "busybox";
    c.command = {image ? "sleep" : "/bin/sleep", "600"};
    c.log_path = dir + "/logs/" + name + std::to_string(i) + ".log";
    auto id = rt.CreateContainer(*sb, c, cfg);
    if (!Check(id.status(), "CreateContainer")) return;
    if (!Check(rt.StartContainer(*id), "StartContainer")) return;
    auto t2 = Clock::now();
    auto r = rt.ExecSync(*id, {"true"}, std::chrono::seconds(10));
    if (!Check(r.status(), "ExecSync")) return;
    auto t3 = Clock::now();
    if (!Check(rt.StopContainer(*id, std::chrono::seconds(0)), "Stop")) return;
    auto t4 = Clock::now();
    if (!Check(rt.RemovePodSandbox(*sb), "RemovePodSandbox")) return;
    auto t5 = Clock::now();
    t["1 RunPodSandbox"].push_back(Ms(t1 - t0));
    t["2 Create+Start"].push_back(Ms(t2 - t1));
    t["3 ExecSync true"].push_back(Ms(t3 - t2));
    t["4 Stop (kill)"].push_back(Ms(t4 - t3));
    t["5 RemovePodSandbox"].push_back(Ms(t5 - t4));
  }
  for (auto& [phase, v] : t) {
    std::sort(v.begin(), v.end());
    printf("%-8s %-20s median %7.1f ms  max %7.1f ms  (n=%zu)\n", name.c_str(),
           phase.c_str() + 2, v[v.size() / 2], v.back(), v.size());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (geteuid() != 0) {
    fprintf(stderr, "runtime_bench needs root\n");
    return 2;
  }
  int rounds = argc > 1 ? atoi(argv[1]) : 10;
  berth::testing::TempDir dir;
  berth::SpawnProcessRunner runner;
  auto images = std::make_shared<berth::testing::FakeImageStore>(dir.path());
  {
    berth::runtime::ShimRuntimeOptions o;
    o.name = "process";
    o.root = dir.path() + "/process";
    o.shim_path = berth::testing::ShimPath();
    o.runner = &runner;
    berth::runtime::ProcessRuntime rt(o);
    Run("process", rt, dir.path(), false, rounds);
  }
  for (std::string name : {"runc", "crun"}) {
    std::string binary = name == "runc" ? "/usr/sbin/runc" : "/usr/bin/crun";
    if (access(binary.c_str(), X_OK) != 0 || !images->ok()) continue;
    berth::runtime::OciRuntimeOptions o;
    o.base.name = name;
    o.base.root = dir.path() + "/" + name;
    o.base.shim_path = berth::testing::ShimPath();
    o.base.runner = &runner;
    o.binary = binary;
    o.hide_unified_cgroup =
        name == "crun" && access("/sys/fs/cgroup/unified", F_OK) == 0;
    o.images = images;
    berth::runtime::OciRuntime rt(o);
    Run(name, rt, dir.path(), true, rounds);
  }
  berth::testing::RemoveTestCgroupParent();
  return 0;
}
