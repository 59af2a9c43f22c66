#include "revision.h"

#include <gtest/gtest.h>

#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

TEST(Revision, ReadsTheAnnotation) {
  EXPECT_EQ(
      Revision(Parse(
          R"({"metadata":{"annotations":{"deployment.kubernetes.io/revision":"7"}}})")),
      7);
  EXPECT_EQ(Revision(Parse(R"({"metadata":{}})")), 0);
  EXPECT_EQ(
      Revision(Parse(
          R"({"metadata":{"annotations":{"deployment.kubernetes.io/revision":"x"}}})")),
      0);
}

TEST(Revision, ATemplateThatComesBackGetsTheNextRevision) {
  JsonDoc d = Parse(
      R"({"metadata":{"annotations":{"kubernetes.io/change-cause":"undo",)"
      R"("kubectl.kubernetes.io/last-applied-configuration":"{}",)"
      R"("deployment.kubernetes.io/revision":"2"}}})");
  JsonDoc rs = Parse(
      R"({"metadata":{"annotations":{"deployment.kubernetes.io/revision":"1"}}})");
  EXPECT_TRUE(
      SetNewReplicaSetAnnotations(d, rs, 3, true, 5, 6, rs.GetAllocator()));
  const Json& a = *Find(rs, {"metadata", "annotations"});
  EXPECT_EQ(GetString(a, {"deployment.kubernetes.io/revision"}), "3");
  EXPECT_EQ(GetString(a, {"kubernetes.io/change-cause"}), "undo");
  EXPECT_EQ(Member(a, "kubectl.kubernetes.io/last-applied-configuration"),
            nullptr);
  // An existing ReplicaSet keeps its replica annotations.
  EXPECT_EQ(Member(a, "deployment.kubernetes.io/desired-replicas"), nullptr);
  // A higher revision is never lowered; nothing changes the second time.
  EXPECT_FALSE(
      SetNewReplicaSetAnnotations(d, rs, 2, true, 5, 6, rs.GetAllocator()));
  EXPECT_EQ(Revision(rs), 3);
}

TEST(Revision, NewReplicaSetGetsReplicaAnnotations) {
  JsonDoc d = Parse(R"({"metadata":{}})");
  JsonDoc rs = Parse(R"({"metadata":{}})");
  SetNewReplicaSetAnnotations(d, rs, 1, false, 5, 6, rs.GetAllocator());
  EXPECT_EQ(IntAnnotation(rs, kDesiredReplicasAnnotation), 5);
  EXPECT_EQ(IntAnnotation(rs, kMaxReplicasAnnotation), 6);
  EXPECT_EQ(Revision(rs), 1);
}

}  // namespace
}  // namespace berth::workloads
