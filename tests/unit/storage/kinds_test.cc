// PersistentVolume, PersistentVolumeClaim and StorageClass: defaults,
// validation with Kubernetes' messages, and kubectl's columns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "age.h"
#include "persistent_volume_claim_kind.h"
#include "persistent_volume_kind.h"
#include "storage_class_kind.h"

namespace berth::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

JsonDoc Defaulted(const Kind& kind, const std::string& text) {
  JsonDoc d = Parse(text);
  kind.Default(d, d.GetAllocator());
  return d;
}

std::vector<std::string> Describe(const std::vector<FieldCause>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.field + ": " + c.message);
  return out;
}

std::string CellsOf(const Kind& kind, const Json& obj) {
  JsonDoc cells;
  cells.SetArray();
  kind.Cells(obj, *core::ParseTimestamp("2024-03-01T12:05:00Z"), cells,
             cells.GetAllocator());
  return ToJson(cells);
}

std::vector<std::string> ColumnNames(const Kind& kind, int priority) {
  std::vector<std::string> out;
  for (const auto& c : kind.Columns()) {
    if (c.priority == priority) out.push_back(c.name);
  }
  return out;
}

// squash-postgres.yaml's volume and claim.
constexpr const char* kPostgresPv = R"({"apiVersion":"v1",
  "kind":"PersistentVolume","metadata":{"name":"postgres-pv",
  "labels":{"type":"local"},"creationTimestamp":"2024-03-01T12:00:00Z"},
  "spec":{"capacity":{"storage":"2Gi"},"storageClassName":"standard",
  "accessModes":["ReadWriteMany"],"hostPath":{"path":"/data/postgres-pv"}}})";
constexpr const char* kPostgresPvc = R"({"apiVersion":"v1",
  "kind":"PersistentVolumeClaim","metadata":{"name":"postgres-pvc",
  "namespace":"default","creationTimestamp":"2024-03-01T12:00:00Z"},
  "spec":{"accessModes":["ReadWriteMany"],
  "resources":{"requests":{"storage":"2Gi"}},"volumeName":"postgres-pv"}})";

TEST(PersistentVolumeKind, InfoMatchesKubernetes) {
  PersistentVolumeKind pv;
  EXPECT_EQ(pv.Info().plural, "persistentvolumes");
  EXPECT_FALSE(pv.Info().namespaced);
  EXPECT_THAT(pv.Info().short_names, ElementsAre("pv"));
  EXPECT_TRUE(pv.Info().status_subresource);
  EXPECT_NE(pv.OpenApiSchemas().find("io.k8s.api.core.v1.PersistentVolumeSpec"),
            std::string::npos);
}

TEST(PersistentVolumeKind, DefaultsRetainFilesystemPending) {
  PersistentVolumeKind kind;
  JsonDoc pv = Defaulted(kind, kPostgresPv);
  EXPECT_EQ(GetString(pv, {"spec", "persistentVolumeReclaimPolicy"}), "Retain");
  EXPECT_EQ(GetString(pv, {"spec", "volumeMode"}), "Filesystem");
  EXPECT_EQ(GetString(pv, {"status", "phase"}), "Pending");
  EXPECT_THAT(kind.Validate(pv, nullptr), IsEmpty());
}

TEST(PersistentVolumeKind, RefusesWhatKubernetesRefuses) {
  PersistentVolumeKind kind;
  JsonDoc pv = Defaulted(kind, R"({"metadata":{"name":"v"},"spec":{
    "accessModes":["ReadWriteSometimes"],"capacity":{"storage":"lots"},
    "persistentVolumeReclaimPolicy":"Keep",
    "hostPath":{"path":"/a"},"nfs":{"server":"s","path":"/b"}}})");
  EXPECT_THAT(
      Describe(kind.Validate(pv, nullptr)),
      ElementsAre(
          "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": "
          "supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
          "\"ReadWriteOnce\", \"ReadWriteOncePod\"",
          "spec.capacity[storage]: Invalid value: \"lots\": quantities must "
          "match the regular expression "
          "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          "spec.nfs: Forbidden: may not specify more than 1 volume type",
          "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": "
          "supported values: \"Delete\", \"Recycle\", \"Retain\""));
  JsonDoc empty = Defaulted(kind, R"({"metadata":{"name":"v"},"spec":{}})");
  EXPECT_THAT(Describe(kind.Validate(empty, nullptr)),
              ElementsAre("spec.accessModes: Required value: must specify at "
                          "least 1 access mode",
                          "spec.capacity: Required value",
                          "spec.capacity: Unsupported value: \"map[]\": "
                          "supported values: \"storage\"",
                          "spec: Required value: must specify a volume type"));
}

