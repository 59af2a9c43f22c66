// The root CA publisher: every live namespace gets kube-root-ca.crt with the
// cluster CA, an edited one is put back, a terminating namespace and a
// cluster without a CA get nothing.
#include "root_ca_publisher.h"

#include <string>

#include "fake_client.h"
#include "fake_host.h"
#include "test_util.h"

namespace berth::core {
namespace {

constexpr const char* kCa =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

class CaHost : public FakeHost {
 public:
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
      return object;
    }
  };
  Client& client() override { return creating_; }
  std::string cluster_ca_pem() const override { return ca; }
  CreatingClient creating_;
  std::string ca = kCa;
};

TEST(RootCaPublisher, EveryLiveNamespaceGetsTheClusterCa) {
  CaHost host;
  host.creating_.objects["namespaces//blue"] =
      R"({"metadata":{"name":"blue"}})";
  RootCaPublisher publisher(host);
  ASSERT_TRUE(publisher.Reconcile({"", "blue"}).ok());
  JsonDoc cm =
      Parse(host.creating_.objects.at("configmaps/blue/kube-root-ca.crt"));
  EXPECT_EQ(GetString(cm, {"data", "ca.crt"}), kCa);
  EXPECT_EQ(GetString(cm, {"metadata", "namespace"}), "blue");
  EXPECT_NE(
      GetString(cm, {"metadata", "annotations", "kubernetes.io/description"}),
      "");
  // Already right: not written again.
  ASSERT_TRUE(publisher.Reconcile({"", "blue"}).ok());
  EXPECT_EQ(host.creating_.updates, 0);
}

TEST(RootCaPublisher, EditedConfigMapIsPutBackKeepingItsLabels) {
  CaHost host;
  host.creating_.objects["namespaces//blue"] =
      R"({"metadata":{"name":"blue"}})";
  host.creating_.objects["configmaps/blue/kube-root-ca.crt"] =
      R"({"metadata":{"name":"kube-root-ca.crt","namespace":"blue",)"
      R"("resourceVersion":"4","labels":{"mine":"yes"}},)"
      R"("data":{"ca.crt":"forged","extra":"x"}})";
  RootCaPublisher publisher(host);
  auto trigger = publisher.ConfigMapTrigger();
  ASSERT_TRUE(trigger->Reconcile({"blue", "kube-root-ca.crt"}).ok());
  JsonDoc cm =
      Parse(host.creating_.objects.at("configmaps/blue/kube-root-ca.crt"));
  const Json* data = Find(cm, {"data"});
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->MemberCount(), 1u);
  EXPECT_EQ(GetString(cm, {"data", "ca.crt"}), kCa);
  EXPECT_EQ(GetString(cm, {"metadata", "labels", "mine"}), "yes");
  EXPECT_EQ(GetString(cm, {"metadata", "resourceVersion"}), "4");
}

TEST(RootCaPublisher, TerminatingNamespacesAndNoCaGetNothing) {
  CaHost host;
  host.creating_.objects["namespaces//gone"] =
      R"({"metadata":{"name":"gone","deletionTimestamp":"2026-01-01T00:00:00Z"}})";
  RootCaPublisher publisher(host);
  ASSERT_TRUE(publisher.Reconcile({"", "gone"}).ok());
  ASSERT_TRUE(publisher.Reconcile({"", "absent"}).ok());
  EXPECT_FALSE(
      host.creating_.objects.count("configmaps/gone/kube-root-ca.crt"));
  host.creating_.objects["namespaces//plain"] =
      R"({"metadata":{"name":"plain"}})";
  host.ca.clear();
  ASSERT_TRUE(publisher.Reconcile({"", "plain"}).ok());
  EXPECT_FALSE(
      host.creating_.objects.count("configmaps/plain/kube-root-ca.crt"));
  // Other ConfigMaps do not concern it.
  ASSERT_TRUE(publisher.ConfigMapTrigger()->Reconcile({"plain", "cfg"}).ok());
}

}  // namespace
}  // namespace berth::core
