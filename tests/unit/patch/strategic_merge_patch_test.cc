#include "kernel/api/patch/strategic_merge_patch.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "tests/unit/patch/test_json.h"

namespace berth::patch {
namespace {

// The merge keys of the core/apps types the cases touch, as a kind plugin's
// MergeKey would answer; "" is a merged list of primitives.
std::optional<std::string> WorkloadKeys(const std::string& path) {
  static const std::map<std::string, std::string> kKeys = {
      {"spec.template.spec.containers", "name"},
      {"spec.template.spec.containers.ports", "containerPort"},
      {"spec.template.spec.containers.env", "name"},
      {"spec.template.spec.volumes", "name"},
      {"spec.containers", "name"},
      {"spec.containers.ports", "containerPort"},
      {"metadata.finalizers", ""},
      // The apimachinery test schema.
      {"mergingList", "name"},
      {"mergingIntList", ""},
  };
  auto it = kKeys.find(path);
  if (it == kKeys.end()) return std::nullopt;
  return it->second;
}

Status Apply(JsonDoc& target, const std::string& patch_text,
             const MergeKeyFn& keys = WorkloadKeys) {
  JsonDoc patch = ParseOrDie(patch_text);
  return ApplyStrategicMergePatch(patch, target, target.GetAllocator(), keys);
}

void ExpectPatch(const std::string& original, const std::string& patch,
                 const std::string& result) {
  JsonDoc target = ParseOrDie(original);
  Status s = Apply(target, patch);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(JsonEquals(target, result)) << "patch " << patch;
}

constexpr const char* kDeployment = R"({
  "apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","labels":{"app":"web","tier":"fe"},
    "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
  "spec":{"replicas":1,
    "strategy":{"type":"RollingUpdate",
      "rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
    "selector":{"matchLabels":{"app":"web"}},
    "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
      {"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}]},
      {"name":"sidecar","image":"busybox","args":["sleep","3600"]}]}}}})";

TEST(StrategicMergePatchTest, KubectlSetElementOrderKeepsServerOnlyContainer) {
  JsonDoc target = ParseOrDie(kDeployment);
  Status s = Apply(target, R"({"spec":{"template":{"spec":{
      "$setElementOrder/containers":[{"name":"nginx"}],
      "containers":[{"image":"nginx:1.27","name":"nginx"}]}}}})");
  ASSERT_TRUE(s.ok()) << s.ToString();
  const Json& containers =
      *Find(target, {"spec", "template", "spec", "containers"});
  EXPECT_TRUE(JsonEquals(containers, R"([
      {"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]},
      {"name":"sidecar","image":"busybox","args":["sleep","3600"]}])"));
  EXPECT_EQ(Member(*Find(target, {"spec", "template", "spec"}),
                   "$setElementOrder/containers"),
            nullptr);
}

TEST(StrategicMergePatchTest, NullDeletesLabel) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"metadata":{"labels":{"tier":null}}})").ok());
  EXPECT_TRUE(
      JsonEquals(*Find(target, {"metadata", "labels"}), R"({"app":"web"})"));
}

// What `kubectl apply` sends after a manifest edit: new last-applied
// annotation, a label dropped, replicas changed, one container's image and a
// new container, with the order directive.
TEST(StrategicMergePatchTest, ClientSideApplyThreeWayPatch) {
  JsonDoc target = ParseOrDie(kDeployment);
  Status s = Apply(target, R"({
    "metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":
      "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}\n"},
      "labels":{"tier":null}},
    "spec":{"replicas":3,"template":{"spec":{
      "$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"},
                                     {"name":"metrics"}],
      "containers":[{"image":"nginx:1.27","name":"nginx"},
                    {"image":"prom/exporter","name":"metrics"}]}}}})");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(
      GetString(target, {"metadata", "annotations",
                         "kubectl.kubernetes.io/last-applied-configuration"}),
      "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}\n");
  EXPECT_TRUE(
      JsonEquals(*Find(target, {"metadata", "labels"}), R"({"app":"web"})"));
  EXPECT_EQ(GetInt(target, {"spec", "replicas"}), 3);
  EXPECT_TRUE(
      JsonEquals(*Find(target, {"spec", "template", "spec", "containers"}),
                 R"([
      {"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]},
      {"name":"sidecar","image":"busybox","args":["sleep","3600"]},
      {"name":"metrics","image":"prom/exporter"}])"));
}

TEST(StrategicMergePatchTest, DeleteContainerByName) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"spec":{"template":{"spec":{"containers":[
      {"name":"sidecar","$patch":"delete"}]}}}})")
                  .ok());
  const Json& containers =
      *Find(target, {"spec", "template", "spec", "containers"});
  ASSERT_EQ(containers.Size(), 1u);
  EXPECT_EQ(GetString(containers[0], {"name"}), "nginx");
}

