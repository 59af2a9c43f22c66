#include "kernel/gc/ownership.h"

#include <gtest/gtest.h>

namespace berth::gc {
namespace {

TEST(Ownership, ReadsReferencesAndGcFinalizers) {
  Ownership o = ParseOwnership(std::string_view(R"({"metadata":{
      "name":"web-1","namespace":"prod","uid":"u-dep",
      "deletionTimestamp":"2026-01-01T00:00:00Z",
      "finalizers":["example.com/x","foregroundDeletion"],
      "ownerReferences":[
        {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"u-rs",
         "controller":true,"blockOwnerDeletion":true},
        {"apiVersion":"v1","kind":"ConfigMap","name":"nouid"},
        {"apiVersion":"v1","kind":"ConfigMap","name":"cfg","uid":"u-cm"}]}})"));
  EXPECT_EQ(o.uid, "u-dep");
  EXPECT_EQ(o.ns, "prod");
  EXPECT_EQ(o.name, "web-1");
  ASSERT_EQ(o.owners.size(), 2u);  // the entry without a uid is skipped
  EXPECT_EQ(o.owners[0].Group(), "apps");
  EXPECT_EQ(o.owners[0].Version(), "v1");
  EXPECT_TRUE(o.owners[0].controller);
  EXPECT_TRUE(o.owners[0].block_owner_deletion);
  EXPECT_EQ(o.owners[1].Group(), "");
  EXPECT_EQ(o.owners[1].Version(), "v1");
  EXPECT_FALSE(o.owners[1].block_owner_deletion);
  EXPECT_TRUE(o.DeletingDependents());
  EXPECT_FALSE(o.Orphaning());
  ASSERT_NE(o.RefTo("u-cm"), nullptr);
  EXPECT_EQ(o.RefTo("u-none"), nullptr);
}

TEST(Ownership, FinalizerWithoutDeletionTimestampIsNotActedOn) {
  Ownership o = ParseOwnership(
      std::string_view(R"({"metadata":{"uid":"u","finalizers":["orphan"]}})"));
  EXPECT_TRUE(o.orphan_finalizer);
  EXPECT_FALSE(o.Orphaning());
}

TEST(Ownership, GarbageGivesNoUid) {
  EXPECT_EQ(ParseOwnership(std::string_view("{not json")).uid, "");
  EXPECT_EQ(ParseOwnership(std::string_view(R"({"metadata":[]})")).uid, "");
}

}  // namespace
}  // namespace berth::gc
