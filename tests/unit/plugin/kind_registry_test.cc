#include "kernel/plugin/kind_registry.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace berth {
namespace {

class FakeKind : public Kind {
 public:
  FakeKind(std::string group, std::string version, std::string kind,
           std::string plural) {
    info_.group = std::move(group);
    info_.version = std::move(version);
    info_.kind = std::move(kind);
    info_.plural = std::move(plural);
  }
  const KindInfo& Info() const override { return info_; }
  void set_also_served_versions(std::vector<std::string> v) {
    info_.also_served_versions = std::move(v);
  }

 private:
  KindInfo info_;
};

std::shared_ptr<Kind> MakeKind(std::string group, std::string version,
                               std::string kind, std::string plural) {
  return std::make_shared<FakeKind>(std::move(group), std::move(version),
                                    std::move(kind), std::move(plural));
}

std::shared_ptr<Kind> MakeMultiVersionKind(std::string group, std::string kind,
                                           std::string plural,
                                           std::vector<std::string> also) {
  auto k = std::make_shared<FakeKind>(std::move(group), "v1", std::move(kind),
                                      std::move(plural));
  k->set_also_served_versions(std::move(also));
  return k;
}

TEST(KindRegistryTest, KindIsFoundInEveryVersionItIsServedIn) {
  KindRegistry registry;
  ASSERT_TRUE(registry
                  .Add(MakeMultiVersionKind("apps", "Deployment", "deployments",
                                            {"v1beta2", "v1beta1"}),
                       "wl")
                  .ok());
  registry.Freeze();
  const Kind* v1 = registry.ByResource("apps", "v1", "deployments");
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(registry.ByResource("apps", "v1beta2", "deployments"), v1);
  EXPECT_EQ(registry.ByResource("apps", "v1beta1", "deployments"), v1);
  EXPECT_EQ(registry.ByKind("apps", "v1beta2", "Deployment"), v1);
  EXPECT_EQ(registry.ByResource("apps", "v1alpha1", "deployments"), nullptr);
  // One kind, listed once.
  EXPECT_EQ(registry.All().size(), 1u);
}

TEST(KindRegistryTest, ExtraVersionTakenByAnotherKindIsRefused) {
  KindRegistry registry;
  ASSERT_TRUE(
      registry
          .Add(MakeKind("apps", "v1beta2", "Deployment", "deployments"), "old")
          .ok());
  Status s = registry.Add(
      MakeMultiVersionKind("apps", "Deployment", "deployments", {"v1beta2"}),
      "wl");
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists) << s.ToString();
  EXPECT_NE(s.message().find("\"old\""), std::string::npos) << s.message();

  KindRegistry reverse;
  ASSERT_TRUE(reverse
                  .Add(MakeMultiVersionKind("apps", "Deployment", "deployments",
                                            {"v1beta2"}),
                       "wl")
                  .ok());
  EXPECT_EQ(
      reverse
          .Add(MakeKind("apps", "v1beta2", "Deployment", "deployments"), "old")
          .code(),
      Status::Code::kAlreadyExists);
}

TEST(KindRegistryTest, OwnVersionInAlsoServedVersionsIsInvalid) {
  KindRegistry registry;
  EXPECT_EQ(registry
                .Add(MakeMultiVersionKind("apps", "Deployment", "deployments",
                                          {"v1"}),
                     "wl")
                .code(),
            Status::Code::kInvalid);
}

TEST(KindRegistryTest, LooksUpByResourceAndKind) {
  KindRegistry registry;
  ASSERT_TRUE(registry.Add(MakeKind("", "v1", "Pod", "pods"), "core").ok());
  ASSERT_TRUE(
      registry.Add(MakeKind("apps", "v1", "Deployment", "deployments"), "wl")
          .ok());
  registry.Freeze();

  const Kind* pods = registry.ByResource("", "v1", "pods");
  ASSERT_NE(pods, nullptr);
  EXPECT_EQ(pods->Info().kind, "Pod");
  EXPECT_EQ(registry.ByKind("", "v1", "Pod"), pods);
  EXPECT_EQ(registry.PluginOf(pods), "core");

  const Kind* deployments = registry.ByKind("apps", "v1", "Deployment");
  ASSERT_NE(deployments, nullptr);
  EXPECT_EQ(registry.PluginOf(deployments), "wl");
  EXPECT_EQ(registry.Share(deployments).get(), deployments);

  EXPECT_EQ(registry.ByResource("apps", "v1", "pods"), nullptr);
  EXPECT_EQ(registry.ByResource("", "v2", "pods"), nullptr);
  EXPECT_EQ(registry.ByKind("apps", "v1", "deployments"), nullptr);
  FakeKind stranger("x", "v1", "X", "xs");
  EXPECT_EQ(registry.PluginOf(&stranger), "");
  EXPECT_EQ(registry.Share(&stranger), nullptr);
}

