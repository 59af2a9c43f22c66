// The pod garbage collector's orphan scan: a pod bound to a node that does
// not exist is deleted at once (grace period 0) after the quarantine, with
// an event; one whose node shows up in time, or an unbound one, stays.
#include "pod_gc_controller.h"

#include "fake_host.h"
#include "test_util.h"

namespace berth::core {
namespace {

using ::testing::ElementsAre;

std::string PodOn(const std::string& name, const std::string& node) {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"default","uid":"u-)" + name +
         R"("},"spec":{"nodeName":")" + node + R"("}})";
}

TEST(OrphanPodGcTest, PodsOfAMissingNodeGoAfterTheQuarantine) {
  FakeHost host;
  auto& objects = host.client_.objects;
  objects["pods/default/orphan"] = PodOn("orphan", "gone");
  objects["pods/default/early"] = PodOn("early", "coming");
  objects["pods/default/placed"] = PodOn("placed", "n1");
  objects["pods/default/pending"] = PodOn("pending", "");
  objects["nodes//n1"] = R"({"metadata":{"name":"n1"}})";

  OrphanPodGcController gc(host, std::chrono::seconds(40));
  // First sight: quarantined, asked back when it ends.
  auto first = gc.Reconcile({"default", "orphan"});
  ASSERT_TRUE(first.ok());
  EXPECT_GT(first->requeue_after, std::chrono::seconds(39));
  EXPECT_TRUE(objects.count("pods/default/orphan"));
  for (const char* name : {"placed", "pending"}) {
    auto r = gc.Reconcile({"default", name});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->requeue_after.count(), 0);
  }

  // With no quarantine the orphan goes; a node that came meanwhile keeps
  // its pod.
  OrphanPodGcController now(host, std::chrono::seconds(0));
  objects["nodes//coming"] = R"({"metadata":{"name":"coming"}})";
  ASSERT_TRUE(now.Reconcile({"default", "early"}).ok());
  ASSERT_TRUE(now.Reconcile({"default", "orphan"}).ok());
  EXPECT_THAT(host.client_.deleted, ElementsAre("pods/default/orphan"));
  EXPECT_THAT(host.events,
              ElementsAre("pod-garbage-collector Pod/orphan Normal "
                          "PodGarbageCollected: Deleting orphaned pod "
                          "default/orphan: node gone no longer exists"));
  // Gone already: nothing to do.
  EXPECT_TRUE(now.Reconcile({"default", "orphan"}).ok());
}

}  // namespace
}  // namespace berth::core
