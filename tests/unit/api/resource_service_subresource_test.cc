// Action subresources (Kind::ActionSubresources / ApplySubresource) through
// the ResourceService over a real LevelDB store: what a POST to
// .../NAME/SUB writes, deletes, and answers, without the kernel knowing the
// subresource's name.
#include <gtest/gtest.h>

#include "kernel/api/server/discovery.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/plugin/kind_registry.h"
#include "tests/support/process.h"
#include "tests/support/simple_kind.h"

namespace berth::api {
namespace {

// A kind with an "assign" action (sets spec.host from target.name, as
// pods/binding does, and status.assigned) and an "evict" action (deletes).
// Like a pod, an update may not change spec.host once set.
class AssignableKind : public testing::SimpleKind {
 public:
  AssignableKind() : SimpleKind("example.com", "Widget", "widgets", true) {
    info_ = SimpleKind::Info();
    info_.status_subresource = true;
  }
  const KindInfo& Info() const override { return info_; }
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override {
    const std::string old_host = old ? GetString(*old, {"spec", "host"}) : "";
    if (old && GetString(obj, {"spec", "host"}) != old_host) {
      return {field::Forbidden("spec.host", "may not be changed")};
    }
    return {};
  }
  std::vector<ActionSubresource> ActionSubresources() const override {
    return {{"assign", "Assignment", "example.com/v1"},
            {"evict", "Eviction", "policy/v1"}};
  }
  StatusOr<SubresourceOutcome> ApplySubresource(const std::string& subresource,
                                                const Json& body, Json& obj,
                                                JsonAlloc& a) const override {
    ++calls;
    if (subresource == "evict") return SubresourceOutcome::kDelete;
    if (!GetString(obj, {"spec", "host"}).empty()) {
      return Status::Conflict("widget is already assigned");
    }
    SetString(EnsureObject(obj, "spec", a), "host",
              GetString(body, {"target", "name"}), a);
    SetMember(EnsureObject(obj, "status", a), "assigned", Json(true), a);
    return SubresourceOutcome::kUpdate;
  }
  mutable int calls = 0;

 private:
  KindInfo info_;
};

class ActionSubresourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenLevelDbStore(dir_.path() + "/store", {});
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    service_ = std::make_unique<ResourceService>(store_.get());
    auto doc = ParseJson(R"({"metadata":{"name":"w"},"spec":{}})");
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(
        service_->Create(kind_, "default", std::move(doc).value(), {}).ok());
  }
  StatusOr<std::string> Post(const std::string& sub, const std::string& body) {
    return service_->PostSubresource(kind_, "default", "w", sub, body, {});
  }
  JsonDoc Stored() {
    auto o = service_->Get(kind_, "default", "w");
    EXPECT_TRUE(o.ok());
    JsonDoc d;
    if (o.ok()) d.Parse(o->data->data(), o->data->size());
    return d;
  }

  testing::TempDir dir_;
  AssignableKind kind_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ResourceService> service_;
};

const char kAssign[] = R"({"apiVersion":"example.com/v1","kind":"Assignment",)"
                       R"("metadata":{"name":"w"},"target":{"name":"n1"}})";

TEST_F(ActionSubresourceTest, UpdateOutcomeWritesTheHooksChange) {
  auto r = Post("assign", kAssign);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto reply = ParseJson(*r);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(GetString(*reply, {"kind"}), "Status");
  EXPECT_EQ(GetString(*reply, {"status"}), "Success");
  EXPECT_EQ(GetInt(*reply, {"code"}), 201);
  JsonDoc stored = Stored();
  // The update rule forbids changing spec.host, but the kind's own hook
  // may; its status change is kept although status is a subresource.
  EXPECT_EQ(GetString(stored, {"spec", "host"}), "n1");
  const Json* assigned = Find(stored, {"status", "assigned"});
  ASSERT_TRUE(assigned && assigned->IsBool());
  EXPECT_TRUE(assigned->GetBool());
  EXPECT_EQ(GetInt(stored, {"metadata", "generation"}), 2);
}

TEST_F(ActionSubresourceTest, HookErrorGoesBackAsItIs) {
  ASSERT_TRUE(Post("assign", kAssign).ok());
  auto again = Post("assign", kAssign);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsConflict());
  EXPECT_EQ(again.status().message(), "widget is already assigned");
}

