// DELETE with a propagation policy over a real LevelDB store: which
// finalizers the object gets and whether it stays.
#include <gtest/gtest.h>

#include "kernel/api/server/resource_service.h"
#include "tests/support/process.h"
#include "tests/support/simple_kind.h"

namespace berth::api {
namespace {

class DeletePropagationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenLevelDbStore(dir_.path() + "/store", {});
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    service_ = std::make_unique<ResourceService>(store_.get());
  }

  void Create(const std::string& name, const std::string& finalizers = "[]") {
    auto doc = ParseJson(R"({"metadata":{"name":")" + name +
                         R"(","finalizers":)" + finalizers + "}}");
    ASSERT_TRUE(doc.ok());
    auto r = service_->Create(kind_, "default", std::move(doc).value(), {});
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  StatusOr<store::Object> Delete(const std::string& name,
                                 const std::string& policy,
                                 std::optional<bool> orphan = std::nullopt) {
    DeleteOptions d;
    d.propagation_policy = policy;
    d.orphan_dependents = orphan;
    return service_->Delete(kind_, "default", name, d);
  }
  // The stored object's finalizers, or "gone".
  std::string Finalizers(const std::string& name) {
    auto o = service_->Get(kind_, "default", name);
    if (!o.ok()) return o.status().IsNotFound() ? "gone" : "error";
    JsonDoc d;
    d.Parse(o->data->data(), o->data->size());
    EXPECT_TRUE(Find(d, {"metadata", "deletionTimestamp"}));
    const Json* f = Find(d, {"metadata", "finalizers"});
    return f ? ToJson(*f) : "[]";
  }

  testing::TempDir dir_;
  testing::SimpleKind kind_{"example.com", "Widget", "widgets", true};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ResourceService> service_;
};

TEST_F(DeletePropagationTest, BackgroundDeletesAtOnce) {
  Create("w");
  ASSERT_TRUE(Delete("w", "Background").ok());
  EXPECT_EQ(Finalizers("w"), "gone");
  Create("default-policy");
  ASSERT_TRUE(Delete("default-policy", "").ok());
  EXPECT_EQ(Finalizers("default-policy"), "gone");
}

TEST_F(DeletePropagationTest, ForegroundKeepsOwnerWithFinalizer) {
  Create("w");
  auto r = Delete("w", "Foreground");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Finalizers("w"), R"(["foregroundDeletion"])");
}

TEST_F(DeletePropagationTest, OrphanAndOrphanDependentsAddOrphanFinalizer) {
  Create("a");
  ASSERT_TRUE(Delete("a", "Orphan").ok());
  EXPECT_EQ(Finalizers("a"), R"(["orphan"])");
  Create("b", R"(["example.com/hold"])");
  ASSERT_TRUE(Delete("b", "", true).ok());
  EXPECT_EQ(Finalizers("b"), R"(["example.com/hold","orphan"])");
}

TEST_F(DeletePropagationTest, RepeatedDeleteWithAnotherPolicyOnTerminating) {
  Create("w", R"(["example.com/hold"])");
  ASSERT_TRUE(Delete("w", "Foreground").ok());
  ASSERT_TRUE(Delete("w", "Orphan").ok());
  EXPECT_EQ(Finalizers("w"), R"(["example.com/hold","orphan"])");
  ASSERT_TRUE(Delete("w", "").ok());  // no policy: unchanged
  EXPECT_EQ(Finalizers("w"), R"(["example.com/hold","orphan"])");
  ASSERT_TRUE(Delete("w", "Background").ok());
  EXPECT_EQ(Finalizers("w"), R"(["example.com/hold"])");

  // Only the GC finalizer held it: Background lets it go now.
  Create("x");
  ASSERT_TRUE(Delete("x", "Foreground").ok());
  ASSERT_TRUE(Delete("x", "Background").ok());
  EXPECT_EQ(Finalizers("x"), "gone");
}

TEST_F(DeletePropagationTest, BadPolicyIsInvalidAndChangesNothing) {
  Create("w");
  auto r = Delete("w", "Sideways");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
  auto both = Delete("w", "Foreground", true);
  EXPECT_EQ(both.status().code(), Status::Code::kInvalid);
  auto o = service_->Get(kind_, "default", "w");
  ASSERT_TRUE(o.ok());
}

TEST_F(DeletePropagationTest, RemovingTheLastGcFinalizerDeletes) {
  Create("w");
  ASSERT_TRUE(Delete("w", "Foreground").ok());
  auto r = service_->Patch(kind_, "default", "w", "", PatchType::kMerge,
                           R"({"metadata":{"finalizers":null}})", {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Finalizers("w"), "gone");
}

}  // namespace
}  // namespace berth::api
