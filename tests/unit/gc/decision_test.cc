#include "kernel/gc/decision.h"

#include <gtest/gtest.h>

namespace berth::gc {
namespace {

using Action = Decision::Action;
using api::Propagation;

Ownership WithOwners(std::initializer_list<const char*> uids) {
  Ownership o;
  o.uid = "dep";
  o.ns = "default";
  o.name = "dep";
  for (const char* u : uids) {
    OwnerReference r;
    r.api_version = "v1";
    r.kind = "ConfigMap";
    r.name = std::string("owner-") + u;
    r.uid = u;
    o.owners.push_back(r);
  }
  return o;
}

TEST(Decision, AllOwnersGoneDeletesInBackground) {
  Decision d = DecideForDependent(
      WithOwners({"a", "b"}), {OwnerState::kDangling, OwnerState::kDangling},
      false, false);
  EXPECT_EQ(d.action, Action::kDelete);
  EXPECT_EQ(d.propagation, Propagation::kBackground);
}

TEST(Decision, SolidOwnerKeepsObjectAndDropsDanglingReferences) {
  Decision d = DecideForDependent(WithOwners({"a", "b", "c"}),
                                  {OwnerState::kDangling, OwnerState::kSolid,
                                   OwnerState::kWaitingForDependents},
                                  false, false);
  EXPECT_EQ(d.action, Action::kRemoveOwnerReferences);
  EXPECT_EQ(d.remove_uids, (std::vector<std::string>{"a", "c"}));
}

TEST(Decision, AllOwnersPresentDoesNothing) {
  Decision d =
      DecideForDependent(WithOwners({"a"}), {OwnerState::kSolid}, true, false);
  EXPECT_EQ(d.action, Action::kNone);
}

TEST(Decision, UnresolvableOwnerIsNeverADeletion) {
  Decision d = DecideForDependent(
      WithOwners({"a", "b"}),
      {OwnerState::kDangling, OwnerState::kUnresolvable}, false, false);
  EXPECT_EQ(d.action, Action::kNone);
}

TEST(Decision, WaitingOwnerWithDependentsDeletesInForeground) {
  Decision d =
      DecideForDependent(WithOwners({"a"}), {OwnerState::kWaitingForDependents},
                         /*has_dependents=*/true, false);
  EXPECT_EQ(d.action, Action::kDelete);
  EXPECT_EQ(d.propagation, Propagation::kForeground);
  EXPECT_FALSE(d.unblock_first);

  Decision cycle =
      DecideForDependent(WithOwners({"a"}), {OwnerState::kWaitingForDependents},
                         true, /*dependent_deleting=*/true);
  EXPECT_TRUE(cycle.unblock_first);
}

TEST(Decision, WaitingOwnerWithoutDependentsDeletesInBackground) {
  Decision d = DecideForDependent(
      WithOwners({"a"}), {OwnerState::kWaitingForDependents}, false, false);
  EXPECT_EQ(d.action, Action::kDelete);
  EXPECT_EQ(d.propagation, Propagation::kBackground);
}

TEST(Decision, OwnGcFinalizersChooseThePolicy) {
  Ownership o = WithOwners({"a"});
  o.orphan_finalizer = true;
  EXPECT_EQ(
      DecideForDependent(o, {OwnerState::kDangling}, true, false).propagation,
      Propagation::kOrphan);
  o.orphan_finalizer = false;
  o.foreground_finalizer = true;
  EXPECT_EQ(
      DecideForDependent(o, {OwnerState::kDangling}, true, false).propagation,
      Propagation::kForeground);
}

}  // namespace
}  // namespace berth::gc
