// The oci runtime with the real image store: an image pushed to a real
// docker-registry is pulled through PullImage (insecure registry setting),
// listed, run by runc from its unpacked layers, and removed. Needs root,
// runc and the registry tools; skips with the reason otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "kernel/exec/process_runner.h"
#include "oci_runtime.h"
#include "runtime_test_support.h"
#include "tests/support/oci_registry.h"
#include "tests/support/temp_dir.h"

namespace berth::testing {
namespace {

TEST(OciPullTest, PullsFromARegistryAndRunsTheImage) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (namespaces, cgroups)";
  if (access("/usr/sbin/runc", X_OK) != 0) GTEST_SKIP() << "needs runc";
  if (std::string missing = MissingRegistryTools(); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  TempDir dir;
  ASSERT_EQ(BuildBusyboxImage(dir.path() + "/layout"), "");
  RegistryServer registry;
  ASSERT_TRUE(registry.Start()) << registry.log();
  ASSERT_EQ(registry.Push(dir.path() + "/layout", "busybox"), "");

  auto store = oci::ImageStore::Open(dir.path() + "/images");
  ASSERT_TRUE(store.ok()) << store.status().message();
  std::shared_ptr<oci::ImageStore> images = std::move(store).value();
  oci::RegistryHostSettings insecure;
  insecure.insecure = true;
  images->SetRegistryHosts({{registry.host(), insecure}});
  SpawnProcessRunner runner;
  runtime::OciRuntimeOptions o;
  o.base.name = "runc";
  o.base.root = dir.path() + "/root";
  o.base.shim_path = ShimPath();
  o.base.runner = &runner;
  o.binary = "/usr/sbin/runc";
  o.images = images;
  runtime::OciRuntime rt(o);

  const std::string ref = registry.host() + "/busybox:latest";
  EXPECT_TRUE(rt.ImageStatus(ref).status().IsNotFound());
  auto pulled = rt.PullImage(ref, std::nullopt);
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->id.substr(0, 7), "sha256:");
  auto listed = rt.ListImages();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, pulled->id);
  EXPECT_TRUE(rt.PullImage(registry.host() + "/missing:1", std::nullopt)
                  .status()
                  .IsNotFound());

  auto sb = rt.RunPodSandbox(SandboxConfig(
      "runc-pull-" + std::to_string(getpid()), dir.path() + "/logs"));
  ASSERT_TRUE(sb.ok()) << sb.status().message();
  ContainerConfig c;
  c.name = "pulled";
  c.image = ref;
  c.args = {"-c", "echo from-the-registry-image"};
  c.command = {"sh"};
  c.log_path = dir.path() + "/logs/pulled.log";
  auto id = rt.CreateContainer(*sb, c, PodSandboxConfig{});
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(rt.StartContainer(*id).ok());
  ContainerStatus st = WaitExited(rt, *id);
  EXPECT_EQ(st.exit_code, 0);
  EXPECT_EQ(st.image_id, pulled->id);
  EXPECT_NE(ReadAll(c.log_path).find(" stdout F from-the-registry-image\n"),
            std::string::npos)
      << ReadAll(c.log_path);
  EXPECT_TRUE(rt.RemovePodSandbox(*sb).ok());
  RemoveTestCgroupParent();
  EXPECT_TRUE(rt.RemoveImage(ref).ok());
  EXPECT_TRUE(rt.ImageStatus(ref).status().IsNotFound());
}

}  // namespace
}  // namespace berth::testing
