// The cni plugin's settings.
#include "cni_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::cni {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CniSettingsTest, Defaults) {
  auto s = ParseCniSettings("{}", "/data");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->networks_json.empty());
  EXPECT_TRUE(s->conf_dir.empty());
  EXPECT_THAT(s->bin_dirs, ElementsAre("/usr/lib/cni", "/opt/cni/bin"));
  EXPECT_EQ(s->cache_dir, "/data/cni");
  EXPECT_TRUE(s->netns_of_node.empty());
  EXPECT_TRUE(s->loopback);
  EXPECT_EQ(s->plugin_timeout.count(), 60);
}

TEST(CniSettingsTest, NetworksAsMappingOrJsonText) {
  auto mapping = ParseCniSettings(
      R"({"networks":{"name":"n","plugins":[{"type":"bridge"}]},)"
      R"("binDirs":["/b"],"cacheDir":"/c","netnsOfNode":"node1",)"
      R"("loopback":false,"pluginTimeoutSeconds":5})",
      "/data");
  ASSERT_TRUE(mapping.ok()) << mapping.status().message();
  EXPECT_EQ(mapping->networks_json,
            R"({"name":"n","plugins":[{"type":"bridge"}]})");
  EXPECT_THAT(mapping->bin_dirs, ElementsAre("/b"));
  EXPECT_EQ(mapping->cache_dir, "/c");
  EXPECT_EQ(mapping->netns_of_node, "node1");
  EXPECT_FALSE(mapping->loopback);
  EXPECT_EQ(mapping->plugin_timeout.count(), 5);

  auto text = ParseCniSettings(
      R"({"networks":"{\"name\":\"n\",\"type\":\"bridge\"}"})", "/data");
  ASSERT_TRUE(text.ok()) << text.status().message();
}

TEST(CniSettingsTest, RejectsBadSettings) {
  auto both = ParseCniSettings(
      R"({"networks":{"name":"n","type":"bridge"},"confDir":"/etc/cni"})",
      "/data");
  EXPECT_THAT(both.status().message(), HasSubstr("exclude each other"));
  EXPECT_THAT(ParseCniSettings(R"({"network":{}})", "/data").status().message(),
              HasSubstr("unknown setting network"));
  EXPECT_THAT(ParseCniSettings(R"({"networks":{"name":"n"}})", "/data")
                  .status()
                  .message(),
              HasSubstr("neither \"plugins\" nor \"type\""));
  EXPECT_THAT(ParseCniSettings(R"({"pluginTimeoutSeconds":0})", "/data")
                  .status()
                  .message(),
              HasSubstr("pluginTimeoutSeconds"));
  EXPECT_EQ(ParseCniSettings(R"({"binDirs":[]})", "/data").status().code(),
            Status::Code::kInvalid);
}

}  // namespace
}  // namespace berth::cni