TEST(StrategicMergePatchTest, RetainKeysOnStrategy) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"spec":{"strategy":{
      "$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}})")
                  .ok());
  EXPECT_TRUE(JsonEquals(*Find(target, {"spec", "strategy"}),
                         R"({"type":"Recreate"})"));
}

TEST(StrategicMergePatchTest, RetainKeysClearsUnlistedFieldsWithoutNull) {
  // apimachinery: "retainKeys map adds a field and clear a field".
  ExpectPatch(
      R"({"retainKeysMap":{"name":"foo","other":"a"}})",
      R"({"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}})",
      R"({"retainKeysMap":{"name":"foo","value":"bar"}})");
}

TEST(StrategicMergePatchTest, RetainKeysMustListPatchedFields) {
  JsonDoc target = ParseOrDie(kDeployment);
  Status s = Apply(target, R"({"spec":{"strategy":{
      "$retainKeys":["type"],"type":"Recreate","rollingUpdate":{}}}})");
  EXPECT_EQ(s.code(), Status::Code::kBadRequest);
  EXPECT_EQ(s.message(), "invalid patch format of retainKeys");
  EXPECT_TRUE(JsonEquals(target, kDeployment));
}

TEST(StrategicMergePatchTest, ReplaceDirectiveOnMap) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"spec":{"strategy":{"$patch":"replace",
      "type":"Recreate"}}})")
                  .ok());
  EXPECT_TRUE(JsonEquals(*Find(target, {"spec", "strategy"}),
                         R"({"type":"Recreate"})"));
}

TEST(StrategicMergePatchTest, DeleteDirectiveOnMapEmptiesIt) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(
      Apply(target, R"({"metadata":{"labels":{"$patch":"delete"}}})").ok());
  EXPECT_TRUE(JsonEquals(*Find(target, {"metadata", "labels"}), "{}"));
}

TEST(StrategicMergePatchTest, ReplaceDirectiveInList) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"spec":{"template":{"spec":{"containers":[
      {"name":"only","image":"alpine"},{"$patch":"replace"}]}}}})")
                  .ok());
  EXPECT_TRUE(
      JsonEquals(*Find(target, {"spec", "template", "spec", "containers"}),
                 R"([{"name":"only","image":"alpine"}])"));
}

TEST(StrategicMergePatchTest, MergeDirectiveIsAPlainMerge) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(
      Apply(target, R"({"metadata":{"labels":{"$patch":"merge","x":"y"}}})")
          .ok());
  EXPECT_TRUE(JsonEquals(*Find(target, {"metadata", "labels"}),
                         R"({"app":"web","tier":"fe","x":"y"})"));
}

TEST(StrategicMergePatchTest, NestedListsMergeByTheirOwnKey) {
  std::vector<std::string> asked;
  auto keys = [&](const std::string& path) {
    asked.push_back(path);
    return WorkloadKeys(path);
  };
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"spec":{"template":{"spec":{"containers":[
      {"name":"nginx","ports":[{"containerPort":443,"name":"https"}],
       "args":["-v"]}]}}}})",
                    keys)
                  .ok());
  const Json& nginx =
      (*Find(target, {"spec", "template", "spec", "containers"}))[0];
  // New port first: apimachinery orders patch items before server-only ones
  // that the live list does not place earlier.
  EXPECT_TRUE(JsonEquals(*Member(nginx, "ports"),
                         R"([{"containerPort":443,"name":"https"},
                             {"containerPort":80}])"));
  EXPECT_TRUE(JsonEquals(*Member(nginx, "args"), R"(["-v"])"));
  EXPECT_NE(std::find(asked.begin(), asked.end(),
                      "spec.template.spec.containers.ports"),
            asked.end());
}

TEST(StrategicMergePatchTest, ListWithoutMergeKeyIsReplaced) {
  JsonDoc target = ParseOrDie(kDeployment);
  ASSERT_TRUE(Apply(target, R"({"spec":{"template":{"spec":{"containers":[
      {"name":"sidecar","args":["sleep","10"]}]}}}})")
                  .ok());
  const Json& sidecar =
      (*Find(target, {"spec", "template", "spec", "containers"}))[1];
  EXPECT_TRUE(JsonEquals(sidecar, R"({"name":"sidecar","image":"busybox",
                                      "args":["sleep","10"]})"));
}

TEST(StrategicMergePatchTest, NewFieldDropsNullsAndDirectives) {
  ExpectPatch(R"({"spec":{}})",
              R"({"spec":{"template":{"a":null,"b":1,"c":{"$patch":"delete"},
                  "d":[{"name":"x","$retainKeys":["name"]}]}}})",
              R"({"spec":{"template":{"b":1,"d":[{"name":"x"}]}}})");
}