TEST(KindRegistryTest, AllIsOrderedByGroupVersionPlural) {
  KindRegistry registry;
  ASSERT_TRUE(registry.Add(MakeKind("batch", "v1", "Job", "jobs"), "a").ok());
  ASSERT_TRUE(
      registry.Add(MakeKind("", "v1", "Service", "services"), "a").ok());
  ASSERT_TRUE(
      registry.Add(MakeKind("apps", "v1", "ReplicaSet", "replicasets"), "b")
          .ok());
  ASSERT_TRUE(registry.Add(MakeKind("", "v1", "Pod", "pods"), "a").ok());
  std::vector<std::string> order;
  for (const Kind* k : registry.All()) order.push_back(k->Info().kind);
  EXPECT_EQ(order,
            (std::vector<std::string>{"Pod", "Service", "ReplicaSet", "Job"}));
}

TEST(KindRegistryTest, RefusesTheSameKindTwice) {
  KindRegistry registry;
  ASSERT_TRUE(
      registry.Add(MakeKind("apps", "v1", "Deployment", "deployments"), "wl")
          .ok());
  Status s =
      registry.Add(MakeKind("apps", "v1", "Deployment", "deploys"), "other");
  EXPECT_TRUE(s.IsAlreadyExists());
  EXPECT_EQ(s.message(),
            "plugin \"other\": kind apps/v1 Deployment is already provided by "
            "plugin \"wl\"");
  // Another version of the same kind is a different resource.
  EXPECT_TRUE(registry
                  .Add(MakeKind("apps", "v1beta1", "Deployment", "deployments"),
                       "other")
                  .ok());
}

TEST(KindRegistryTest, RefusesTheSamePluralTwice) {
  KindRegistry registry;
  ASSERT_TRUE(registry.Add(MakeKind("", "v1", "Pod", "pods"), "core").ok());
  Status s = registry.Add(MakeKind("", "v1", "PodLike", "pods"), "other");
  EXPECT_TRUE(s.IsAlreadyExists());
  EXPECT_EQ(s.message(),
            "plugin \"other\": resource v1 pods (kind PodLike) is already "
            "provided by plugin \"core\" (kind Pod)");
  EXPECT_EQ(registry.ByKind("", "v1", "PodLike"), nullptr);
}

TEST(KindRegistryTest, RefusesIncompleteKinds) {
  KindRegistry registry;
  EXPECT_EQ(registry.Add(nullptr, "p").code(), Status::Code::kInvalid);
  EXPECT_EQ(registry.Add(MakeKind("", "v1", "Pod", ""), "p").code(),
            Status::Code::kInvalid);
  EXPECT_EQ(registry.Add(MakeKind("", "", "Pod", "pods"), "p").code(),
            Status::Code::kInvalid);
  EXPECT_TRUE(registry.All().empty());
}

TEST(KindRegistryTest, RemovePluginRollsBackOnlyThatPlugin) {
  KindRegistry registry;
  ASSERT_TRUE(registry.Add(MakeKind("", "v1", "Pod", "pods"), "core").ok());
  ASSERT_TRUE(registry.Add(MakeKind("x", "v1", "A", "as"), "bad").ok());
  ASSERT_TRUE(registry.Add(MakeKind("x", "v1", "B", "bs"), "bad").ok());
  ASSERT_TRUE(registry.RemovePlugin("bad").ok());
  EXPECT_EQ(registry.All().size(), 1u);
  EXPECT_EQ(registry.ByKind("x", "v1", "A"), nullptr);
  EXPECT_NE(registry.ByKind("", "v1", "Pod"), nullptr);
  // The names are free again.
  EXPECT_TRUE(registry.Add(MakeKind("x", "v1", "A", "as"), "good").ok());
}

TEST(KindRegistryTest, FrozenRegistryRefusesChanges) {
  KindRegistry registry;
  registry.Freeze();
  EXPECT_EQ(registry.Add(MakeKind("", "v1", "Pod", "pods"), "core").code(),
            Status::Code::kInternal);
  EXPECT_EQ(registry.RemovePlugin("core").code(), Status::Code::kInternal);
  EXPECT_EQ(registry.ByResource("", "v1", "pods"), nullptr);
}

TEST(KindRegistryTest, KeepsKindsAliveWhileRegistered) {
  KindRegistry registry;
  auto kind = MakeKind("", "v1", "Pod", "pods");
  std::weak_ptr<Kind> weak = kind;
  ASSERT_TRUE(registry.Add(std::move(kind), "core").ok());
  EXPECT_FALSE(weak.expired());
  ASSERT_TRUE(registry.RemovePlugin("core").ok());
  EXPECT_TRUE(weak.expired());
}

