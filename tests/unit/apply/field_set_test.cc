#include "kernel/api/apply/field_set.h"

#include <gtest/gtest.h>

#include "kernel/api/apply/managed_fields.h"
#include "tests/unit/patch/test_json.h"

namespace berth::apply {
namespace {

using patch::JsonEquals;
using patch::ParseOrDie;

// The fieldsV1 of a Deployment's kubectl-client-side-apply entry as
// `kubectl get deploy -o yaml --show-managed-fields` prints it, children in
// the order structured-merge-diff writes them.
constexpr char kDeploymentFields[] =
    R"({"f:metadata":{"f:annotations":{".":{},)"
    R"("f:kubectl.kubernetes.io/last-applied-configuration":{}},)"
    R"("f:labels":{".":{},"f:app":{}}},)"
    R"("f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},)"
    R"("f:revisionHistoryLimit":{},"f:selector":{},)"
    R"("f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},)"
    R"("f:maxUnavailable":{}},"f:type":{}},)"
    R"("f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},)"
    R"("f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},)"
    R"("f:image":{},"f:imagePullPolicy":{},"f:name":{},)"
    R"("f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":)"
    R"({".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}})";

TEST(FieldSetTest, RealFieldsV1RoundTripsToTheSameText) {
  JsonDoc doc = ParseOrDie(kDeploymentFields);
  auto set = FieldSet::FromFieldsV1(doc);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->ToFieldsV1String(), kDeploymentFields);
}

TEST(FieldSetTest, DocsConfigMapEntryDecodesToItsPaths) {
  // The managedFields of the Kubernetes "Server-Side Apply" documentation's
  // test-cm ConfigMap (written there with f:metadata before f:data).
  JsonDoc obj = ParseOrDie(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"test-cm","namespace":"default",
      "labels":{"test-label":"test"},
      "managedFields":[{"manager":"kubectl","operation":"Apply",
        "apiVersion":"v1","time":"2010-10-10T00:00:00Z",
        "fieldsType":"FieldsV1",
        "fieldsV1":{"f:metadata":{"f:labels":{"f:test-label":{}}},
                    "f:data":{"f:key":{}}}}]},
    "data":{"key":"some value"}})");
  auto entries = DecodeManagedFields(obj);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 1u);
  const ManagedFieldsEntry& e = (*entries)[0];
  EXPECT_EQ(e.manager, "kubectl");
  EXPECT_EQ(e.operation, "Apply");
  EXPECT_EQ(e.time, "2010-10-10T00:00:00Z");
  EXPECT_EQ(
      e.fields.PathStrings(),
      (std::vector<std::string>{".data.key", ".metadata.labels.test-label"}));
  // Encoding gives the same entry back (fields sorted).
  JsonDoc out(rapidjson::kObjectType);
  EncodeManagedFields(*entries, out, out.GetAllocator());
  EXPECT_TRUE(JsonEquals(out["metadata"]["managedFields"],
                         ToJson((*Find(obj, {"metadata", "managedFields"})))));
  EXPECT_EQ(ToJson(out["metadata"]["managedFields"][0]["fieldsV1"]),
            R"({"f:data":{"f:key":{}},"f:metadata":{"f:labels":)"
            R"({"f:test-label":{}}}})");
}

TEST(FieldSetTest, PathsPrintAsStructuredMergeDiffPrintsThem) {
  auto set = FieldSet::FromFieldsV1(ParseOrDie(kDeploymentFields));
  ASSERT_TRUE(set.ok());
  auto paths = set->PathStrings();
  EXPECT_NE(std::find(paths.begin(), paths.end(),
                      ".spec.template.spec.containers[name=\"nginx\"]."
                      "ports[containerPort=80,protocol=\"TCP\"]."
                      "containerPort"),
            paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), ".metadata.labels"),
            paths.end());
  // ".metadata" holds members but is none itself.
  EXPECT_EQ(std::find(paths.begin(), paths.end(), ".metadata"), paths.end());
  EXPECT_EQ(PathElementString("v:\"a\""), "[=\"a\"]");
}

TEST(FieldSetTest, RejectsUnknownPathElements) {
  EXPECT_FALSE(FieldSet::FromFieldsV1(ParseOrDie(R"({"x:y":{}})")).ok());
  EXPECT_FALSE(FieldSet::FromFieldsV1(ParseOrDie(R"({"f:a":1})")).ok());
}

TEST(FieldSetTest, SetAlgebra) {
  FieldSet a, b;
  a.Insert({"f:data", "f:x"});
  a.Insert({"f:data", "f:y"});
  b.Insert({"f:data", "f:y"});
  b.Insert({"f:data", "f:z"});
  EXPECT_EQ(a.Union(b).PathStrings(),
            (std::vector<std::string>{".data.x", ".data.y", ".data.z"}));
  EXPECT_EQ(a.Difference(b).PathStrings(), std::vector<std::string>{".data.x"});
  EXPECT_EQ(a.Intersection(b).PathStrings(),
            std::vector<std::string>{".data.y"});
  EXPECT_TRUE(a.Difference(a).Empty());
  // Removing a parent path keeps its children.
  FieldSet parent;
  parent.Insert({"f:data"});
  FieldSet both = a.Union(parent);
  EXPECT_EQ(both.Difference(parent).PathStrings(),
            (std::vector<std::string>{".data.x", ".data.y"}));
}

}  // namespace
}  // namespace berth::apply
