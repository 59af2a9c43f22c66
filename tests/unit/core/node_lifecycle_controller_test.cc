// The node lifecycle controller's writes for one node key, over an
// in-memory API and a fixed clock: a silent node's status and taints, its
// pods marked not Ready or evicted, the requeue delays, and the events.
#include "node_lifecycle_controller.h"

#include "age.h"
#include "fake_host.h"
#include "test_util.h"

namespace berth::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;

constexpr const char* kNode = R"({"apiVersion":"v1","kind":"Node",
  "metadata":{"name":"n1","uid":"u1",
  "creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{},
  "status":{"conditions":[{"type":"Ready","status":"True",
    "lastHeartbeatTime":"2026-01-01T00:00:00Z"}]}})";
constexpr const char* kLease = R"({"metadata":{"name":"n1",
  "namespace":"kube-node-lease"},
  "spec":{"renewTime":"2026-01-01T00:01:00.000000Z"}})";

std::string PodOn(const std::string& name, const std::string& node,
                  const std::string& tolerations = "[]") {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"default"},"spec":{"nodeName":")" + node +
         R"(","tolerations":)" + tolerations +
         R"(},"status":{"conditions":[{"type":"Ready","status":"True"}]}})";
}

class NodeLifecycleControllerTest : public ::testing::Test {
 protected:
  NodeLifecycleControllerTest() {
    objects()["nodes//n1"] = kNode;
    objects()["leases/kube-node-lease/n1"] = kLease;
    objects()["pods/default/plain"] = PodOn("plain", "n1");
    objects()["pods/default/patient"] =
        PodOn("patient", "n1",
              R"([{"key":"node.kubernetes.io/unreachable","operator":"Exists",)"
              R"("effect":"NoExecute","tolerationSeconds":30}])");
    objects()["pods/default/elsewhere"] = PodOn("elsewhere", "n2");
  }
  std::map<std::string, std::string>& objects() {
    return host_.client_.objects;
  }
  StatusOr<ReconcileResult> ReconcileAt(const char* now) {
    NodeLifecycleController controller(host_, settings_,
                                       [now] { return *ParseTimestamp(now); });
    return controller.Reconcile({"", "n1"});
  }
  std::string Field(const std::string& key,
                    std::initializer_list<std::string_view> path) {
    JsonDoc d = Parse(objects()[key]);
    const Json* v = Find(d, path);
    return v ? ToJson(*v) : "<absent>";
  }
  // The status of the object's first condition.
  std::string FirstCondition(const std::string& key) {
    JsonDoc d = Parse(objects()[key]);
    return GetString(d["status"]["conditions"][0], {"status"});
  }

  FakeHost host_;
  NodeLifecycleSettings settings_;  // 50 s grace, 5 s monitor period
};

TEST_F(NodeLifecycleControllerTest, RenewedLeaseKeepsTheNodeAlone) {
  auto r = ReconcileAt("2026-01-01T00:01:30Z");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(host_.client_.writes.empty());
  EXPECT_TRUE(host_.client_.deleted.empty());
  // Looked at again just after the lease would expire (00:01:50).
  EXPECT_EQ(r->requeue_after, milliseconds(21000));
}

TEST_F(NodeLifecycleControllerTest, SilentNodeIsMarkedTaintedAndEvicts) {
  auto r = ReconcileAt("2026-01-01T00:02:00Z");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(host_.client_.writes, ElementsAre("nodes//n1/status", "nodes//n1",
                                                "pods/default/patient/status"));
  EXPECT_EQ(FirstCondition("nodes//n1"), "Unknown");
  EXPECT_EQ(Field("nodes//n1", {"spec", "taints"}),
            R"([{"key":"node.kubernetes.io/unreachable","effect":)"
            R"("NoSchedule"},{"key":"node.kubernetes.io/unreachable",)"
            R"("effect":"NoExecute","timeAdded":"2026-01-01T00:02:00Z"}])");
  // No toleration: deleted at once. 30 s toleration: not Ready, kept.
  EXPECT_THAT(host_.client_.deleted, ElementsAre("pods/default/plain"));
  EXPECT_EQ(FirstCondition("pods/default/patient"), "False");
  EXPECT_EQ(FirstCondition("pods/default/elsewhere"), "True");
  EXPECT_THAT(host_.events,
              ElementsAre("node-controller Node/n1 Normal NodeNotReady: Node "
                          "n1 status is now: NodeNotReady",
                          "taint-eviction-controller Pod/plain Normal "
                          "TaintManagerEviction: Marking for deletion Pod "
                          "default/plain"));
  EXPECT_EQ(r->requeue_after, settings_.monitor_period);

  // 30 s after the taint: the patient pod goes too.
  auto later = ReconcileAt("2026-01-01T00:02:31Z");
  ASSERT_TRUE(later.ok());
  EXPECT_THAT(host_.client_.deleted,
              ElementsAre("pods/default/plain", "pods/default/patient"));
}

TEST_F(NodeLifecycleControllerTest, WaitsForTheNextEvictionDue) {
  settings_.monitor_period = seconds(60);
  ASSERT_TRUE(ReconcileAt("2026-01-01T00:02:00Z").ok());
  auto r = ReconcileAt("2026-01-01T00:02:10Z");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeue_after, seconds(20));  // the patient pod's 30 s
}

TEST_F(NodeLifecycleControllerTest, BackFromSilenceDropsTheTaints) {
  ASSERT_TRUE(ReconcileAt("2026-01-01T00:02:00Z").ok());
  // The kubelet posts Ready again and renews its lease.
  JsonDoc node = Parse(objects()["nodes//n1"]);
  node["status"]["conditions"][0]["status"] = "True";
  node["status"]["conditions"][0]["lastHeartbeatTime"] = "2026-01-01T00:03:00Z";
  objects()["nodes//n1"] = ToJson(node);
  host_.client_.writes.clear();
  auto r = ReconcileAt("2026-01-01T00:03:01Z");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(host_.client_.writes, ElementsAre("nodes//n1"));
  EXPECT_EQ(Find(Parse(objects()["nodes//n1"]), {"spec", "taints"}), nullptr);
}

TEST_F(NodeLifecycleControllerTest, GoneNodeIsDone) {
  objects().erase("nodes//n1");
  auto r = ReconcileAt("2026-01-01T00:02:00Z");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeue_after.count(), 0);
}

}  // namespace
}  // namespace berth::core
