// config.json as the kubelet + containerd would build it.
#include "oci_spec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "berth/json.h"
#include "json_util.h"

namespace berth::runtime {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ContainerArgvTest, CommandAndArgsReplaceEntrypointAndCmd) {
  oci::ImageRunConfig image;
  image.entrypoint = {"/ep"};
  image.cmd = {"c1", "c2"};
  ContainerConfig c;
  EXPECT_EQ(*ContainerArgv(c, image),
            (std::vector<std::string>{"/ep", "c1", "c2"}));
  c.args = {"a"};
  EXPECT_EQ(*ContainerArgv(c, image), (std::vector<std::string>{"/ep", "a"}));
  c.command = {"/cmd"};
  c.args = {};
  EXPECT_EQ(*ContainerArgv(c, image), (std::vector<std::string>{"/cmd"}));
  c.args = {"x"};
  EXPECT_EQ(*ContainerArgv(c, image), (std::vector<std::string>{"/cmd", "x"}));
  EXPECT_FALSE(ContainerArgv(ContainerConfig{}, oci::ImageRunConfig{}).ok());
}

TEST(ContainerCapabilitiesTest, DefaultsAddDropAndPrivileged) {
  SecurityContext sc;
  auto caps = ContainerCapabilities(sc);
  EXPECT_TRUE(Has(caps, "CAP_CHOWN"));
  EXPECT_TRUE(Has(caps, "CAP_NET_BIND_SERVICE"));
  EXPECT_FALSE(Has(caps, "CAP_SYS_ADMIN"));
  sc.add_capabilities = {"NET_ADMIN"};
  sc.drop_capabilities = {"chown"};
  caps = ContainerCapabilities(sc);
  EXPECT_TRUE(Has(caps, "CAP_NET_ADMIN"));
  EXPECT_FALSE(Has(caps, "CAP_CHOWN"));
  sc.drop_capabilities = {"ALL"};
  caps = ContainerCapabilities(sc);
  EXPECT_EQ(caps, (std::vector<std::string>{"CAP_NET_ADMIN"}));
  SecurityContext priv;
  priv.privileged = true;
  EXPECT_TRUE(Has(ContainerCapabilities(priv), "CAP_SYS_ADMIN"));
}

class OciSpecTest : public ::testing::Test {
 protected:
  JsonDoc Build() {
    OciSpecInput in;
    in.container = &c_;
    in.image = &image_;
    in.rootfs = "/b/rootfs";
    in.cgroups_path = "/berth/podu/cid";
    in.hostname = "web-0";
    in.netns_path = "/run/netns/x";
    in.infra_pid = 42;
    in.pod_files = {"/s/hosts", "/s/hostname", "/s/resolv.conf"};
    in.cgroup_namespace = cgroup_namespace_;
    auto text = BuildOciSpec(in);
    EXPECT_TRUE(text.ok()) << text.status().message();
    auto doc = ParseJson(text.ok() ? *text : "{}");
    return std::move(doc).value();
  }
  ContainerConfig c_;
  oci::ImageRunConfig image_;
  bool cgroup_namespace_ = false;
};

TEST_F(OciSpecTest, EnvUserCwdAndArgs) {
  image_.cmd = {"sh"};
  image_.env = {"PATH=/usr/bin", "A=image", "B=image"};
  image_.working_dir = "/app";
  image_.user = "7:8";
  c_.env = {{"B", "pod"}, {"C", "pod"}};
  JsonDoc d = Build();
  const Json& p = d["process"];
  auto env = GetStrings(p, "env");
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/usr/bin", "A=image", "B=pod",
                                           "HOSTNAME=web-0", "C=pod"}));
  EXPECT_EQ(GetStrings(p, "args"), (std::vector<std::string>{"sh"}));
  EXPECT_EQ(GetString(p, {"cwd"}), "/app");
  EXPECT_EQ(GetInt(p, {"user", "uid"}), 7);
  EXPECT_EQ(GetInt(p, {"user", "gid"}), 8);

  c_.security.run_as_user = 1000;
  c_.security.run_as_group = 3000;
  c_.working_dir = "/w";
  d = Build();
  EXPECT_EQ(GetInt(d["process"], {"user", "uid"}), 1000);
  EXPECT_EQ(GetInt(d["process"], {"user", "gid"}), 3000);
  EXPECT_EQ(GetString(d["process"], {"cwd"}), "/w");
}

