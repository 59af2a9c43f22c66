// The runtime plugins' settings and the shim's on-disk records.
#include <gtest/gtest.h>

#include "oci_settings.h"
#include "pod_files.h"
#include "process_settings.h"
#include "shim_spec.h"

namespace berth::runtime {
namespace {

TEST(OciSettingsTest, DefaultsAndOverrides) {
  auto s = ParseOciSettings("{}", "/data");
  ASSERT_TRUE(s.ok());
  // State follows the data dir; images are where `berth image` puts them.
  EXPECT_EQ(s->root, "/data/runtime/oci");
  EXPECT_EQ(s->image_root, "/data/images");
  EXPECT_EQ(s->runtimes.at("runc"), "/usr/sbin/runc");
  s = ParseOciSettings(
      R"({"root":"/r","runtimes":{"runc":"/opt/runc"},)"
      R"("registries":{"reg:5000":{"insecure":true,"caFile":"/ca.pem"},)"
      R"("plain:5000":{"plainHttp":true}}})",
      "/data");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->root, "/r");
  EXPECT_EQ(s->runtimes.size(), 1u);
  EXPECT_TRUE(s->registries.at("reg:5000").insecure);
  EXPECT_EQ(s->registries.at("reg:5000").ca_file, "/ca.pem");
  EXPECT_FALSE(s->registries.at("reg:5000").plain_http);
  EXPECT_TRUE(s->registries.at("plain:5000").plain_http);
  auto bad =
      ParseOciSettings(R"({"registries":{"r":{"insecure":"yes"}}})", "/data");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("registries.r.insecure"),
            std::string::npos);
  EXPECT_FALSE(ParseOciSettings(R"({"root":3})", "/data").ok());
}

TEST(ProcessSettingsTest, DefaultsAndErrors) {
  auto s = ParseProcessSettings("{}", "/data");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->root, "/data/runtime/process");
  EXPECT_FALSE(s->shim_path.empty());
  EXPECT_FALSE(ParseProcessSettings(R"({"shimPath":""})", "/data").ok());
}

TEST(ShimSpecTest, RoundTrips) {
  ShimSpec s;
  s.dir = "/d";
  s.log_path = "/l";
  s.argv = {"/bin/sh", "-c", "x"};
  s.env = {"A=b"};
  s.mounts.push_back({"/src", "/dst", true, false, 0});
  s.uid = 1000;
  auto back = ShimSpecFromJson(ShimSpecToJson(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->argv, s.argv);
  EXPECT_EQ(back->mounts.size(), 1u);
  EXPECT_TRUE(back->mounts[0].read_only);
  EXPECT_EQ(back->uid, 1000);
  EXPECT_FALSE(back->gid.has_value());
  EXPECT_FALSE(ShimSpecFromJson(R"({"dir":"/d"})").ok());  // nothing to run

  ExitRecord r;
  r.exit_code = 137;
  r.oom_killed = true;
  r.finished_at = std::chrono::system_clock::time_point(
      std::chrono::nanoseconds(1700000000123456789LL));
  auto rb = ExitRecordFromJson(ExitRecordToJson(r));
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(rb->exit_code, 137);
  EXPECT_TRUE(rb->oom_killed);
  EXPECT_EQ(rb->finished_at, r.finished_at);
}

TEST(PodFilesTest, HostsAndResolvConf) {
  PodSandboxConfig c;
  c.dns_servers = {"10.96.0.10"};
  c.dns_searches = {"ns.svc.cluster.local", "svc.cluster.local"};
  c.dns_options = {"ndots:5"};
  c.hosts_entries = {"10.0.0.5\tweb-0.web.ns.svc.cluster.local\tweb-0"};
  EXPECT_EQ(ResolvConfText(c),
            "nameserver 10.96.0.10\n"
            "search ns.svc.cluster.local svc.cluster.local\n"
            "options ndots:5\n");
  std::string hosts = HostsFileText(c);
  EXPECT_NE(hosts.find("127.0.0.1\tlocalhost\n"), std::string::npos);
  EXPECT_NE(hosts.find("10.0.0.5\tweb-0.web.ns.svc.cluster.local\tweb-0\n"),
            std::string::npos);
}

}  // namespace
}  // namespace berth::runtime
