#include "pod_template_hash.h"

#include <gtest/gtest.h>

#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

TEST(PodTemplateHash, SafeEncodingUsesKubernetesAlphabet) {
  EXPECT_EQ(SafeEncodeString("0"), "4");
  EXPECT_EQ(SafeEncodeString("019"), "45f");
}

TEST(PodTemplateHash, StableAcrossMemberOrderAndZeroValues) {
  JsonDoc a = Parse(
      R"({"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  JsonDoc b = Parse(
      R"({"spec":{"containers":[{"image":"nginx","name":"c","resources":{}}]},"metadata":{"creationTimestamp":null,"labels":{"tier":"fe","app":"web"}}})");
  EXPECT_EQ(PodTemplateHash(a, std::nullopt), PodTemplateHash(b, std::nullopt));
  EXPECT_TRUE(EqualIgnoreHash(a, b));
  const std::string h = PodTemplateHash(a, std::nullopt);
  EXPECT_GE(h.size(), 1u);
  EXPECT_EQ(h.find_first_not_of("bcdfghjklmnpqrstvwxz2456789"),
            std::string::npos);
}

TEST(PodTemplateHash, ChangesWithTemplateAndCollisionCount) {
  JsonDoc a = Parse(R"({"spec":{"containers":[{"name":"c","image":"a"}]}})");
  JsonDoc b = Parse(R"({"spec":{"containers":[{"name":"c","image":"b"}]}})");
  EXPECT_NE(PodTemplateHash(a, std::nullopt), PodTemplateHash(b, std::nullopt));
  EXPECT_NE(PodTemplateHash(a, std::nullopt), PodTemplateHash(a, 1));
  EXPECT_NE(PodTemplateHash(a, 1), PodTemplateHash(a, 2));
  EXPECT_FALSE(EqualIgnoreHash(a, b));
}

TEST(PodTemplateHash, EqualIgnoresOnlyTheHashLabel) {
  JsonDoc rs = Parse(
      R"({"metadata":{"labels":{"app":"web","pod-template-hash":"x1"}}})");
  JsonDoc d = Parse(R"({"metadata":{"labels":{"app":"web"}}})");
  JsonDoc other = Parse(R"({"metadata":{"labels":{"app":"api"}}})");
  EXPECT_TRUE(EqualIgnoreHash(rs, d));
  EXPECT_FALSE(EqualIgnoreHash(rs, other));
}

}  // namespace
}  // namespace berth::workloads
