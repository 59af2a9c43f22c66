// The garbage collector against a real ResourceService and LevelDB store:
// owners and dependents of test kinds, deleted with each propagation
// policy, across a restart. Waits poll with a generous deadline; nothing
// here measures speed.
#include "kernel/gc/garbage_collector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/simple_kind.h"

namespace berth::gc {
namespace {

using testing::SimpleKind;

// Polls `pred` until it holds or 30 s pass.
template <typename Pred>
bool Eventually(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

struct Ref {
  std::string kind;
  std::string name;
  std::string uid;
  bool block = false;
};

class GarbageCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& k : {widgets_, gadgets_, things_}) {
      ASSERT_TRUE(kinds_.Add(k, "test").ok());
    }
    kinds_.Freeze();
    Open();
  }
  void TearDown() override { Close(); }

  void Open() {
    auto s = store::OpenLevelDbStore(dir_.path() + "/store", {});
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    service_ = std::make_unique<api::ResourceService>(store_.get());
    GarbageCollector::Options o;
    o.backoff_max = std::chrono::milliseconds(200);
    gc_ = std::make_unique<GarbageCollector>(store_.get(), service_.get(),
                                             &kinds_, o);
    gc_->Start();
    ASSERT_TRUE(Eventually([this] { return gc_->synced(); }));
  }
  void Close() {
    gc_.reset();
    service_.reset();
    store_.reset();
  }

  const Kind& KindNamed(const std::string& kind) {
    if (kind == "Gadget") return *gadgets_;
    if (kind == "ClusterThing") return *things_;
    return *widgets_;
  }

