// The CNI execution protocol as the cni plugin drives it, against fake
// plugin binaries (shell scripts that log each call and print a result):
// ADD in order with prevResult chaining and the Kubernetes CNI_ARGS,
// runtimeConfig.portMappings, the result cache, CHECK and DEL with the
// cached result, DEL in reverse order, DEL after a failed ADD, and plugin
// errors as one-line messages. Real plugins in real namespaces are in
// tests/integration/cni.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "berth/json.h"
#include "cni_network.h"
#include "kernel/exec/process_runner.h"
#include "tests/support/temp_dir.h"

namespace berth::cni {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Logs "COMMAND|name|ifname|containerid|args|stdin" per call. ADD prints a
// result naming the plugin in dns.domain; "fail" fails ADD with a CNI
// error object.
constexpr const char kFakePlugin[] = R"(#!/bin/sh
in=$(cat)
name=${0##*/}
echo "$CNI_COMMAND|$name|$CNI_IFNAME|$CNI_CONTAINERID|$CNI_ARGS|$in" >> "${0%/*}/calls.log"
case "$name:$CNI_COMMAND" in
  fail:ADD)
    printf '%s\n' '{"cniVersion":"1.0.0","code":11,"msg":"no luck","details":"line one\nline two"}'
    exit 1;;
  *:ADD)
    echo "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"$CNI_IFNAME\",\"sandbox\":\"$CNI_NETNS\"}],\"ips\":[{\"address\":\"10.1.2.3/24\",\"interface\":0}],\"dns\":{\"domain\":\"$name\"}}";;
esac
exit 0
)";

struct Call {
  std::string command, plugin, ifname, container_id, args;
  JsonDoc stdin_json;
};

class CniProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"first", "second", "third", "fail", "loopback"}) {
      const std::string path = bin_.path() + "/" + name;
      std::ofstream(path) << kFakePlugin;
      chmod(path.c_str(), 0755);
    }
  }

  std::unique_ptr<CniNetwork> Network(const std::string& plugins,
                                      const std::string& extra = "") {
    auto settings = ParseCniSettings(
        R"({"networks":{"cniVersion":"1.0.0","name":"testnet","plugins":[)" +
            plugins + R"(]},"binDirs":[")" + bin_.path() +
            R"("],"cacheDir":")" + cache_.path() + "\"" + extra + "}",
        "/data");
    EXPECT_TRUE(settings.ok()) << settings.status().message();
    return std::make_unique<CniNetwork>(*settings, runner_);
  }

  std::vector<Call> Calls() {
    std::vector<Call> out;
    std::ifstream in(bin_.path() + "/calls.log");
    std::string line;
    while (std::getline(in, line)) {
      Call c;
      std::string* fields[] = {&c.command, &c.plugin, &c.ifname,
                               &c.container_id, &c.args};
      size_t pos = 0;
      for (std::string* f : fields) {
        size_t bar = line.find('|', pos);
        *f = line.substr(pos, bar - pos);
        pos = bar + 1;
      }
      auto d = ParseJson(line.substr(pos));
      EXPECT_TRUE(d.ok()) << line;
      if (d.ok()) c.stdin_json = std::move(d).value();
      out.push_back(std::move(c));
    }
    std::filesystem::remove(bin_.path() + "/calls.log");
    return out;
  }
  static std::vector<std::string> Sequence(const std::vector<Call>& calls) {
    std::vector<std::string> out;
    for (const auto& c : calls) {
      out.push_back(c.command + " " + c.plugin + " " + c.ifname);
    }
    return out;
  }
  std::vector<std::string> CacheFiles() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e :
         std::filesystem::directory_iterator(cache_.path() + "/results", ec)) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  PodNetworkRequest Request() {
    PodNetworkRequest req;
    req.pod_namespace = "default";
    req.pod_name = "web";
    req.pod_uid = "uid-1";
    req.sandbox_id = "sb1";
    req.netns_path = "/var/run/netns/fake";
    req.port_mappings = {{80, 8080, "TCP", ""}, {53, 0, "UDP", ""}};
    return req;
  }

  SpawnProcessRunner runner_;
  berth::testing::TempDir bin_;
  berth::testing::TempDir cache_;
};

