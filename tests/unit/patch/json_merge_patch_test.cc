#include "kernel/api/patch/json_merge_patch.h"

#include <gtest/gtest.h>

#include "tests/unit/patch/test_json.h"

namespace berth::patch {
namespace {

struct Case {
  const char* target;
  const char* patch;
  const char* result;
};

// RFC 7386 Appendix A, every example.
TEST(JsonMergePatchTest, Rfc7386Examples) {
  const Case cases[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
       R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const Case& c : cases) {
    JsonDoc target = ParseOrDie(c.target);
    JsonDoc patch = ParseOrDie(c.patch);
    ApplyMergePatch(patch, target, target.GetAllocator());
    EXPECT_TRUE(JsonEquals(target, c.result)) << c.target << " + " << c.patch;
  }
}

TEST(JsonMergePatchTest, KubectlLabelRemovalAndReplicas) {
  JsonDoc target = ParseOrDie(
      R"({"metadata":{"name":"web","labels":{"app":"web","tier":"fe"}},
          "spec":{"replicas":1,"template":{"spec":{"containers":[
            {"name":"nginx","image":"nginx:1.25"},{"name":"sidecar"}]}}}})");
  JsonDoc patch = ParseOrDie(
      R"({"metadata":{"labels":{"tier":null}},"spec":{"replicas":3,
          "template":{"spec":{"containers":[{"name":"nginx"}]}}}})");
  ApplyMergePatch(patch, target, target.GetAllocator());
  // Lists are replaced whole by a merge patch: the sidecar is gone.
  EXPECT_TRUE(JsonEquals(target,
                         R"({"metadata":{"name":"web","labels":{"app":"web"}},
          "spec":{"replicas":3,"template":{"spec":{"containers":[
            {"name":"nginx"}]}}}})"));
}

TEST(JsonMergePatchTest, CopiesValuesOutOfThePatch) {
  JsonDoc target = ParseOrDie(R"({"a":{"b":1}})");
  {
    JsonDoc patch = ParseOrDie(R"({"a":{"c":"long string value copied"}})");
    ApplyMergePatch(patch, target, target.GetAllocator());
  }
  EXPECT_TRUE(
      JsonEquals(target, R"({"a":{"b":1,"c":"long string value copied"}})"));
}

}  // namespace
}  // namespace berth::patch
