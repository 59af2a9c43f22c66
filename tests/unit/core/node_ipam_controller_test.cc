// Node IPAM over an in-memory API: Nodes without spec.podCIDR get distinct
// node CIDRs of the cluster CIDR, CIDRs Nodes already hold are learned
// before anything is handed out, the Service range is kept out, a deleted
// Node's CIDR is released, and a full range waits with CIDRNotAvailable.
#include "node_ipam_controller.h"

#include "fake_client.h"
#include "kernel/controller/informer_factory.h"
#include "node_ipam_settings.h"
#include "test_util.h"

namespace berth::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FakeHost : public Host {
 public:
  Client& client() override { return client_; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string& component,
                   const ObjectReference& regarding, const std::string& type,
                   const std::string& reason,
                   const std::string& message) override {
    events.push_back(component + " " + regarding.kind + "/" + regarding.name +
                     " " + type + " " + reason + ": " + message);
  }

  FakeClient client_;
  std::vector<std::string> events;
  InformerFactory informers_{client_};
};

std::string Node(const std::string& name, const std::string& cidr = "") {
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
         R"(","uid":"u-)" + name + R"("},"spec":{)" +
         (cidr.empty() ? "" : R"("podCIDR":")" + cidr + "\"") + "}}";
}

class NodeIpamControllerTest : public ::testing::Test {
 protected:
  std::unique_ptr<NodeIpamController> Controller(
      const std::string& settings = "{}", const std::string& services = "{}") {
    auto ipam = ParseNodeIpamSettings(settings);
    EXPECT_TRUE(ipam.ok()) << ipam.status().message();
    auto svc = ParseServiceNetwork(services);
    EXPECT_TRUE(svc.ok());
    return std::make_unique<NodeIpamController>(host_, *ipam, *svc);
  }
  void Add(const std::string& name, const std::string& cidr = "") {
    host_.client_.objects["nodes//" + name] = Node(name, cidr);
  }
  StatusOr<ReconcileResult> Run(NodeIpamController& c,
                                const std::string& name) {
    return c.Reconcile({"", name});
  }
  std::string Cidr(const std::string& name) {
    JsonDoc d = Parse(host_.client_.objects["nodes//" + name]);
    return GetString(d, {"spec", "podCIDR"});
  }
  std::string Cidrs(const std::string& name) {
    JsonDoc d = Parse(host_.client_.objects["nodes//" + name]);
    const Json* c = Find(d, {"spec", "podCIDRs"});
    return c ? ToJson(*c) : "";
  }

  FakeHost host_;
};

TEST_F(NodeIpamControllerTest, EveryNodeGetsItsOwnCidr) {
  auto c = Controller();
  for (const char* n : {"a", "b", "c"}) Add(n);
  for (const char* n : {"a", "b", "c"}) ASSERT_TRUE(Run(*c, n).ok());
  EXPECT_EQ(Cidr("a"), "10.244.0.0/24");
  EXPECT_EQ(Cidr("b"), "10.244.1.0/24");
  EXPECT_EQ(Cidr("c"), "10.244.2.0/24");
  EXPECT_EQ(Cidrs("b"), R"(["10.244.1.0/24"])");
  // Reconciling again changes nothing.
  const int updates = host_.client_.updates;
  for (const char* n : {"a", "b", "c"}) ASSERT_TRUE(Run(*c, n).ok());
  EXPECT_EQ(host_.client_.updates, updates);
}

TEST_F(NodeIpamControllerTest, LearnsTheCidrsNodesHoldBeforeHandingOut) {
  Add("old", "10.244.0.0/24");
  Add("other", "10.128.5.0/24");  // outside the range: not ours, kept
  Add("new");
  auto c = Controller();
  ASSERT_TRUE(Run(*c, "new").ok());
  EXPECT_EQ(Cidr("new"), "10.244.1.0/24");
  EXPECT_EQ(Cidr("other"), "10.128.5.0/24");
}

TEST_F(NodeIpamControllerTest, KeepsTheServiceRangeOut) {
  auto c = Controller(R"({"clusterCIDR":"10.96.0.0/16"})",
                      R"({"serviceClusterIPRange":"10.96.0.0/23"})");
  Add("a");
  ASSERT_TRUE(Run(*c, "a").ok());
  EXPECT_EQ(Cidr("a"), "10.96.2.0/24");
}

TEST_F(NodeIpamControllerTest, ReleasesADeletedNodesCidrAndWaitsWhenFull) {
  auto c = Controller(R"({"clusterCIDR":"10.250.0.0/23"})");
  for (const char* n : {"a", "b", "c"}) Add(n);
  ASSERT_TRUE(Run(*c, "a").ok());
  ASSERT_TRUE(Run(*c, "b").ok());
  auto full = Run(*c, "c");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->requeue_after, NodeIpamController::kFullRetry);
  EXPECT_EQ(Cidr("c"), "");
  EXPECT_THAT(host_.events,
              ElementsAre("cidrAllocator Node/c Normal CIDRNotAvailable: "
                          "Node c status is now: CIDRNotAvailable"));

  const std::string freed = Cidr("a");
  host_.client_.objects.erase("nodes//a");
  ASSERT_TRUE(Run(*c, "a").ok());
  ASSERT_TRUE(Run(*c, "c").ok());
  EXPECT_EQ(Cidr("c"), freed);
  EXPECT_NE(Cidr("b"), freed);
}

TEST(NodeIpamSettingsTest, DefaultsAndLimits) {
  auto d = ParseNodeIpamSettings("{}");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->allocate);
  EXPECT_EQ(d->cluster_cidr, "10.244.0.0/16");
  EXPECT_EQ(d->node_mask_size, 24);
  EXPECT_EQ(d->Count(), 256u);
  auto off = ParseNodeIpamSettings(R"({"allocateNodeCIDRs":false})");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->allocate);
  EXPECT_THAT(ParseNodeIpamSettings(R"({"clusterCIDR":"10.244.0.0"})")
                  .status()
                  .message(),
              HasSubstr("clusterCIDR: invalid value \"10.244.0.0\""));
  EXPECT_THAT(ParseNodeIpamSettings(
                  R"({"clusterCIDR":"10.0.0.0/8","nodeCIDRMaskSize":25})")
                  .status()
                  .message(),
              HasSubstr("at most 16 bits longer"));
  EXPECT_THAT(
      ParseNodeIpamSettings(R"({"nodeCIDRMaskSize":8})").status().message(),
      HasSubstr("nodeCIDRMaskSize: 8 must be between"));
}

}  // namespace
}  // namespace berth::core
