#include "kernel/plugin/plugin_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth {
namespace {

StatusOr<PluginConfig> Parse(const std::string& yaml) {
  return ParsePluginConfig(yaml, "test.yaml", "/etc/berth");
}

TEST(PluginConfigTest, ParsesLongAndShortForms) {
  auto config = Parse(R"(
server:
  port: 6443
pluginDirs: [plugins, /opt/berth/plugins]
plugins:
  - core
  - name: workloads
  - name: storage
    enabled: false
  - name: network
    settings:
      port: 8080
      negative: -3
      debug: true
      off: False
      cidr: 10.96.0.0/12
      range: 30000-32767
      quoted: "8080"
      ratio: 0.5
      nothing: ~
      list: [a, 1, "two"]
      nested: {key: "va\"lue"}
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(
      config->plugin_dirs,
      (std::vector<std::string>{"/etc/berth/plugins", "/opt/berth/plugins"}));
  ASSERT_EQ(config->plugins.size(), 3u);
  EXPECT_EQ(config->plugins[0].name, "core");
  EXPECT_EQ(config->plugins[0].settings_json, "{}");
  EXPECT_EQ(config->plugins[1].name, "workloads");
  EXPECT_EQ(config->plugins[1].settings_json, "{}");
  EXPECT_EQ(config->plugins[2].name, "network");
  EXPECT_EQ(config->plugins[2].settings_json,
            R"({"port":8080,"negative":-3,"debug":true,"off":false,)"
            R"("cidr":"10.96.0.0/12","range":"30000-32767","quoted":"8080",)"
            R"("ratio":0.5,"nothing":null,"list":["a",1,"two"],)"
            R"("nested":{"key":"va\"lue"}})");
}

TEST(PluginConfigTest, EmptyConfigHasNoPlugins) {
  auto config = Parse("");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->plugins.empty());
  EXPECT_TRUE(config->plugin_dirs.empty());
}

TEST(PluginConfigTest, ErrorsNameFileAndLine) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const Case cases[] = {
      {"plugins:\n  - core\n  - nme: x\n",
       "test.yaml:3: plugins[1]: unknown key \"nme\" (expected name, enabled, "
       "settings)"},
      {"plugins:\n  - core\n  - core\n",
       "test.yaml:3: plugins[1]: plugin \"core\" is listed twice"},
      {"plugins:\n  - name: core\n    settings: [1, 2]\n",
       "test.yaml:3: plugins[0]: settings must be a mapping"},
      {"plugins:\n  - settings: {}\n", "test.yaml:2: plugins[0]: missing name"},
      {"plugins:\n  - ../evil\n",
       "test.yaml:2: plugins[0]: invalid plugin name \"../evil\" (lowercase "
       "letters, digits, '_' and '-' only)"},
      {"plugins:\n  - name: core\n    enabled: maybe\n",
       "test.yaml:3: plugins[0]: enabled must be true or false"},
      {"plugins: core\n", "test.yaml:1: plugins must be a list"},
      {"pluginDirs: /opt\n",
       "test.yaml:1: pluginDirs must be a list of directories"},
      {"- core\n", "test.yaml:1: expected a mapping at the top level"},
  };
  for (const Case& c : cases) {
    auto config = Parse(c.yaml);
    ASSERT_FALSE(config.ok()) << c.yaml;
    EXPECT_EQ(config.status().code(), Status::Code::kBadRequest);
    EXPECT_EQ(config.status().message(), c.message) << c.yaml;
  }
}

TEST(PluginConfigTest, SyntaxErrorsNameTheLine) {
  auto config = Parse("plugins:\n  - core\n  - {name: [x\n");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().rfind("test.yaml:", 0), 0u)
      << config.status().message();
  EXPECT_EQ(config.status().message().find('\n'), std::string::npos);
}

TEST(PluginConfigTest, MissingFileIsNotFound) {
  auto config = LoadPluginConfig("/nonexistent/berth.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(config.status().IsNotFound());
  EXPECT_EQ(config.status().message(),
            "/nonexistent/berth.yaml: cannot read the file");
}

TEST(PluginConfigTest, ShippedConfigLoadsItsPlugins) {
  auto config =
      LoadPluginConfig(std::string(BERTH_SOURCE_DIR) + "/conf/berth.yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  // The control plane, then the node agent with its runtime, network and
  // Service proxy, listed before the node that names them.
  ASSERT_EQ(config->plugins.size(), 14u);
  std::vector<std::string> names;
  for (const auto& p : config->plugins) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "core", "auth", "storage", "workloads", "scheduler",
                       "networkpolicy", "certificates", "oci", "cni", "proxy",
                       "node", "dns", "policy", "routes"}));
  EXPECT_EQ(config->plugins[10].settings_json,
            R"({"runtime":"runc","network":"cni","maxPods":110,)"
            R"("heartbeatSeconds":10,"clusterDNS":["10.96.0.10"],)"
            R"("clusterDomain":"cluster.local"})");
  EXPECT_EQ(config->plugins[2].name, "storage");
  EXPECT_EQ(config->plugins[2].settings_json,
            R"({"defaultClassName":"standard"})");
  EXPECT_EQ(config->plugins[3].name, "workloads");
  EXPECT_EQ(config->plugins[4].name, "scheduler");
  EXPECT_EQ(config->plugins[4].settings_json,
            R"({"percentageOfNodesToScore":0})");
  EXPECT_EQ(config->plugins[0].name, "core");
  EXPECT_EQ(config->plugins[0].settings_json,
            R"({"serviceClusterIPRange":"10.96.0.0/12",)"
            R"("serviceNodePortRange":"30000-32767"})");
}

TEST(PluginConfigTest, ControlPlaneConfigIsTheShippedOneWithoutTheNode) {
  auto shipped =
      LoadPluginConfig(std::string(BERTH_SOURCE_DIR) + "/conf/berth.yaml");
  auto control = LoadPluginConfig(std::string(BERTH_SOURCE_DIR) +
                                  "/conf/control-plane.yaml");
  ASSERT_TRUE(shipped.ok() && control.ok());
  ASSERT_EQ(control->plugins.size(), 7u);
  for (size_t i = 0; i < control->plugins.size(); ++i) {
    EXPECT_EQ(control->plugins[i].name, shipped->plugins[i].name);
    EXPECT_EQ(control->plugins[i].settings_json,
              shipped->plugins[i].settings_json);
  }
}

}  // namespace
}  // namespace berth
