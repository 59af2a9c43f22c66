// The proxy's node name defaults to the one the node agent registers, so
// Local traffic policies keep this node's endpoints.
#include "proxy_settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace berth::proxy {
namespace {

TEST(ProxySettingsTest, NodeNameFollowsTheAgentsNodeName) {
  setenv("BERTH_NODE_NAME", "node-b", 1);
  auto s = ParseProxySettings("{}");
  unsetenv("BERTH_NODE_NAME");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->node_name, "node-b");
}

TEST(ProxySettingsTest, NodeNameDefaultsToTheLowerCaseHostName) {
  unsetenv("BERTH_NODE_NAME");
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  std::string lower = host;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  auto s = ParseProxySettings("{}");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->node_name, lower);
  auto named = ParseProxySettings(R"({"nodeName":"n1"})");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->node_name, "n1");
}

}  // namespace
}  // namespace berth::proxy