TEST_F(CniProtocolTest, AddRunsThePluginsInOrderChainingPrevResult) {
  auto net = Network(
      R"({"type":"first"},{"type":"second","capabilities":{"portMappings":true}},)"
      R"({"type":"third"})");
  auto status = net->SetUp(Request());
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_THAT(status->ips, ElementsAre("10.1.2.3"));
  EXPECT_EQ(status->interface_name, "eth0");

  auto calls = Calls();
  EXPECT_THAT(Sequence(calls),
              ElementsAre("ADD loopback lo", "ADD first eth0",
                          "ADD second eth0", "ADD third eth0"));
  EXPECT_EQ(calls[1].container_id, "sb1");
  EXPECT_EQ(calls[1].args,
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;"
            "K8S_POD_INFRA_CONTAINER_ID=sb1;K8S_POD_UID=uid-1");
  EXPECT_EQ(GetString(calls[1].stdin_json, {"name"}), "testnet");
  EXPECT_EQ(GetString(calls[1].stdin_json, {"cniVersion"}), "1.0.0");
  EXPECT_FALSE(Member(calls[1].stdin_json, "prevResult"));
  EXPECT_EQ(GetString(calls[2].stdin_json, {"prevResult", "dns", "domain"}),
            "first");
  EXPECT_EQ(GetString(calls[3].stdin_json, {"prevResult", "dns", "domain"}),
            "second");
  // hostPorts only, to the plugin declaring the capability.
  EXPECT_EQ(ToJson(*Find(calls[2].stdin_json, {"runtimeConfig"})),
            R"({"portMappings":[{"hostPort":8080,"containerPort":80,)"
            R"("protocol":"tcp"}]})");
  EXPECT_FALSE(Member(calls[3].stdin_json, "runtimeConfig"));

  // libcni's cache layout and format, holding the last plugin's result.
  EXPECT_THAT(CacheFiles(),
              ElementsAre("cni-loopback-sb1-lo", "testnet-sb1-eth0"));
  auto cached = net->cache().Read("testnet", "sb1", "eth0");
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(GetString(*ParseJson(cached->result_json), {"dns", "domain"}),
            "third");
  std::ifstream file(cache_.path() + "/results/testnet-sb1-eth0");
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = ParseJson(text.str());
  ASSERT_TRUE(parsed.ok());
  const JsonDoc& raw = *parsed;
  EXPECT_EQ(GetString(raw, {"kind"}), "cniCacheV1");
  EXPECT_EQ(GetString(raw, {"networkName"}), "testnet");
  EXPECT_EQ(GetString(raw, {"ifName"}), "eth0");

  auto inspected = net->Inspect(Request());
  ASSERT_TRUE(inspected.ok());
  EXPECT_THAT(inspected->ips, ElementsAre("10.1.2.3"));
}

TEST_F(CniProtocolTest, CheckAndDelGetTheCachedResultDelInReverse) {
  auto net = Network(R"({"type":"first"},{"type":"second"})");
  ASSERT_TRUE(net->SetUp(Request()).ok());
  Calls();

  ASSERT_TRUE(net->Check(Request()).ok());
  auto checks = Calls();
  EXPECT_THAT(Sequence(checks),
              ElementsAre("CHECK loopback lo", "CHECK first eth0",
                          "CHECK second eth0"));
  EXPECT_EQ(GetString(checks[1].stdin_json, {"prevResult", "dns", "domain"}),
            "second");

  ASSERT_TRUE(net->TearDown(Request()).ok());
  auto dels = Calls();
  EXPECT_THAT(Sequence(dels), ElementsAre("DEL second eth0", "DEL first eth0",
                                          "DEL loopback lo"));
  EXPECT_EQ(GetString(dels[1].stdin_json, {"prevResult", "dns", "domain"}),
            "second");
  EXPECT_EQ(dels[1].args,
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;"
            "K8S_POD_INFRA_CONTAINER_ID=sb1;K8S_POD_UID=uid-1");
  EXPECT_THAT(CacheFiles(), ElementsAre());
  EXPECT_TRUE(net->Inspect(Request()).status().IsNotFound());
  EXPECT_TRUE(net->Check(Request()).IsNotFound());

  // Again, with nothing cached: DEL still runs (without prevResult) and
  // succeeds.
  ASSERT_TRUE(net->TearDown(Request()).ok());
  auto again = Calls();
  EXPECT_THAT(Sequence(again), ElementsAre("DEL second eth0", "DEL first eth0",
                                           "DEL loopback lo"));
  EXPECT_FALSE(Member(again[0].stdin_json, "prevResult"));
}

