#include "namespace_controller.h"

#include <map>

#include "test_util.h"

namespace berth::core {
namespace {

// An in-memory API: objects keyed by "resource/namespace/name".
class FakeClient : public Client {
 public:
  std::vector<ServedResource> ServerResources() override {
    return {{{"", "v1", "namespaces"}, "Namespace", false},
            {{"", "v1", "pods"}, "Pod", true},
            {{"", "v1", "configmaps"}, "ConfigMap", true}};
  }
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    auto it = objects.find(r.resource + "/" + ns + "/" + name);
    if (it == objects.end()) return Status::NotFound(name);
    return it->second;
  }
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions&) override {
    std::string items;
    const std::string prefix = r.resource + "/" + ns + "/";
    for (const auto& [key, obj] : objects) {
      if (key.rfind(prefix, 0) != 0) continue;
      items += (items.empty() ? "" : ",") + obj;
    }
    return R"({"items":[)" + items + "]}";
  }
  StatusOr<std::string> Create(const ResourceRef&, const std::string&,
                               const std::string&) override {
    return Status::Internal("unused");
  }
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string&) override {
    JsonDoc d = Parse(object);
    objects[r.resource + "/" + ns + "/" + GetString(d, {"metadata", "name"})] =
        object;
    ++updates;
    return object;
  }
  StatusOr<std::string> MergePatch(const ResourceRef&, const std::string&,
                                   const std::string&, const std::string&,
                                   const std::string&) override {
    return Status::Internal("unused");
  }
  // Namespaces with finalizers are only marked; everything else goes.
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Internal("not faked");
  }
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions&) override {
    const std::string key = r.resource + "/" + ns + "/" + name;
    auto it = objects.find(key);
    if (it == objects.end()) return Status::NotFound(name);
    deleted.push_back(key);
    JsonDoc d = Parse(it->second);
    const Json* fins = Find(d, {"spec", "finalizers"});
    if (r.resource == "namespaces" && fins && !fins->Empty())
      return Status::Ok();
    objects.erase(it);
    return Status::Ok();
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Internal("unused");
  }

  std::map<std::string, std::string> objects;
  std::vector<std::string> deleted;
  int updates = 0;
};

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