TEST(StrategicMergePatchTest, PrimitiveMergeListAndDeleteFromPrimitiveList) {
  // Merged primitives: an item new to the live list goes before the live
  // items, then patch items keep their place after live items that the live
  // list orders first (apimachinery's mergeSortedSlice).
  ExpectPatch(R"({"metadata":{"finalizers":["a","b","c"]}})",
              R"({"metadata":{"finalizers":["d","b"]}})",
              R"({"metadata":{"finalizers":["d","a","b","c"]}})");
  ExpectPatch(
      R"({"metadata":{"finalizers":["a","b","c"]}})",
      R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b","x"]}})",
      R"({"metadata":{"finalizers":["a","c"]}})");
  ExpectPatch(R"({"metadata":{}})",
              R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}})",
              R"({"metadata":{}})");
}

// Cases from apimachinery's patch_test.go (ThreeWay applied to Current).
TEST(StrategicMergePatchTest, ApimachineryMergeListsOfMaps) {
  ExpectPatch(
      R"({"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]})",
      R"({"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],
          "mergingList":[{"name":4,"value":4},{"name":3,"value":3}]})",
      R"({"mergingList":[{"name":4,"value":4},{"name":1,"other":"a"},
          {"name":2,"value":2,"other":"b"},{"name":3,"value":3}]})");
}

TEST(StrategicMergePatchTest, ApimachinerySetElementOrderWithServerOnlyItems) {
  ExpectPatch(
      R"({"mergingList":[{"name":1,"other":"a"},{"name":3,"value":3},
          {"name":4,"value":4},{"name":2,"value":2},{"name":9}]})",
      R"({"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]})",
      R"({"mergingList":[{"name":4,"value":4},{"name":2,"value":2},
          {"name":3,"value":3},{"name":1,"other":"a"},{"name":9}]})");
  ExpectPatch(
      R"({"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":9},
          {"name":3,"value":3},{"name":4,"value":4}]})",
      R"({"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]})",
      R"({"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":9},
          {"name":4,"value":4},{"name":3,"value":3}]})");
  ExpectPatch(
      R"({"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":7},
          {"name":9},{"name":8},{"name":3,"value":3},{"name":4,"value":4}]})",
      R"({"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]})",
      R"({"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":7},
          {"name":9},{"name":8},{"name":4,"value":4},{"name":3,"value":3}]})");
}

TEST(StrategicMergePatchTest, ApimachineryPrimitiveListsPreserveOrder) {
  ExpectPatch(
      R"({"mergingIntList":[1,4,2]})",
      R"({"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]})",
      R"({"mergingIntList":[3,1,4,2]})");
  ExpectPatch(R"({"mergingIntList":[1,2,3,4]})",
              R"({"$setElementOrder/mergingIntList":[1,2,4],
                  "$deleteFromPrimitiveList/mergingIntList":[3]})",
              R"({"mergingIntList":[1,2,4]})");
}

TEST(StrategicMergePatchTest, MalformedPatchesAreRejected) {
  struct Bad {
    const char* patch;
    Status::Code code;
  };
  const Bad cases[] = {
      {R"({"spec":{"strategy":{"$patch":"frobnicate"}}})",
       Status::Code::kBadRequest},
      {R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})",
       Status::Code::kBadRequest},
      {R"({"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}})",
       Status::Code::kBadRequest},
      {R"({"spec":{"template":{"spec":{
          "$setElementOrder/containers":[{"name":"sidecar"}],
          "containers":[{"name":"nginx"}]}}}})",
       Status::Code::kBadRequest},
      {R"({"spec":{"strategy":{"$retainKeys":"type"}}})",
       Status::Code::kBadRequest},
      {R"({"metadata":{"$deleteFromPrimitiveListfinalizers":["a"]}})",
       Status::Code::kBadRequest},
      {R"({"spec":{"template":{"spec":{"containers":[[1]]}}}})",
       Status::Code::kInvalid},
      {R"(["not","an","object"])", Status::Code::kBadRequest},
  };
  for (const Bad& c : cases) {
    JsonDoc target = ParseOrDie(kDeployment);
    Status s = Apply(target, c.patch);
    EXPECT_EQ(s.code(), c.code) << c.patch << ": " << s.ToString();
    EXPECT_TRUE(JsonEquals(target, kDeployment)) << c.patch;
  }
}

TEST(StrategicMergePatchTest, PodContainersMergeAtPodPath) {
  ExpectPatch(
      R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}})",
      R"({"spec":{"containers":[{"name":"b","image":"z"}]}})",
      R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"z"}]}})");
}

}  // namespace
}  // namespace berth::patch