// One schema per apiVersion and kind, naming who has it; a schema without
// its top-level message is refused; a rolled-back plugin's schemas go.
TEST(KindRegistryTest, ProtobufSchemasAreUniqueAndComplete) {
  static constexpr ProtoField kFields[] = {
      {2, "color", ProtoFieldKind::kString, 0, {}}};
  KindRegistry registry;
  ProtobufSchema widget{"example.com/v1", "Widget", {{"Widget", kFields}}};
  ASSERT_TRUE(registry.AddProtobufSchema(widget, "widgets").ok());
  Status again = registry.AddProtobufSchema(widget, "other");
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists);
  EXPECT_NE(again.message().find("\"widgets\""), std::string::npos);
  EXPECT_EQ(registry
                .AddProtobufSchema(
                    {"example.com/v1", "Gadget", {{"Widget", kFields}}}, "x")
                .code(),
            Status::Code::kInvalid);
  ASSERT_NE(registry.ProtobufSchemaFor("example.com/v1", "Widget"), nullptr);
  EXPECT_EQ(registry.ProtobufSchemaFor("example.com/v2", "Widget"), nullptr);
  ASSERT_TRUE(registry.RemovePlugin("widgets").ok());
  EXPECT_EQ(registry.ProtobufSchemaFor("example.com/v1", "Widget"), nullptr);
}

class FakeActionHandler : public ActionHandler {
 public:
  explicit FakeActionHandler(std::string sub) : sub_(std::move(sub)) {}
  ResourceRef Resource() const override {
    return {"", "v1", "serviceaccounts"};
  }
  ActionSubresource Subresource() const override {
    return {sub_, "TokenRequest", "authentication.k8s.io/v1"};
  }
  Status Handle(const ActionRequest&, Json&, JsonAlloc&) const override {
    return {};
  }

 private:
  std::string sub_;
};

class KindWithAction : public FakeKind {
 public:
  KindWithAction() : FakeKind("", "v1", "ServiceAccount", "serviceaccounts") {}
  std::vector<ActionSubresource> ActionSubresources() const override {
    return {{"token", "TokenRequest", "authentication.k8s.io/v1"}};
  }
};

TEST(KindRegistryTest, ActionHandlersAreFoundByResourceAndUnique) {
  KindRegistry registry;
  ASSERT_TRUE(
      registry
          .Add(MakeKind("", "v1", "ServiceAccount", "serviceaccounts"), "core")
          .ok());
  auto token = std::make_shared<FakeActionHandler>("token");
  ASSERT_TRUE(registry.AddActionHandler(token, "auth").ok());
  Status again = registry.AddActionHandler(
      std::make_shared<FakeActionHandler>("token"), "other");
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists);
  EXPECT_NE(again.message().find("already served by plugin \"auth\""),
            std::string::npos)
      << again.message();
  EXPECT_EQ(registry.AddActionHandler(nullptr, "auth").code(),
            Status::Code::kInvalid);
  registry.Freeze();
  EXPECT_EQ(registry.ActionHandlerFor("", "serviceaccounts", "token"),
            token.get());
  EXPECT_EQ(registry.ActionHandlerFor("", "serviceaccounts", "other"), nullptr);
  EXPECT_EQ(registry.ActionHandlerFor("", "pods", "token"), nullptr);
  EXPECT_EQ(registry.ActionHandlersOf("", "serviceaccounts").size(), 1u);
}

TEST(KindRegistryTest, ActionHandlerMayNotTakeAKindsOwnSubresource) {
  // Either load order is refused.
  KindRegistry kind_first;
  ASSERT_TRUE(kind_first.Add(std::make_shared<KindWithAction>(), "core").ok());
  EXPECT_EQ(kind_first
                .AddActionHandler(std::make_shared<FakeActionHandler>("token"),
                                  "auth")
                .code(),
            Status::Code::kAlreadyExists);
  KindRegistry handler_first;
  ASSERT_TRUE(handler_first
                  .AddActionHandler(
                      std::make_shared<FakeActionHandler>("token"), "auth")
                  .ok());
  EXPECT_EQ(
      handler_first.Add(std::make_shared<KindWithAction>(), "core").code(),
      Status::Code::kAlreadyExists);
  // A plugin rolled back takes its handlers with it.
  ASSERT_TRUE(handler_first.RemovePlugin("auth").ok());
  EXPECT_EQ(handler_first.ActionHandlerFor("", "serviceaccounts", "token"),
            nullptr);
}

}  // namespace
}  // namespace berth
