#include "namespace_controller.h"

#include "fake_client.h"
#include "test_util.h"

namespace berth::core {
namespace {

TEST(NamespaceController, EmptiesThenFinalizesTerminatingNamespace) {
  FakeClient client;
  client.objects["namespaces//blue"] =
      R"({"metadata":{"name":"blue","deletionTimestamp":"2024-03-01T12:00:00Z"},)"
      R"("spec":{"finalizers":["kubernetes"]},"status":{"phase":"Terminating"}})";
  client.objects["pods/blue/web"] =
      R"({"metadata":{"name":"web","namespace":"blue"}})";
  client.objects["configmaps/blue/cfg"] =
      R"({"metadata":{"name":"cfg","namespace":"blue"}})";
  client.objects["pods/green/keep"] =
      R"({"metadata":{"name":"keep","namespace":"green"}})";

  NamespaceController controller(client);
  EXPECT_EQ(controller.Primary().resource, "namespaces");
  auto first = controller.Reconcile({"", "blue"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->requeue_after, NamespaceController::kRecheck);
  EXPECT_FALSE(client.objects.count("pods/blue/web"));
  EXPECT_FALSE(client.objects.count("configmaps/blue/cfg"));
  EXPECT_TRUE(client.objects.count("pods/green/keep"));
  EXPECT_TRUE(client.objects.count("namespaces//blue"));
  EXPECT_EQ(client.updates, 0);

  auto second = controller.Reconcile({"", "blue"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->requeue_after.count(), 0);
  EXPECT_EQ(client.updates, 1);
  EXPECT_FALSE(client.objects.count("namespaces//blue"));
  EXPECT_TRUE(client.objects.count("pods/green/keep"));
}

TEST(NamespaceController, LeavesLiveNamespacesAlone) {
  FakeClient client;
  client.objects["namespaces//green"] =
      R"({"metadata":{"name":"green"},"spec":{"finalizers":["kubernetes"]}})";
  client.objects["pods/green/keep"] =
      R"({"metadata":{"name":"keep","namespace":"green"}})";
  NamespaceController controller(client);
  auto r = controller.Reconcile({"", "green"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeue_after.count(), 0);
  EXPECT_TRUE(client.deleted.empty());
  auto gone = controller.Reconcile({"", "absent"});
  EXPECT_TRUE(gone.ok());
}

TEST(NamespaceController, WaitsForFinalizingObjects) {
  FakeClient client;
  client.objects["namespaces//blue"] =
      R"({"metadata":{"name":"blue","deletionTimestamp":"2024-03-01T12:00:00Z"},)"
      R"("spec":{"finalizers":["kubernetes"]}})";
  client.objects["pods/blue/slow"] =
      R"({"metadata":{"name":"slow","namespace":"blue",)"
      R"("deletionTimestamp":"2024-03-01T12:00:00Z","finalizers":["x"]}})";
  NamespaceController controller(client);
  auto r = controller.Reconcile({"", "blue"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeue_after, NamespaceController::kRecheck);
  EXPECT_TRUE(client.deleted.empty());
  EXPECT_EQ(client.updates, 0);
}

}  // namespace
}  // namespace berth::core