  // Creates a `kind` object and returns its uid.
  std::string Create(const std::string& kind, const std::string& ns,
                     const std::string& name, std::vector<Ref> owners = {},
                     const std::string& finalizers = "[]") {
    std::string refs;
    for (const auto& r : owners) {
      refs += std::string(refs.empty() ? "" : ",") +
              R"({"apiVersion":"example.com/v1","kind":")" + r.kind +
              R"(","name":")" + r.name + R"(","uid":")" + r.uid +
              R"(","blockOwnerDeletion":)" + (r.block ? "true" : "false") + "}";
    }
    auto doc =
        ParseJson(R"({"metadata":{"name":")" + name + R"(","finalizers":)" +
                  finalizers + R"(,"ownerReferences":[)" + refs + "]}}");
    EXPECT_TRUE(doc.ok());
    auto r = service_->Create(KindNamed(kind), ns, std::move(doc).value(), {});
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return "";
    JsonDoc d;
    d.Parse(r->object.data->data(), r->object.data->size());
    return GetString(d, {"metadata", "uid"});
  }
  // The stored object, or a null document when it is gone.
  JsonDoc Get(const std::string& kind, const std::string& ns,
              const std::string& name) {
    JsonDoc d;
    auto o = service_->Get(KindNamed(kind), ns, name);
    if (o.ok()) d.Parse(o->data->data(), o->data->size());
    return d;
  }
  bool Exists(const std::string& kind, const std::string& ns,
              const std::string& name) {
    return Get(kind, ns, name).IsObject();
  }
  bool Gone(const std::string& kind, const std::string& ns,
            const std::string& name) {
    return Eventually([&] { return !Exists(kind, ns, name); });
  }
  std::string OwnerUids(const std::string& kind, const std::string& ns,
                        const std::string& name) {
    JsonDoc d = Get(kind, ns, name);
    std::string out;
    const Json* refs =
        d.IsObject() ? Find(d, {"metadata", "ownerReferences"}) : nullptr;
    if (!refs) return out;
    for (auto& r : refs->GetArray()) {
      out += (out.empty() ? "" : ",") + GetString(r, {"uid"});
    }
    return out;
  }
  void Delete(const std::string& kind, const std::string& ns,
              const std::string& name, const std::string& policy) {
    api::DeleteOptions d;
    d.propagation_policy = policy;
    auto r = service_->Delete(KindNamed(kind), ns, name, d);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  void DropFinalizers(const std::string& kind, const std::string& ns,
                      const std::string& name) {
    auto r =
        service_->Patch(KindNamed(kind), ns, name, "", api::PatchType::kMerge,
                        R"({"metadata":{"finalizers":null}})", {});
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  // Creates a dependent of an owner that never existed and waits until it
  // is collected: work queued before it (FIFO) has been done by then.
  void Barrier() {
    static int n = 0;
    const std::string name = "barrier-" + std::to_string(n++);
    Create("Widget", "default", name, {{"Widget", "nobody", "no-such-uid"}});
    ASSERT_TRUE(Gone("Widget", "default", name));
  }

  testing::TempDir dir_;
  std::shared_ptr<SimpleKind> widgets_ =
      std::make_shared<SimpleKind>("example.com", "Widget", "widgets", true);
  std::shared_ptr<SimpleKind> gadgets_ =
      std::make_shared<SimpleKind>("example.com", "Gadget", "gadgets", true);
  std::shared_ptr<SimpleKind> things_ = std::make_shared<SimpleKind>(
      "example.com", "ClusterThing", "clusterthings", false);
  KindRegistry kinds_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<api::ResourceService> service_;
  std::unique_ptr<GarbageCollector> gc_;
};

TEST_F(GarbageCollectorTest, BackgroundDeleteCollectsDependentsTransitively) {
  std::string owner = Create("Widget", "default", "owner");
  std::string mid =
      Create("Gadget", "default", "mid", {{"Widget", "owner", owner}});
  Create("Widget", "default", "leaf", {{"Gadget", "mid", mid}});
  Create("Gadget", "default", "other");
  Delete("Widget", "default", "owner", "Background");
  EXPECT_TRUE(Gone("Gadget", "default", "mid"));
  EXPECT_TRUE(Gone("Widget", "default", "leaf"));
  EXPECT_TRUE(Exists("Gadget", "default", "other"));
}

TEST_F(GarbageCollectorTest, BurstOfDependentsIsCollected) {
  std::string owner = Create("Widget", "default", "owner");
  for (int i = 0; i < 200; ++i) {
    Create("Gadget", "default", "g" + std::to_string(i),
           {{"Widget", "owner", owner}});
  }
  Delete("Widget", "default", "owner", "");
  EXPECT_TRUE(Eventually(
      [this] { return store_->Count("/registry/example.com/gadgets/") == 0; }));
}

TEST_F(GarbageCollectorTest, RemainingOwnerKeepsDependentWithoutDanglingRef) {
  std::string a = Create("Widget", "default", "a");
  std::string b = Create("Widget", "default", "b");
  Create("Gadget", "default", "shared",
         {{"Widget", "a", a}, {"Widget", "b", b}});
  Delete("Widget", "default", "a", "Background");
  EXPECT_TRUE(Eventually(
      [&] { return OwnerUids("Gadget", "default", "shared") == b; }));
  Barrier();
  EXPECT_TRUE(Exists("Gadget", "default", "shared"));
}

TEST_F(GarbageCollectorTest, ForegroundWaitsForBlockingDependents) {
  std::string owner = Create("Widget", "default", "owner");
  Create("Gadget", "default", "blocker", {{"Widget", "owner", owner, true}},
         R"(["example.com/hold"])");
  Create("Gadget", "default", "plain", {{"Widget", "owner", owner}});
  Delete("Widget", "default", "owner", "Foreground");
  EXPECT_TRUE(Gone("Gadget", "default", "plain"));
  // The blocker is being deleted but its own finalizer holds it, and so
  // the owner stays, marked.
  EXPECT_TRUE(Eventually([&] {
    JsonDoc d = Get("Gadget", "default", "blocker");
    return d.IsObject() && Find(d, {"metadata", "deletionTimestamp"});
  }));
  Barrier();
  JsonDoc o = Get("Widget", "default", "owner");
  ASSERT_TRUE(o.IsObject());
  EXPECT_TRUE(Find(o, {"metadata", "deletionTimestamp"}));
  EXPECT_EQ(ToJson(*Find(o, {"metadata", "finalizers"})),
            R"(["foregroundDeletion"])");
  DropFinalizers("Gadget", "default", "blocker");
  EXPECT_TRUE(Gone("Gadget", "default", "blocker"));
  EXPECT_TRUE(Gone("Widget", "default", "owner"));
}

TEST_F(GarbageCollectorTest, ForegroundOwnerWithoutDependentsGoes) {
  Create("Widget", "default", "alone");
  Delete("Widget", "default", "alone", "Foreground");
  EXPECT_TRUE(Gone("Widget", "default", "alone"));
}

TEST_F(GarbageCollectorTest, OrphanStripsReferencesThenDeletesOwner) {
  std::string owner = Create("Widget", "default", "owner");
  std::string other = Create("Widget", "default", "other");
  Create("Gadget", "default", "kept", {{"Widget", "owner", owner}});
  Create("Gadget", "default", "two",
         {{"Widget", "owner", owner}, {"Widget", "other", other}});
  Delete("Widget", "default", "owner", "Orphan");
  EXPECT_TRUE(Gone("Widget", "default", "owner"));
  EXPECT_EQ(OwnerUids("Gadget", "default", "kept"), "");
  EXPECT_EQ(OwnerUids("Gadget", "default", "two"), other);
  Barrier();
  EXPECT_TRUE(Exists("Gadget", "default", "kept"));
  EXPECT_TRUE(Exists("Gadget", "default", "two"));
}

TEST_F(GarbageCollectorTest, OwnerRecreatedUnderNewUidCountsAsAbsent) {
  std::string old_uid = Create("Widget", "default", "owner");
  Delete("Widget", "default", "owner", "");
  Create("Widget", "default", "owner");
  Create("Gadget", "default", "stale", {{"Widget", "owner", old_uid}});
  EXPECT_TRUE(Gone("Gadget", "default", "stale"));
  EXPECT_TRUE(Exists("Widget", "default", "owner"));
}

TEST_F(GarbageCollectorTest, OwnerInAnotherNamespaceCountsAsAbsent) {
  std::string owner = Create("Widget", "team-a", "owner");
  Create("Gadget", "team-b", "cross", {{"Widget", "owner", owner}});
  EXPECT_TRUE(Gone("Gadget", "team-b", "cross"));
  EXPECT_TRUE(Exists("Widget", "team-a", "owner"));
}

TEST_F(GarbageCollectorTest, ClusterScopedOwnerOwnsNamespacedDependents) {
  std::string thing = Create("ClusterThing", "", "thing");
  Create("Gadget", "default", "under-thing",
         {{"ClusterThing", "thing", thing}});
  Barrier();
  EXPECT_TRUE(Exists("Gadget", "default", "under-thing"));
  Delete("ClusterThing", "", "thing", "");
  EXPECT_TRUE(Gone("Gadget", "default", "under-thing"));
}

TEST_F(GarbageCollectorTest, InvalidOrUnknownOwnersAreLeftAlone) {
  // A namespaced kind cannot own a cluster-scoped object; an unknown kind
  // cannot be looked up. Neither is a reason to delete.
  Create("ClusterThing", "", "odd", {{"Widget", "w", "some-uid"}});
  Create("Gadget", "default", "unknown-owner",
         {{"Sprocket", "s", "other-uid"}});
  Barrier();
  EXPECT_TRUE(Exists("ClusterThing", "", "odd"));
  EXPECT_TRUE(Exists("Gadget", "default", "unknown-owner"));
}

TEST_F(GarbageCollectorTest, ObjectsOutsideOwnershipCostNoGraphNodes) {
  for (int i = 0; i < 50; ++i)
    Create("Gadget", "default", "free" + std::to_string(i));
  Barrier();
  EXPECT_EQ(gc_->GraphSize(), 0u);
}

TEST_F(GarbageCollectorTest, RestartKeepsOwnedObjectsAndCollectsMissedOnes) {
  std::string owner = Create("Widget", "default", "owner");
  std::string doomed = Create("Widget", "default", "doomed");
  Create("Gadget", "default", "owned", {{"Widget", "owner", owner}});
  Create("Gadget", "default", "orphaned-while-down",
         {{"Widget", "doomed", doomed}});
  Barrier();
  // Stop the collector, delete an owner while it is down, start again.
  gc_.reset();
  Delete("Widget", "default", "doomed", "");
  Close();
  Open();
  EXPECT_TRUE(Gone("Gadget", "default", "orphaned-while-down"));
  Barrier();
  EXPECT_TRUE(Exists("Gadget", "default", "owned"));
  EXPECT_TRUE(Exists("Widget", "default", "owner"));
}

TEST_F(GarbageCollectorTest, ForegroundAndOrphanSurviveRestart) {
  std::string owner = Create("Widget", "default", "fg");
  Create("Gadget", "default", "fg-dep", {{"Widget", "fg", owner, true}},
         R"(["example.com/hold"])");
  std::string o2 = Create("Widget", "default", "orph");
  Create("Gadget", "default", "orph-dep", {{"Widget", "orph", o2}});
  gc_.reset();
  Delete("Widget", "default", "fg", "Foreground");
  Delete("Widget", "default", "orph", "Orphan");
  Close();
  Open();
  EXPECT_TRUE(Gone("Widget", "default", "orph"));
  EXPECT_EQ(OwnerUids("Gadget", "default", "orph-dep"), "");
  EXPECT_TRUE(Eventually([&] {
    JsonDoc d = Get("Gadget", "default", "fg-dep");
    return d.IsObject() && Find(d, {"metadata", "deletionTimestamp"});
  }));
  EXPECT_TRUE(Exists("Widget", "default", "fg"));
  DropFinalizers("Gadget", "default", "fg-dep");
  EXPECT_TRUE(Gone("Widget", "default", "fg"));
}

}  // namespace
}  // namespace berth::gc
