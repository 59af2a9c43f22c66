#include "kernel/api/apply/object_fields.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/unit/patch/test_json.h"

namespace berth::apply {
namespace {

using patch::ParseOrDie;

std::optional<std::string> Keys(const std::string& path) {
  static const std::map<std::string, std::string> kKeys = {
      {"spec.containers", "name"},
      {"spec.containers.ports", "containerPort"},
      {"metadata.finalizers", ""},
  };
  auto it = kKeys.find(path);
  if (it == kKeys.end()) return std::nullopt;
  return it->second;
}

TEST(ObjectFieldsTest, AppliedConfigurationFieldsMatchTheApiserver) {
  JsonDoc obj = ParseOrDie(R"({"metadata":{"labels":{"app":"web"},
      "finalizers":["a"]},
    "spec":{"containers":[{"name":"nginx","image":"nginx",
      "args":["-x"],"ports":[{"containerPort":80}]}],
      "securityContext":{}}})");
  EXPECT_EQ(
      FieldsOf(obj, Keys).ToFieldsV1String(),
      R"({"f:metadata":{"f:finalizers":{"v:\"a\"":{}},"f:labels":{"f:app":{}}},)"
      R"("f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},)"
      R"("f:args":{},"f:image":{},"f:name":{},"f:ports":{)"
      R"("k:{\"containerPort\":80}":{".":{},"f:containerPort":{}}}}},)"
      R"("f:securityContext":{}}})");
}

TEST(ObjectFieldsTest, CompareSeesAddedModifiedAndRemovedFields) {
  JsonDoc before = ParseOrDie(
      R"({"data":{"a":"1","b":"2"},"spec":{"containers":[{"name":"x",
        "image":"i1"}]}})");
  JsonDoc after = ParseOrDie(
      R"({"data":{"a":"9","c":"3"},"metadata":{"labels":{"l":"v"}},
        "spec":{"containers":[{"name":"x","image":"i2"},{"name":"y"}]}})");
  FieldChanges c = CompareObjects(before, after, Keys);
  EXPECT_EQ(c.modified.PathStrings(),
            (std::vector<std::string>{".data.a",
                                      ".spec.containers[name=\"x\"].image"}));
  EXPECT_EQ(c.removed.PathStrings(), std::vector<std::string>{".data.b"});
  EXPECT_EQ(c.added.PathStrings(),
            (std::vector<std::string>{".data.c", ".metadata.labels",
                                      ".metadata.labels.l",
                                      ".spec.containers[name=\"y\"]",
                                      ".spec.containers[name=\"y\"].name"}));
  EXPECT_TRUE(CompareObjects(after, after, Keys).modified.Empty());
}

TEST(ObjectFieldsTest, RemoveFieldsKeepsWhatOthersOwnBeneath) {
  JsonDoc obj = ParseOrDie(
      R"({"data":{"a":"1","b":"2"},"spec":{"containers":[{"name":"x",
        "image":"i","tty":true},{"name":"y"}]}})");
  FieldSet remove;
  remove.Insert({"f:data", "f:a"});
  remove.Insert({"f:spec", "f:containers", "k:{\"name\":\"x\"}"});
  remove.Insert({"f:spec", "f:containers", "k:{\"name\":\"x\"}", "f:tty"});
  remove.Insert({"f:spec", "f:containers", "k:{\"name\":\"y\"}"});
  FieldSet keep;
  keep.Insert({"f:spec", "f:containers", "k:{\"name\":\"x\"}", "f:image"});
  RemoveFields(obj, remove, keep);
  EXPECT_TRUE(patch::JsonEquals(
      obj, R"({"data":{"b":"2"},"spec":{"containers":[{"name":"x",
        "image":"i"}]}})"));
}

}  // namespace
}  // namespace berth::apply
