// The `kubernetes` Service's endpoint reconciler: default/kubernetes'
// Endpoints and EndpointSlice point at the address and port the API server
// advertises, come back when edited, and are left alone when right.
#include "kubernetes_endpoints.h"

#include <string>

#include "fake_client.h"
#include "fake_host.h"
#include "test_util.h"

namespace berth::core {
namespace {

// FakeClient whose Create stores the object, as the server would.
class CreatingClient : public FakeClient {
 public:
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    JsonDoc d = Parse(object);
    const std::string key =
        r.resource + "/" + ns + "/" + GetString(d, {"metadata", "name"});
    if (objects.count(key)) return Status::AlreadyExists(key);
    objects[key] = object;
    writes.push_back(key);
    return object;
  }
};

class ApiHost : public FakeHost {
 public:
  Client& client() override { return creating_; }
  ApiEndpoint api_endpoint() const override { return api; }
  CreatingClient creating_;
  ApiEndpoint api{"192.0.2.10", 6443};
};

TEST(KubernetesEndpoints, PointAtTheAdvertisedAddressAndPort) {
  ApiHost host;
  KubernetesEndpointsReconciler reconciler(host);
  auto r = reconciler.Reconcile({"default", "kubernetes"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->requeue_after, KubernetesEndpointsReconciler::kInterval);

  JsonDoc ep = Parse(host.creating_.objects.at("endpoints/default/kubernetes"));
  EXPECT_EQ(ToJson(*Find(ep, {"subsets"})),
            R"([{"addresses":[{"ip":"192.0.2.10"}],)"
            R"("ports":[{"name":"https","port":6443,"protocol":"TCP"}]}])");
  // The mirroring controller must not make a second slice of it.
  EXPECT_EQ(GetString(ep, {"metadata", "labels",
                           "endpointslice.kubernetes.io/skip-mirror"}),
            "true");

  JsonDoc slice =
      Parse(host.creating_.objects.at("endpointslices/default/kubernetes"));
  EXPECT_EQ(GetString(slice, {"addressType"}), "IPv4");
  EXPECT_EQ(
      GetString(slice, {"metadata", "labels", "kubernetes.io/service-name"}),
      "kubernetes");
  EXPECT_EQ(ToJson(*Find(slice, {"endpoints"})),
            R"([{"addresses":["192.0.2.10"],"conditions":{"ready":true}}])");
  EXPECT_EQ(ToJson(*Find(slice, {"ports"})),
            R"([{"name":"https","port":6443,"protocol":"TCP"}])");
}

TEST(KubernetesEndpoints, RightObjectsAreNotRewritten) {
  ApiHost host;
  KubernetesEndpointsReconciler reconciler(host);
  ASSERT_TRUE(reconciler.Reconcile({"default", "kubernetes"}).ok());
  host.creating_.writes.clear();
  ASSERT_TRUE(reconciler.Reconcile({"default", "kubernetes"}).ok());
  EXPECT_TRUE(host.creating_.writes.empty());
}

TEST(KubernetesEndpoints, EditedObjectsAndANewPortAreCorrected) {
  ApiHost host;
  KubernetesEndpointsReconciler reconciler(host);
  host.creating_.objects["endpoints/default/kubernetes"] =
      R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"kubernetes",)"
      R"("namespace":"default","resourceVersion":"7","labels":{"x":"y"}},)"
      R"("subsets":[{"addresses":[{"ip":"10.9.9.9"}],)"
      R"("ports":[{"name":"https","port":1,"protocol":"TCP"}]}]})";
  host.api.port = 7443;
  ASSERT_TRUE(reconciler.Reconcile({"default", "kubernetes"}).ok());
  JsonDoc ep = Parse(host.creating_.objects.at("endpoints/default/kubernetes"));
  EXPECT_EQ(ToJson(*Find(ep, {"subsets"})),
            R"([{"addresses":[{"ip":"192.0.2.10"}],)"
            R"("ports":[{"name":"https","port":7443,"protocol":"TCP"}]}])");
  // The update is a compare-and-swap on what was read; other labels stay.
  EXPECT_EQ(GetString(ep, {"metadata", "resourceVersion"}), "7");
  EXPECT_EQ(GetString(ep, {"metadata", "labels", "x"}), "y");
  JsonDoc slice =
      Parse(host.creating_.objects.at("endpointslices/default/kubernetes"));
  EXPECT_EQ(ToJson(*Find(slice, {"ports"})),
            R"([{"name":"https","port":7443,"protocol":"TCP"}])");
}

TEST(KubernetesEndpoints, OtherServicesAndAgentsAreIgnored) {
  ApiHost host;
  KubernetesEndpointsReconciler reconciler(host);
  ASSERT_TRUE(reconciler.Reconcile({"default", "web"}).ok());
  ASSERT_TRUE(reconciler.Reconcile({"kube-system", "kubernetes"}).ok());
  EXPECT_TRUE(host.creating_.objects.empty());
  host.api = {};  // a process serving no API
  auto r = reconciler.Reconcile({"default", "kubernetes"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeue_after.count(), 0);
  EXPECT_TRUE(host.creating_.objects.empty());
}

}  // namespace
}  // namespace berth::core