TEST(PersistentVolumeKind, HostPathAndLocalRules) {
  PersistentVolumeKind kind;
  auto causes = [&](const std::string& spec) {
    JsonDoc pv = Defaulted(kind, R"({"metadata":{"name":"v"},"spec":{)"
                                 R"("capacity":{"storage":"1Gi"},)"
                                 R"("accessModes":["ReadWriteOnce"],)" +
                                     spec + "}}");
    return Describe(kind.Validate(pv, nullptr));
  };
  EXPECT_THAT(causes(R"("hostPath":{"path":"/data/../etc"})"),
              ElementsAre("spec.hostPath.path: Invalid value: "
                          "\"/data/../etc\": must not contain '..'"));
  EXPECT_THAT(causes(R"("hostPath":{"path":"/data/..x"})"), IsEmpty());
  EXPECT_THAT(causes(R"("hostPath":{"path":"/"},)"
                     R"("persistentVolumeReclaimPolicy":"Recycle")"),
              ElementsAre("spec.persistentVolumeReclaimPolicy: Forbidden: "
                          "may not be 'recycle' for a hostPath mount of '/'"));
  EXPECT_THAT(causes(R"("local":{"path":"/mnt/disk"})"),
              ElementsAre("spec.nodeAffinity: Required value: Local volume "
                          "requires node affinity"));
  EXPECT_THAT(causes(R"("local":{"path":"/mnt/disk"},"nodeAffinity":{)"
                     R"("required":{"nodeSelectorTerms":[{"matchExpressions":[)"
                     R"({"key":"k","operator":"Exists"}]}]}})"),
              IsEmpty());
}

TEST(PersistentVolumeKind, SourceIsImmutable) {
  PersistentVolumeKind kind;
  JsonDoc old = Defaulted(kind, kPostgresPv);
  JsonDoc now = Defaulted(kind, kPostgresPv);
  now["spec"]["hostPath"]["path"].SetString("/elsewhere", now.GetAllocator());
  EXPECT_THAT(Describe(kind.Validate(now, &old)),
              ElementsAre("spec.persistentvolumesource: Forbidden: "
                          "spec.persistentvolumesource is immutable after "
                          "creation"));
}

TEST(PersistentVolumeKind, ColumnsAsKubectlShowsThem) {
  PersistentVolumeKind kind;
  EXPECT_THAT(ColumnNames(kind, 0),
              ElementsAre("Name", "Capacity", "Access Modes", "Reclaim Policy",
                          "Status", "Claim", "StorageClass",
                          "VolumeAttributesClass", "Reason", "Age"));
  EXPECT_THAT(ColumnNames(kind, 1), ElementsAre("VolumeMode"));
  JsonDoc pv = Defaulted(kind, kPostgresPv);
  pv["status"]["phase"].SetString("Bound");
  // Printed as resource.Quantity.String() prints it.
  pv["spec"]["capacity"]["storage"].SetString("2048Mi");
  auto& a = pv.GetAllocator();
  Json ref(rapidjson::kObjectType);
  SetString(ref, "namespace", "default", a);
  SetString(ref, "name", "postgres-pvc", a);
  SetMember(pv["spec"], "claimRef", std::move(ref), a);
  EXPECT_EQ(CellsOf(kind, pv),
            R"(["postgres-pv","2Gi","RWX","Retain","Bound",)"
            R"("default/postgres-pvc","standard","<unset>","","5m",)"
            R"("Filesystem"])");
}

