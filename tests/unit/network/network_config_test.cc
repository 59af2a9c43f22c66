// The network config lists the cni plugin reads and the stdin it builds for
// each plugin, as libcni builds them.
#include "network_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "berth/json.h"
#include "tests/support/temp_dir.h"

namespace berth::cni {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

TEST(NetworkConfigTest, ParsesAList) {
  auto c = ParseNetworkConfig(
      R"({"cniVersion":"1.0.0","name":"net","disableCheck":true,)"
      R"("plugins":[{"type":"bridge"},{"type":"portmap"}]})",
      "test");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->name, "net");
  EXPECT_EQ(c->cni_version, "1.0.0");
  EXPECT_TRUE(c->disable_check);
  EXPECT_THAT(c->plugin_types, ElementsAre("bridge", "portmap"));
}

TEST(NetworkConfigTest, ASinglePluginConfigIsAListOfOne) {
  auto c = ParseNetworkConfig(
      R"({"cniVersion":"0.4.0","name":"one","type":"ptp","mtu":1400})", "x");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->name, "one");
  EXPECT_EQ(c->cni_version, "0.4.0");
  EXPECT_THAT(c->plugin_types, ElementsAre("ptp"));
  EXPECT_EQ(GetInt(Parse(c->json)["plugins"][0], {"mtu"}), 1400);
}

TEST(NetworkConfigTest, RejectsWhatNoRuntimeCouldRun) {
  EXPECT_THAT(ParseNetworkConfig("[1]", "a").status().message(),
              HasSubstr("a: a network config must be an object"));
  EXPECT_THAT(ParseNetworkConfig(R"({"plugins":[{"type":"x"}]})", "b")
                  .status()
                  .message(),
              HasSubstr("b: no \"name\""));
  EXPECT_THAT(ParseNetworkConfig(R"({"name":"n","plugins":[]})", "c")
                  .status()
                  .message(),
              HasSubstr("\"plugins\" must be a non-empty list"));
  // A type names a binary in the bin dirs, never a path.
  EXPECT_THAT(ParseNetworkConfig(
                  R"({"name":"n","plugins":[{"type":"../../bin/sh"}]})", "d")
                  .status()
                  .message(),
              HasSubstr("has a plugin without a valid \"type\""));
}

TEST(NetworkConfigTest, ConfDirGivesTheFirstFileByName) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/20-b.conflist")
      << R"({"cniVersion":"1.0.0","name":"b","plugins":[{"type":"bridge"}]})";
  std::ofstream(dir.path() + "/10-a.conf")
      << R"({"cniVersion":"1.0.0","name":"a","type":"ptp"})";
  std::ofstream(dir.path() + "/00-ignored.txt") << "not a config";
  auto c = LoadNetworkConfigDir(dir.path());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->name, "a");

  testing::TempDir empty;
  auto none = LoadNetworkConfigDir(empty.path());
  EXPECT_TRUE(none.status().IsNotFound());
  EXPECT_THAT(none.status().message(), HasSubstr("no network config"));
}

TEST(NetworkConfigTest, PodCidrPlaceholderIsReplacedInIpamRanges) {
  auto c = ParseNetworkConfig(DefaultNetworkConfig("/leases"), "default");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->name, "berth");
  EXPECT_THAT(c->plugin_types, ElementsAre("bridge", "portmap"));

  auto unknown = SubstitutePodCidr(*c, "");
  EXPECT_EQ(unknown.status().code(), Status::Code::kUnavailable);
  EXPECT_THAT(unknown.status().message(), HasSubstr("pod CIDR"));

  auto done = SubstitutePodCidr(*c, "10.244.7.0/24");
  ASSERT_TRUE(done.ok());
  JsonDoc d = Parse(done->json);
  const Json& ipam = d["plugins"][0]["ipam"];
  EXPECT_EQ(GetString(ipam["ranges"][0][0], {"subnet"}), "10.244.7.0/24");
  EXPECT_EQ(GetString(ipam, {"dataDir"}), "/leases");
  EXPECT_EQ(GetString(d["plugins"][0], {"bridge"}), "cni0");

  // The older single-subnet form too; configs without it are unchanged.
  auto legacy = ParseNetworkConfig(
      R"({"name":"l","type":"bridge","ipam":{"type":"host-local",)"
      R"("subnet":"podCIDR"}})",
      "l");
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(GetString(Parse(SubstitutePodCidr(*legacy, "10.1.0.0/24")
                                ->json)["plugins"][0]["ipam"],
                      {"subnet"}),
            "10.1.0.0/24");
  auto fixed = ParseNetworkConfig(
      R"({"name":"f","type":"bridge","ipam":{"subnet":"10.9.0.0/24"}})", "f");
  EXPECT_TRUE(SubstitutePodCidr(*fixed, "").ok());
}

TEST(NetworkConfigTest,
     PluginStdinCarriesNamePrevResultAndDeclaredCapabilities) {
  auto c = ParseNetworkConfig(
      R"({"cniVersion":"1.0.0","name":"net","plugins":[)"
      R"({"type":"bridge","bridge":"br9"},)"
      R"({"type":"portmap","capabilities":{"portMappings":true,"bandwidth":true}},)"
      R"({"type":"tuning","capabilities":{"portMappings":false}}]})",
      "t");
  ASSERT_TRUE(c.ok());
  const std::string caps = R"({"portMappings":[{"hostPort":80}]})";
  JsonDoc first = Parse(*PluginStdin(*c, 0, "", caps));
  EXPECT_EQ(GetString(first, {"name"}), "net");
  EXPECT_EQ(GetString(first, {"cniVersion"}), "1.0.0");
  EXPECT_EQ(GetString(first, {"bridge"}), "br9");
  EXPECT_FALSE(Member(first, "prevResult"));
  EXPECT_FALSE(Member(first, "runtimeConfig"));

  JsonDoc second = Parse(*PluginStdin(*c, 1, R"({"ips":[]})", caps));
  EXPECT_EQ(ToJson(second["prevResult"]), R"({"ips":[]})");
  // Only the capabilities the runtime has args for.
  EXPECT_EQ(ToJson(second["runtimeConfig"]),
            R"({"portMappings":[{"hostPort":80}]})");

  JsonDoc third = Parse(*PluginStdin(*c, 2, "", caps));
  EXPECT_FALSE(Member(third, "runtimeConfig"));
}

TEST(NetworkConfigTest, ComparesVersions) {
  EXPECT_LT(CompareCniVersions("0.3.1", "0.4.0"), 0);
  EXPECT_LT(CompareCniVersions("", "0.4.0"), 0);
  EXPECT_EQ(CompareCniVersions("1.0.0", "1.0.0"), 0);
  EXPECT_GT(CompareCniVersions("1.0.0", "0.4.0"), 0);
  EXPECT_GT(CompareCniVersions("0.10.0", "0.4.0"), 0);
}

}  // namespace
}  // namespace berth::cni