TEST_F(CniProtocolTest, TearDownUsesTheConfigTheAttachmentWasMadeWith) {
  auto old_net = Network(R"({"type":"first"},{"type":"second"})");
  ASSERT_TRUE(old_net->SetUp(Request()).ok());
  Calls();
  auto new_net = Network(R"({"type":"third"})");
  ASSERT_TRUE(new_net->TearDown(Request()).ok());
  EXPECT_THAT(
      Sequence(Calls()),
      ElementsAre("DEL second eth0", "DEL first eth0", "DEL loopback lo"));
}

TEST_F(CniProtocolTest, FailedAddDeletesEveryPluginThatRan) {
  auto net = Network(R"({"type":"first"},{"type":"fail"},{"type":"third"})");
  auto status = net->SetUp(Request());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.status().message(),
            "CNI ADD of network \"testnet\" for pod default/web failed: "
            "plugin fail: no luck: line one line two (CNI error code 11)");
  EXPECT_THAT(
      Sequence(Calls()),
      ElementsAre("ADD loopback lo", "ADD first eth0", "ADD fail eth0",
                  "DEL fail eth0", "DEL first eth0", "DEL loopback lo"));
  EXPECT_THAT(CacheFiles(), ElementsAre());
}

TEST_F(CniProtocolTest, MissingPluginBinaryIsNamed) {
  auto net = Network(R"({"type":"first"},{"type":"bogus"})");
  auto status = net->SetUp(Request());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.status().message(),
              HasSubstr("CNI ADD of network \"testnet\" for pod default/web "
                        "failed: plugin type \"bogus\" not found in " +
                        bin_.path()));
  EXPECT_THAT(status.status().message(), Not(HasSubstr("\n")));
  EXPECT_THAT(Sequence(Calls()),
              ElementsAre("ADD loopback lo", "ADD first eth0", "DEL first eth0",
                          "DEL loopback lo"));
}

TEST_F(CniProtocolTest, PodCidrIsSubstitutedOnceKnown) {
  auto net = Network(
      R"({"type":"first","ipam":{"type":"x","ranges":[[{"subnet":"podCIDR"}]]}})");
  auto early = net->SetUp(Request());
  EXPECT_EQ(early.status().code(), Status::Code::kUnavailable);
  EXPECT_THAT(early.status().message(),
              HasSubstr("CNI ADD for pod default/web: network \"testnet\" "
                        "takes addresses from the node's pod CIDR"));
  EXPECT_THAT(Calls(), ElementsAre());

  EXPECT_EQ(net->SetNodePodCidr("10.244.3.0/33").code(),
            Status::Code::kInvalid);
  ASSERT_TRUE(net->SetNodePodCidr("10.244.3.0/24").ok());
  ASSERT_TRUE(net->SetUp(Request()).ok());
  auto calls = Calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(ToJson(*Find(calls[1].stdin_json, {"ipam", "ranges"})),
            R"([[{"subnet":"10.244.3.0/24"}]])");
}

TEST_F(CniProtocolTest, LoopbackCanBeLeftToTheList) {
  auto net = Network(R"({"type":"first"})", R"(,"loopback":false)");
  ASSERT_TRUE(net->SetUp(Request()).ok());
  ASSERT_TRUE(net->TearDown(Request()).ok());
  EXPECT_THAT(Sequence(Calls()),
              ElementsAre("ADD first eth0", "DEL first eth0"));
}

}  // namespace
}  // namespace berth::cni