TEST(PersistentVolumeClaimKind, DefaultsAndValidates) {
  PersistentVolumeClaimKind kind;
  EXPECT_THAT(kind.Info().short_names, ElementsAre("pvc"));
  JsonDoc pvc = Defaulted(kind, kPostgresPvc);
  EXPECT_EQ(GetString(pvc, {"spec", "volumeMode"}), "Filesystem");
  EXPECT_EQ(GetString(pvc, {"status", "phase"}), "Pending");
  // The class comes from the DefaultStorageClass admission, not defaulting.
  EXPECT_FALSE(Find(pvc, {"spec", "storageClassName"}));
  EXPECT_THAT(kind.Validate(pvc, nullptr), IsEmpty());

  JsonDoc bad = Defaulted(kind, R"({"metadata":{"name":"c"},"spec":{
    "storageClassName":"Not_A_Name","volumeMode":"Raw"}})");
  EXPECT_THAT(
      Describe(kind.Validate(bad, nullptr)),
      ElementsAre(
          "spec.accessModes: Required value: at least 1 access mode is "
          "required",
          "spec.resources[storage]: Required value",
          "spec.storageClassName: Invalid value: \"Not_A_Name\": a lowercase "
          "RFC 1123 subdomain must consist of lower case alphanumeric "
          "characters, '-' or '.', and must start and end with an "
          "alphanumeric character (e.g. 'example.com', regex used for "
          "validation is "
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          "spec.volumeMode: Unsupported value: \"Raw\": supported values: "
          "\"Block\", \"Filesystem\""));
  JsonDoc zero = Defaulted(kind, R"({"metadata":{"name":"c"},"spec":{
    "accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"0"}}}})");
  EXPECT_THAT(Describe(kind.Validate(zero, nullptr)),
              ElementsAre("spec.resources[storage]: Invalid value: \"0\": "
                          "must be greater than zero"));
}

TEST(PersistentVolumeClaimKind, SpecImmutableExceptGrowthWhenBound) {
  PersistentVolumeClaimKind kind;
  JsonDoc old = Defaulted(kind, kPostgresPvc);
  // Access modes may not change.
  JsonDoc modes = Defaulted(kind, kPostgresPvc);
  modes["spec"]["accessModes"][0].SetString("ReadWriteOnce");
  EXPECT_THAT(Describe(kind.Validate(modes, &old)),
              ElementsAre("spec: Forbidden: spec is immutable after creation "
                          "except resources.requests and "
                          "volumeAttributesClassName for bound claims"));
  // Growth is refused while Pending, allowed once Bound; shrinking never.
  JsonDoc grown = Defaulted(kind, kPostgresPvc);
  grown["spec"]["resources"]["requests"]["storage"].SetString("3Gi");
  EXPECT_EQ(kind.Validate(grown, &old).size(), 1u);
  old["status"]["phase"].SetString("Bound");
  grown["status"]["phase"].SetString("Bound");
  EXPECT_THAT(kind.Validate(grown, &old), IsEmpty());
  EXPECT_THAT(Describe(kind.Validate(old, &grown)),
              ElementsAre("spec.resources.requests.storage: Forbidden: field "
                          "can not be less than previous value"));
}

TEST(PersistentVolumeClaimKind, VolumeNameAndClassMaySetOnce) {
  PersistentVolumeClaimKind kind;
  const char* unbound = R"({"metadata":{"name":"c"},"spec":{
    "accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})";
  JsonDoc old = Defaulted(kind, unbound);
  JsonDoc bound = Defaulted(kind, unbound);
  auto& a = bound.GetAllocator();
  SetString(bound["spec"], "volumeName", "pv1", a);
  SetString(bound["spec"], "storageClassName", "standard", a);
  EXPECT_THAT(kind.Validate(bound, &old), IsEmpty());
  JsonDoc moved = Defaulted(kind, unbound);
  SetString(moved["spec"], "volumeName", "pv2", moved.GetAllocator());
  SetString(moved["spec"], "storageClassName", "standard",
            moved.GetAllocator());
  EXPECT_EQ(kind.Validate(moved, &bound).size(), 1u);
}

