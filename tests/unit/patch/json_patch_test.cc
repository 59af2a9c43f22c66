#include "kernel/api/patch/json_patch.h"

#include <gtest/gtest.h>

#include "tests/unit/patch/test_json.h"

namespace berth::patch {
namespace {

Status Apply(JsonDoc& target, const std::string& patch_text) {
  JsonDoc patch = ParseOrDie(patch_text);
  return ApplyJsonPatch(patch, target, target.GetAllocator());
}

struct Case {
  const char* target;
  const char* patch;
  const char* result;
};

// RFC 6902 Appendix A, the examples that succeed.
TEST(JsonPatchTest, Rfc6902Examples) {
  const Case cases[] = {
      // A.1 adding an object member
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
       R"({"baz":"qux","foo":"bar"})"},
      // A.2 adding an array element
      {R"({"foo":["bar","baz"]})",
       R"([{"op":"add","path":"/foo/1","value":"qux"}])",
       R"({"foo":["bar","qux","baz"]})"},
      // A.3 removing an object member
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])",
       R"({"foo":"bar"})"},
      // A.4 removing an array element
      {R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])",
       R"({"foo":["bar","baz"]})"},
      // A.5 replacing a value
      {R"({"baz":"qux","foo":"bar"})",
       R"([{"op":"replace","path":"/baz","value":"boo"}])",
       R"({"baz":"boo","foo":"bar"})"},
      // A.6 moving a value
      {R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
       R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
       R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
      // A.7 moving an array element
      {R"({"foo":["all","grass","cows","eat"]})",
       R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])",
       R"({"foo":["all","cows","eat","grass"]})"},
      // A.8 testing a value: success
      {R"({"baz":"qux","foo":["a",2,"c"]})",
       R"([{"op":"test","path":"/baz","value":"qux"},
           {"op":"test","path":"/foo/1","value":2}])",
       R"({"baz":"qux","foo":["a",2,"c"]})"},
      // A.10 adding a nested member object
      {R"({"foo":"bar"})",
       R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])",
       R"({"foo":"bar","child":{"grandchild":{}}})"},
      // A.11 ignoring unrecognized elements
      {R"({"foo":"bar"})",
       R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])",
       R"({"foo":"bar","baz":"qux"})"},
      // A.14 ~ escape ordering
      {R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])",
       R"({"/":9,"~1":10})"},
      // A.16 adding an array value
      {R"({"foo":["bar"]})",
       R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])",
       R"({"foo":["bar",["abc","def"]]})"},
      // Numbers compare by value in test.
      {R"({"n":1})", R"([{"op":"test","path":"/n","value":1.0}])",
       R"({"n":1})"},
      // copy, and a whole-document replace.
      {R"({"a":{"b":[1]}})", R"([{"op":"copy","from":"/a","path":"/c"}])",
       R"({"a":{"b":[1]},"c":{"b":[1]}})"},
      {R"({"a":1})", R"([{"op":"replace","path":"","value":{"b":2}}])",
       R"({"b":2})"},
      // Annotations keys with "/" as kubectl and controllers send them.
      {R"({"metadata":{"annotations":{}}})",
       R"([{"op":"add","path":"/metadata/annotations/example.com~1owner","value":"me"}])",
       R"({"metadata":{"annotations":{"example.com/owner":"me"}}})"},
  };
  for (const Case& c : cases) {
    JsonDoc target = ParseOrDie(c.target);
    Status s = Apply(target, c.patch);
    ASSERT_TRUE(s.ok()) << c.patch << ": " << s.ToString();
    EXPECT_TRUE(JsonEquals(target, c.result)) << c.patch;
  }
}

TEST(JsonPatchTest, FailuresAreInvalidAndLeaveTargetUnchanged) {
  const char* failing[] = {
      // A.9 testing a value: error
      R"([{"op":"test","path":"/baz","value":"bar"}])",
      // A.12 adding to a nonexistent target
      R"([{"op":"add","path":"/baz/bat","value":"qux"}])",
      // A.15 comparing strings and numbers
      R"([{"op":"test","path":"/~01","value":"10"}])",
      R"([{"op":"remove","path":"/missing"}])",
      R"([{"op":"replace","path":"/missing","value":1}])",
      R"([{"op":"add","path":"/list/3","value":1}])",
      R"([{"op":"add","path":"/list/01","value":1}])",
      R"([{"op":"remove","path":"/list/-"}])",
      R"([{"op":"move","from":"/obj","path":"/obj/child"}])",
      // The first operation applies, the second fails: nothing changes.
      R"([{"op":"add","path":"/new","value":1},
          {"op":"test","path":"/baz","value":"other"}])",
  };
  const char* original = R"({"baz":"qux","~1":10,"list":[1,2],"obj":{}})";
  for (const char* patch : failing) {
    JsonDoc target = ParseOrDie(original);
    Status s = Apply(target, patch);
    EXPECT_EQ(s.code(), Status::Code::kInvalid)
        << patch << ": " << s.ToString();
    EXPECT_EQ(HttpCode(s.code()), 422);
    EXPECT_TRUE(JsonEquals(target, original)) << patch;
  }
}

TEST(JsonPatchTest, TestFailureMessage) {
  JsonDoc target = ParseOrDie(R"({"spec":{"replicas":2}})");
  Status s =
      Apply(target, R"([{"op":"test","path":"/spec/replicas","value":3}])");
  EXPECT_EQ(s.message(), "testing value /spec/replicas failed: test failed");
}

TEST(JsonPatchTest, MalformedDocumentsAreBadRequest) {
  const char* malformed[] = {
      R"({"op":"add","path":"/a","value":1})",
      R"(["add"])",
      R"([{"path":"/a","value":1}])",
      R"([{"op":"add","value":1}])",
      R"([{"op":"add","path":"/a"}])",
      R"([{"op":"move","path":"/a"}])",
      R"([{"op":"frobnicate","path":"/a"}])",
      R"([{"op":"add","path":"a","value":1}])",
      R"([{"op":"add","path":"/a~2","value":1}])",
  };
  for (const char* patch : malformed) {
    JsonDoc target = ParseOrDie(R"({"a":0})");
    Status s = Apply(target, patch);
    EXPECT_EQ(s.code(), Status::Code::kBadRequest)
        << patch << ": " << s.ToString();
  }
}

TEST(JsonPatchTest, KubectlScaleAndContainerImagePatch) {
  JsonDoc target = ParseOrDie(
      R"({"spec":{"replicas":1,"template":{"spec":{"containers":[
          {"name":"nginx","image":"nginx:1.25"}]}}}})");
  Status s = Apply(target, R"([
      {"op":"replace","path":"/spec/replicas","value":4},
      {"op":"replace","path":"/spec/template/spec/containers/0/image",
       "value":"nginx:1.27"},
      {"op":"add","path":"/spec/template/spec/containers/-",
       "value":{"name":"sidecar","image":"busybox"}},
      {"op":"add","path":"/spec/template/spec/containers/0/args",
       "value":["-g","daemon off;"]}])");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(JsonEquals(
      target, R"({"spec":{"replicas":4,"template":{"spec":{"containers":[
          {"name":"nginx","image":"nginx:1.27","args":["-g","daemon off;"]},
          {"name":"sidecar","image":"busybox"}]}}}})"));
}

}  // namespace
}  // namespace berth::patch
