// The storage admissions: a claim created without a class gets the
// default one; new claims and volumes get the in-use protection finalizers;
// a claim grows only when bound and its class allows expansion.
#include "default_storage_class.h"

#include <gtest/gtest.h>

#include "claim_resize.h"
#include "fake_client.h"
#include "in_use_protection.h"
#include "storage_settings.h"

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

TEST(ClaimResize, GrowsOnlyBoundClaimsOfExpandableClasses) {
  FakeClient client;
  client.objects["storageclasses//rigid"] =
      R"({"metadata":{"name":"rigid"},"provisioner":"x.io/p"})";
  client.objects["storageclasses//elastic"] =
      R"({"metadata":{"name":"elastic"},"provisioner":"x.io/p",)"
      R"("allowVolumeExpansion":true})";
  ClaimResize admission(&client);
  auto resize = [&](const std::string& cls, const std::string& phase,
                    const std::string& to) {
    const std::string old_text =
        R"({"metadata":{"name":"c"},"spec":{"storageClassName":")" + cls +
        R"(","resources":{"requests":{"storage":"1Gi"}}},)"
        R"("status":{"phase":")" +
        phase + R"("}})";
    JsonDoc old = ParseJson(old_text).value();
    JsonDoc now = ParseJson(old_text).value();
    now["spec"]["resources"]["requests"]["storage"].SetString(
        to.c_str(), now.GetAllocator());
    AdmissionRequest req;
    req.operation = AdmissionRequest::Operation::kUpdate;
    req.resource = {"", "v1", "persistentvolumeclaims"};
    req.name = "c";
    req.old_object = &old;
    Status s = admission.Admit(req, now, now.GetAllocator());
    return s.ok() ? std::string("ok") : s.message();
  };
  EXPECT_EQ(resize("elastic", "Bound", "2Gi"), "ok");
  EXPECT_EQ(resize("rigid", "Bound", "1Gi"), "ok");
  EXPECT_EQ(resize("rigid", "Bound", "2Gi"),
            "persistentvolumeclaims \"c\" is forbidden: only dynamically "
            "provisioned pvc can be resized and the storageclass that "
            "provisions the pvc must support resize");
  EXPECT_EQ(resize("elastic", "Pending", "2Gi"),
            "persistentvolumeclaims \"c\" is forbidden: Only bound persistent "
            "volume claims can be expanded");
}

TEST(StorageSettings, DefaultsOverridesAndMistakes) {
  auto defaults = ParseStorageSettings("{}");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(DefaultClassObject(*defaults),
            R"({"apiVersion":"storage.k8s.io/v1","kind":"StorageClass",)"
            R"("metadata":{"name":"standard","annotations":{)"
            R"("storageclass.kubernetes.io/is-default-class":"true"}},)"
            R"("provisioner":"kubernetes.io/no-provisioner",)"
            R"("reclaimPolicy":"Delete","volumeBindingMode":"Immediate"})");
  auto local = ParseStorageSettings(
      R"({"defaultClassName":"local","defaultClassBindingMode":"WaitForFirstConsumer"})");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->default_class_name, "local");
  EXPECT_EQ(local->default_class_binding_mode, "WaitForFirstConsumer");
  EXPECT_EQ(ParseStorageSettings(R"({"defaultClass":"x"})").status().message(),
            "unknown setting defaultClass");
  EXPECT_FALSE(ParseStorageSettings(R"({"defaultClassName":3})").ok());
  EXPECT_FALSE(
      ParseStorageSettings(R"({"defaultClassBindingMode":"Later"})").ok());
}

}  // namespace
}  // namespace berth::storage