TEST(PersistentVolumeClaimKind, ColumnsAsKubectlShowsThem) {
  PersistentVolumeClaimKind kind;
  EXPECT_THAT(
      ColumnNames(kind, 0),
      ElementsAre("Name", "Status", "Volume", "Capacity", "Access Modes",
                  "StorageClass", "VolumeAttributesClass", "Age"));
  EXPECT_THAT(ColumnNames(kind, 1), ElementsAre("VolumeMode"));
  JsonDoc pending = Defaulted(kind, R"({"metadata":{"name":"c",
    "creationTimestamp":"2024-03-01T12:04:30Z"},"spec":{
    "accessModes":["ReadWriteOnce"],"storageClassName":"fast",
    "resources":{"requests":{"storage":"1Gi"}}}})");
  EXPECT_EQ(CellsOf(kind, pending),
            R"(["c","Pending","","","","fast","<unset>","30s","Filesystem"])");
  JsonDoc bound = Defaulted(kind, kPostgresPvc);
  auto& a = bound.GetAllocator();
  bound["status"]["phase"].SetString("Bound");
  SetMember(bound["status"], "accessModes",
            Json(bound["spec"]["accessModes"], a), a);
  JsonDoc cap = Parse(R"({"storage":"2Gi"})");
  SetMember(bound["status"], "capacity", Json(cap, a), a);
  EXPECT_EQ(CellsOf(kind, bound),
            R"(["postgres-pvc","Bound","postgres-pv","2Gi","RWX","",)"
            R"("<unset>","5m","Filesystem"])");
}

TEST(StorageClassKind, DefaultsValidatesAndPrintsDefault) {
  StorageClassKind kind;
  EXPECT_EQ(kind.Info().group, "storage.k8s.io");
  EXPECT_THAT(kind.Info().short_names, ElementsAre("sc"));
  EXPECT_THAT(kind.Info().also_served_versions, ElementsAre("v1beta1"));
  EXPECT_FALSE(kind.Info().namespaced);
  EXPECT_THAT(ColumnNames(kind, 0),
              ElementsAre("Name", "Provisioner", "ReclaimPolicy",
                          "VolumeBindingMode", "AllowVolumeExpansion", "Age"));
  JsonDoc sc = Defaulted(kind, R"({"metadata":{"name":"standard",
    "creationTimestamp":"2024-03-01T12:00:00Z",
    "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
    "provisioner":"rancher.io/local-path"})");
  EXPECT_EQ(GetString(sc, {"reclaimPolicy"}), "Delete");
  EXPECT_EQ(GetString(sc, {"volumeBindingMode"}), "Immediate");
  EXPECT_THAT(kind.Validate(sc, nullptr), IsEmpty());
  EXPECT_EQ(CellsOf(kind, sc),
            R"x(["standard (default)","rancher.io/local-path","Delete",)x"
            R"("Immediate",false,"5m"])");

  JsonDoc changed = Defaulted(kind, R"({"metadata":{"name":"standard"},
    "provisioner":"other.io/x","reclaimPolicy":"Retain",
    "volumeBindingMode":"WaitForFirstConsumer"})");
  EXPECT_THAT(Describe(kind.Validate(changed, &sc)),
              ElementsAre("provisioner: Forbidden: updates to provisioner are "
                          "forbidden.",
                          "reclaimPolicy: Forbidden: updates to reclaimPolicy "
                          "are forbidden.",
                          "volumeBindingMode: Invalid value: "
                          "\"WaitForFirstConsumer\": field is immutable"));
  JsonDoc bad = Defaulted(kind, R"({"metadata":{"name":"x"},
    "reclaimPolicy":"Recycle"})");
  EXPECT_THAT(Describe(kind.Validate(bad, nullptr)),
              ElementsAre("provisioner: Required value",
                          "reclaimPolicy: Unsupported value: \"Recycle\": "
                          "supported values: \"Delete\", \"Retain\""));
}

}  // namespace
}  // namespace berth::storage