TEST_F(ActionSubresourceTest, ClientUpdateStillMayNotDoWhatTheHookDid) {
  JsonDoc obj = Stored();
  SetString(EnsureObject(obj, "spec", obj.GetAllocator()), "host", "n2",
            obj.GetAllocator());
  auto r = service_->Update(kind_, "default", "w", "", std::move(obj), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(GetString(Stored(), {"spec", "host"}), "");
}

TEST_F(ActionSubresourceTest, DeleteOutcomeDeletesTheObject) {
  auto r = Post("evict", R"({"apiVersion":"policy/v1","kind":"Eviction",)"
                         R"("metadata":{"name":"w","namespace":"default"}})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto o = service_->Get(kind_, "default", "w");
  ASSERT_FALSE(o.ok());
  EXPECT_TRUE(o.status().IsNotFound());
}

TEST_F(ActionSubresourceTest, UndeclaredSubresourceIsNotFound) {
  auto r = Post("binding", kAssign);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
  EXPECT_EQ(kind_.calls, 0);
}

TEST_F(ActionSubresourceTest, BodyOfAnotherKindOrNameIsBadRequest) {
  auto wrong_kind = Post("assign", R"({"apiVersion":"v1","kind":"Binding"})");
  ASSERT_FALSE(wrong_kind.ok());
  EXPECT_EQ(wrong_kind.status().code(), Status::Code::kBadRequest);
  auto wrong_name = Post("assign", R"({"metadata":{"name":"other"}})");
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(wrong_name.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(kind_.calls, 0);
}

TEST_F(ActionSubresourceTest, MissingObjectIsNotFound) {
  auto r = service_->PostSubresource(kind_, "default", "absent", "assign",
                                     R"({"target":{"name":"n1"}})", {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
}

// An action handler another plugin registers for widgets: "mint" answers
// a Coin with its status filled in, as serviceaccounts/token answers a
// TokenRequest; it refuses a coin of value 0.
class MintHandler : public ActionHandler {
 public:
  ResourceRef Resource() const override {
    return {"example.com", "v1", "widgets"};
  }
  ActionSubresource Subresource() const override {
    return {"mint", "Coin", "money.example.com/v1"};
  }
  Status Handle(const ActionRequest& request, Json& obj,
                JsonAlloc& a) const override {
    if (GetInt(obj, {"spec", "value"}) == 0) {
      return Status::Invalid("Coin.money.example.com \"" + request.name +
                             "\" is invalid: spec.value: Required value");
    }
    SetString(EnsureObject(obj, "status", a), "minted",
              request.namespace_name + "/" + request.name + " for " +
                  request.user.name,
              a);
    return {};
  }
};

TEST_F(ActionSubresourceTest, HandlerAnswersWithTheObjectAndStoresNothing) {
  MintHandler mint;
  const uint64_t before = store_->CurrentRevision();
  WriteOptions opts;
  opts.user.name = "alice";
  auto r = service_->PostAction(mint, "default", "w", R"({"spec":{"value":5}})",
                                opts);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto reply = ParseJson(*r);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(GetString(*reply, {"apiVersion"}), "money.example.com/v1");
  EXPECT_EQ(GetString(*reply, {"kind"}), "Coin");
  EXPECT_EQ(GetInt(*reply, {"spec", "value"}), 5);
  EXPECT_EQ(GetString(*reply, {"status", "minted"}), "default/w for alice");
  EXPECT_EQ(store_->CurrentRevision(), before);
  // The handler's refusal as it is; a body of another kind is refused
  // before the handler sees it.
  auto zero = service_->PostAction(mint, "default", "w", R"({"spec":{}})", {});
  EXPECT_EQ(zero.status().code(), Status::Code::kInvalid);
  auto other = service_->PostAction(mint, "default", "w",
                                    R"({"apiVersion":"v1","kind":"Pod"})", {});
  EXPECT_EQ(other.status().code(), Status::Code::kBadRequest);
}

TEST(ActionHandlerDiscoveryTest, HandlerSubresourceIsListedWithVerbCreate) {
  KindRegistry registry;
  ASSERT_TRUE(registry.Add(std::make_shared<AssignableKind>(), "widgets").ok());
  ASSERT_TRUE(
      registry.AddActionHandler(std::make_shared<MintHandler>(), "mint").ok());
  registry.Freeze();
  Discovery d(registry.All(), nullptr, &registry);
  auto list = ParseJson(d.ResourceList("example.com", "v1"));
  ASSERT_TRUE(list.ok());
  bool found = false;
  for (const auto& r : (*list)["resources"].GetArray()) {
    if (GetString(r, {"name"}) != "widgets/mint") continue;
    found = true;
    EXPECT_EQ(GetString(r, {"group"}), "money.example.com");
    EXPECT_EQ(GetString(r, {"version"}), "v1");
    EXPECT_EQ(GetString(r, {"kind"}), "Coin");
    EXPECT_EQ(ToJson(r["verbs"]), R"(["create"])");
  }
  EXPECT_TRUE(found) << ToJson(*list);
  auto aggregated = ParseJson(d.AggregatedGroups("v2"));
  ASSERT_TRUE(aggregated.ok());
  EXPECT_NE(ToJson(*aggregated)
                .find(R"({"subresource":"mint","responseKind":{"group":)"
                      R"("money.example.com","version":"v1","kind":"Coin"},)"
                      R"("verbs":["create"]})"),
            std::string::npos)
      << ToJson(*aggregated);
}

}  // namespace
}  // namespace berth::api
