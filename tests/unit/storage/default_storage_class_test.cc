// The storage admissions: a claim created without a class gets the
// default one; new claims and volumes get the in-use protection finalizers.
#include "default_storage_class.h"

#include <gtest/gtest.h>

#include "fake_client.h"
#include "in_use_protection.h"

namespace berth::storage {
namespace {

constexpr const char* kClaim = R"({"metadata":{"name":"c"},"spec":{
  "accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})";

std::string Class(const std::string& name, bool is_default,
                  const std::string& created) {
  return R"({"metadata":{"name":")" + name + R"(","creationTimestamp":")" +
         created + R"(","annotations":{)" +
         (is_default ? R"("storageclass.kubernetes.io/is-default-class":"true")"
                     : "") +
         R"(}},"provisioner":"x.io/p"})";
}

std::string Admitted(
    FakeClient& client, const std::string& claim,
    AdmissionRequest::Operation op = AdmissionRequest::Operation::kCreate) {
  DefaultStorageClass admission(&client);
  AdmissionRequest req;
  req.operation = op;
  req.resource = {"", "v1", "persistentvolumeclaims"};
  req.kind = "PersistentVolumeClaim";
  auto doc = ParseJson(claim);
  EXPECT_TRUE(doc.ok());
  EXPECT_TRUE(admission.Admit(req, *doc, doc->GetAllocator()).ok());
  const Json* cls = Find(*doc, {"spec", "storageClassName"});
  return cls ? cls->GetString() : "<unset>";
}

TEST(DefaultStorageClass, FillsTheNewestDefaultClass) {
  FakeClient client;
  EXPECT_EQ(Admitted(client, kClaim), "<unset>");
  client.objects["storageclasses//slow"] =
      Class("slow", false, "2024-01-01T00:00:00Z");
  EXPECT_EQ(Admitted(client, kClaim), "<unset>");
  client.objects["storageclasses//standard"] =
      Class("standard", true, "2024-01-01T00:00:00Z");
  EXPECT_EQ(Admitted(client, kClaim), "standard");
  client.objects["storageclasses//portworx"] =
      Class("portworx", true, "2024-02-01T00:00:00Z");
  EXPECT_EQ(Admitted(client, kClaim), "portworx");
}

TEST(DefaultStorageClass, LeavesANamedOrEmptyClassAndUpdatesAlone) {
  FakeClient client;
  client.objects["storageclasses//standard"] =
      Class("standard", true, "2024-01-01T00:00:00Z");
  EXPECT_EQ(Admitted(client, R"({"metadata":{"name":"c"},
    "spec":{"storageClassName":""}})"),
            "");
  EXPECT_EQ(Admitted(client, R"({"metadata":{"name":"c"},
    "spec":{"storageClassName":"slow"}})"),
            "slow");
  EXPECT_EQ(Admitted(client, kClaim, AdmissionRequest::Operation::kUpdate),
            "<unset>");
}

TEST(InUseProtection, FinalizesNewClaimsAndVolumesOnly) {
  InUseProtection admission;
  auto admit = [&](const std::string& resource, const std::string& group,
                   AdmissionRequest::Operation op) {
    AdmissionRequest req;
    req.operation = op;
    req.resource = {group, "v1", resource};
    JsonDoc doc = ParseJson(R"({"metadata":{"name":"x"}})").value();
    EXPECT_TRUE(admission.Admit(req, doc, doc.GetAllocator()).ok());
    const Json* f = Find(doc, {"metadata", "finalizers"});
    return f ? ToJson(*f) : std::string("<none>");
  };
  const auto create = AdmissionRequest::Operation::kCreate;
  EXPECT_EQ(admit("persistentvolumeclaims", "", create),
            R"(["kubernetes.io/pvc-protection"])");
  EXPECT_EQ(admit("persistentvolumes", "", create),
            R"(["kubernetes.io/pv-protection"])");
  EXPECT_EQ(
      admit("persistentvolumeclaims", "", AdmissionRequest::Operation::kUpdate),
      "<none>");
  EXPECT_EQ(admit("storageclasses", "storage.k8s.io", create), "<none>");
}

}  // namespace
}  // namespace berth::storage