TEST_F(OciSpecTest, NamespacesJoinTheSandbox) {
  c_.command = {"true"};
  JsonDoc d = Build();
  std::map<std::string, std::string> ns;
  for (const auto& n : d["linux"]["namespaces"].GetArray()) {
    ns[GetString(n, {"type"})] = GetString(n, {"path"});
  }
  EXPECT_EQ(ns.at("network"), "/run/netns/x");
  EXPECT_EQ(ns.at("ipc"), "/proc/42/ns/ipc");
  EXPECT_EQ(ns.at("uts"), "/proc/42/ns/uts");
  EXPECT_EQ(ns.at("pid"), "");
  EXPECT_EQ(ns.at("mount"), "");
  EXPECT_EQ(GetString(d["linux"], {"cgroupsPath"}), "/berth/podu/cid");
  EXPECT_FALSE(Member(d, "hostname"));  // set by the infra process
}

TEST_F(OciSpecTest, MountsLimitsAndRootfs) {
  c_.command = {"true"};
  c_.security.read_only_root_filesystem = true;
  c_.resources.memory_limit_bytes = 32 << 20;
  c_.resources.cpu_quota_us = 50000;
  c_.resources.cpu_shares = 512;
  c_.resources.pids_limit = 64;
  c_.mounts.push_back({"/host/data", "/data", false, "HostToContainer"});
  c_.mounts.push_back({"/host/conf", "/conf", true, "None"});
  c_.mounts.push_back({"/host/bi", "/bi", false, "Bidirectional"});
  Mount tmp;
  tmp.container_path = "/scratch";
  tmp.tmpfs = true;
  tmp.tmpfs_size_bytes = 1 << 20;
  c_.mounts.push_back(tmp);
  JsonDoc d = Build();
  EXPECT_TRUE(d["root"]["readonly"].GetBool());
  EXPECT_EQ(GetString(d["root"], {"path"}), "/b/rootfs");
  std::map<std::string, const Json*> mounts;
  for (const auto& m : d["mounts"].GetArray()) {
    mounts[GetString(m, {"destination"})] = &m;
  }
  EXPECT_EQ(GetString(*mounts.at("/etc/hosts"), {"source"}), "/s/hosts");
  EXPECT_EQ(GetString(*mounts.at("/etc/resolv.conf"), {"source"}),
            "/s/resolv.conf");
  EXPECT_EQ(GetStrings(*mounts.at("/data"), "options"),
            (std::vector<std::string>{"rbind", "rslave", "rw"}));
  EXPECT_EQ(GetStrings(*mounts.at("/conf"), "options"),
            (std::vector<std::string>{"rbind", "rprivate", "ro"}));
  EXPECT_EQ(GetStrings(*mounts.at("/bi"), "options"),
            (std::vector<std::string>{"rbind", "rshared", "rw"}));
  EXPECT_EQ(GetString(*mounts.at("/scratch"), {"type"}), "tmpfs");
  EXPECT_TRUE(
      Has(GetStrings(*mounts.at("/scratch"), "options"), "size=1048576"));
  EXPECT_EQ(GetString(d["linux"], {"rootfsPropagation"}), "rshared");
  const Json& r = d["linux"]["resources"];
  EXPECT_EQ(GetInt(r, {"memory", "limit"}), 32 << 20);
  EXPECT_EQ(GetInt(r, {"cpu", "quota"}), 50000);
  EXPECT_EQ(GetInt(r, {"cpu", "period"}), 100000);
  EXPECT_EQ(r["cpu"]["shares"].GetUint64(), 512u);
  EXPECT_EQ(GetInt(r, {"pids", "limit"}), 64);
}

// On cgroup v2 the container reads its own limits at /sys/fs/cgroup (as
// JVMs and Go runtimes do): only a private cgroup namespace shows them there.
TEST_F(OciSpecTest, CgroupNamespaceOnlyWhenAsked) {
  c_.command = {"true"};
  auto types = [](const JsonDoc& d) {
    std::set<std::string> out;
    for (const auto& n : d["linux"]["namespaces"].GetArray()) {
      out.insert(GetString(n, {"type"}));
    }
    return out;
  };
  EXPECT_EQ(types(Build()).count("cgroup"), 0u);
  cgroup_namespace_ = true;
  EXPECT_EQ(types(Build()).count("cgroup"), 1u);
}

TEST_F(OciSpecTest, HostNetworkHasNoNetworkNamespace) {
  c_.command = {"true"};
  OciSpecInput in;
  in.container = &c_;
  in.image = &image_;
  in.rootfs = "/r";
  auto text = BuildOciSpec(in);
  ASSERT_TRUE(text.ok());
  auto d = ParseJson(*text);
  for (const auto& n : (*d)["linux"]["namespaces"].GetArray()) {
    EXPECT_NE(GetString(n, {"type"}), "network");
  }
}

}  // namespace
}  // namespace berth::runtime
