#include "kernel/gc/dependency_graph.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace berth::gc {
namespace {

Ownership Obj(const std::string& uid,
              std::vector<std::pair<std::string, bool>> owners = {}) {
  Ownership o;
  o.uid = uid;
  o.ns = "default";
  o.name = uid;
  for (auto& [owner, block] : owners) {
    OwnerReference r;
    r.api_version = "v1";
    r.kind = "ConfigMap";
    r.name = owner;
    r.uid = owner;
    r.block_owner_deletion = block;
    o.owners.push_back(r);
  }
  return o;
}

std::string Key(const std::string& uid) {
  return "/registry/core/configmaps/default/" + uid;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(DependencyGraph, UnrelatedObjectsCostNothing) {
  DependencyGraph g;
  GraphWork w;
  for (int i = 0; i < 100; ++i) {
    g.Observe(Key("x" + std::to_string(i)), Obj("x" + std::to_string(i)), &w);
  }
  EXPECT_EQ(g.size(), 0u);
  EXPECT_TRUE(w.attempt_to_delete.empty());
}

TEST(DependencyGraph, NewDependentIsCheckedAndLinked) {
  DependencyGraph g;
  GraphWork w;
  g.Observe(Key("dep"), Obj("dep", {{"owner", true}}), &w);
  EXPECT_TRUE(Has(w.attempt_to_delete, "dep"));
  // The owner is known only by reference: virtual, no key.
  EXPECT_FALSE(g.KeyOf("owner").has_value());
  auto deps = g.Dependents("owner");
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].uid, "dep");
  EXPECT_EQ(deps[0].key, Key("dep"));
  EXPECT_TRUE(deps[0].blocks_owner);

  // An unrelated change of the dependent asks for nothing.
  GraphWork again;
  g.Observe(Key("dep"), Obj("dep", {{"owner", true}}), &again);
  EXPECT_TRUE(again.attempt_to_delete.empty());
}

TEST(DependencyGraph, DeletedOwnerQueuesItsDependents) {
  DependencyGraph g;
  GraphWork w;
  g.Observe(Key("owner"), Obj("owner"), &w);
  g.Observe(Key("a"), Obj("a", {{"owner", false}}), &w);
  g.Observe(Key("b"), Obj("b", {{"owner", false}}), &w);
  // An owner that owns nothing itself is recorded only by reference.
  EXPECT_FALSE(g.KeyOf("owner").has_value());
  GraphWork removed;
  g.Remove(Obj("owner"), &removed);
  EXPECT_TRUE(Has(removed.attempt_to_delete, "a"));
  EXPECT_TRUE(Has(removed.attempt_to_delete, "b"));
  // Still linked (virtually) until the dependents go.
  EXPECT_EQ(g.Dependents("owner").size(), 2u);
  GraphWork w2;
  g.Remove(Obj("a", {{"owner", false}}), &w2);
  g.Remove(Obj("b", {{"owner", false}}), &w2);
  EXPECT_EQ(g.size(), 0u);
}

TEST(DependencyGraph, ForegroundOwnerQueuesDependentsAndIsRecheckedAsTheyGo) {
  DependencyGraph g;
  GraphWork w;
  g.Observe(Key("owner"), Obj("owner"), &w);
  g.Observe(Key("a"), Obj("a", {{"owner", true}}), &w);
  g.Observe(Key("b"), Obj("b", {{"owner", false}}), &w);

  Ownership deleting = Obj("owner");
  deleting.being_deleted = true;
  deleting.foreground_finalizer = true;
  GraphWork started;
  g.Observe(Key("owner"), deleting, &started);
  EXPECT_TRUE(Has(started.attempt_to_delete, "owner"));
  EXPECT_TRUE(Has(started.attempt_to_delete, "a"));
  EXPECT_TRUE(Has(started.attempt_to_delete, "b"));

  GraphWork gone;
  g.Remove(Obj("a", {{"owner", true}}), &gone);
  EXPECT_TRUE(Has(gone.attempt_to_delete, "owner"));
  auto deps = g.Dependents("owner");
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_FALSE(deps[0].blocks_owner);
}

TEST(DependencyGraph, UnblockingOrDroppingAReferenceRechecksForegroundOwner) {
  DependencyGraph g;
  GraphWork w;
  Ownership owner = Obj("owner");
  owner.being_deleted = true;
  owner.foreground_finalizer = true;
  g.Observe(Key("owner"), owner, &w);
  g.Observe(Key("a"), Obj("a", {{"owner", true}}), &w);

  GraphWork unblocked;
  g.Observe(Key("a"), Obj("a", {{"owner", false}}), &unblocked);
  EXPECT_TRUE(Has(unblocked.attempt_to_delete, "owner"));

  GraphWork dropped;
  g.Observe(Key("a"), Obj("a"), &dropped);
  EXPECT_TRUE(Has(dropped.attempt_to_delete, "owner"));
  EXPECT_TRUE(g.Dependents("owner").empty());
}

TEST(DependencyGraph, OrphaningOwnerIsQueuedOnce) {
  DependencyGraph g;
  GraphWork w;
  g.Observe(Key("a"), Obj("a", {{"owner", false}}), &w);
  Ownership owner = Obj("owner");
  owner.being_deleted = true;
  owner.orphan_finalizer = true;
  GraphWork first;
  g.Observe(Key("owner"), owner, &first);
  EXPECT_EQ(first.attempt_to_orphan, (std::vector<std::string>{"owner"}));
  GraphWork second;
  g.Observe(Key("owner"), owner, &second);
  EXPECT_TRUE(second.attempt_to_orphan.empty());
}

TEST(DependencyGraph, ForegroundOwnerWithoutDependentsIsKeptUntilDeleted) {
  DependencyGraph g;
  GraphWork w;
  Ownership owner = Obj("lonely");
  owner.being_deleted = true;
  owner.foreground_finalizer = true;
  g.Observe(Key("lonely"), owner, &w);
  EXPECT_TRUE(Has(w.attempt_to_delete, "lonely"));
  EXPECT_EQ(g.KeyOf("lonely"), Key("lonely"));
  GraphWork removed;
  g.Remove(owner, &removed);
  EXPECT_EQ(g.size(), 0u);
}

TEST(DependencyGraph, SelfOwnershipDoesNotCrash) {
  DependencyGraph g;
  GraphWork w;
  g.Observe(Key("me"), Obj("me", {{"me", true}}), &w);
  g.Observe(Key("me"), Obj("me"), &w);
  g.Remove(Obj("me"), &w);
  EXPECT_EQ(g.size(), 0u);
}

}  // namespace
}  // namespace berth::gc
