#include "kernel/api/apply/field_manager.h"

#include <gtest/gtest.h>

#include "kernel/api/apply/managed_fields.h"
#include "tests/unit/patch/test_json.h"

namespace berth::apply {
namespace {

using patch::ParseOrDie;

WriteContext Ctx(const std::string& manager, const std::string& now = "T1") {
  WriteContext ctx;
  ctx.manager = manager;
  ctx.api_version = "v1";
  ctx.merge_key = [](const std::string& path) -> std::optional<std::string> {
    if (path == "spec.containers") return "name";
    return std::nullopt;
  };
  ctx.now = now;
  return ctx;
}

JsonDoc Created(const std::string& text, const std::string& manager) {
  JsonDoc obj = ParseOrDie(text);
  RecordUpdate(nullptr, obj, obj.GetAllocator(), Ctx(manager));
  return obj;
}

JsonDoc Applied(const Json& live, const std::string& config,
                const std::string& manager, bool force = false,
                const std::string& now = "T2") {
  auto out = ApplyConfig(live, AppliedConfig(ParseOrDie(config)),
                         Ctx(manager, now), force);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? std::move(out).value() : JsonDoc();
}

// "manager/operation: path path ..." for each entry.
std::vector<std::string> Owners(const Json& obj) {
  std::vector<std::string> out;
  auto entries = DecodeManagedFields(obj);
  EXPECT_TRUE(entries.ok());
  for (const auto& e : *entries) {
    std::string line = e.manager + "/" + e.operation + ":";
    for (const auto& p : e.fields.PathStrings()) line += " " + p;
    out.push_back(line);
  }
  return out;
}

constexpr char kConfigMap[] =
    R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c",)"
    R"("uid":"u","resourceVersion":"5"},"data":{"key":"v1"}})";

TEST(FieldManagerTest, CreateRecordsAnUpdateEntryWithoutServerFields) {
  JsonDoc obj = Created(kConfigMap, "kubectl-create");
  ASSERT_EQ(Owners(obj),
            std::vector<std::string>{"kubectl-create/Update: .data .data.key"});
  const Json& e = obj["metadata"]["managedFields"][0];
  EXPECT_EQ(GetString(e, {"apiVersion"}), "v1");
  EXPECT_EQ(GetString(e, {"fieldsType"}), "FieldsV1");
  EXPECT_EQ(GetString(e, {"time"}), "T1");
}

TEST(FieldManagerTest, AnUpdateTakesTheFieldsItChanges) {
  JsonDoc obj = Created(
      R"({"data":{"key":"v1","other":"x"},"metadata":{"name":"c",
        "labels":{"a":"b"}}})",
      "kubectl-create");
  JsonDoc next;
  next.CopyFrom(obj, next.GetAllocator());
  next["data"]["key"].SetString("v2");
  RecordUpdate(&obj, next, next.GetAllocator(), Ctx("kubectl-edit", "T3"));
  EXPECT_EQ(Owners(next), (std::vector<std::string>{
                              "kubectl-create/Update: .data .data.other "
                              ".metadata.labels .metadata.labels.a",
                              "kubectl-edit/Update: .data.key"}));
  // Removed fields leave every owner; an entry left owning nothing goes.
  JsonDoc last;
  last.CopyFrom(next, last.GetAllocator());
  last.RemoveMember("data");
  RecordUpdate(&next, last, last.GetAllocator(), Ctx("kubectl-patch", "T4"));
  EXPECT_EQ(Owners(last),
            std::vector<std::string>{
                "kubectl-create/Update: .metadata.labels .metadata.labels.a"});
}

TEST(FieldManagerTest, ANoOpUpdateLeavesManagedFieldsAlone) {
  JsonDoc obj = Created(kConfigMap, "kubectl-create");
  JsonDoc next;
  next.CopyFrom(obj, next.GetAllocator());
  RecordUpdate(&obj, next, next.GetAllocator(), Ctx("kubectl-create", "T9"));
  EXPECT_EQ(ToJson(next), ToJson(obj));
}

TEST(FieldManagerTest, AWriteWithoutManagedFieldsKeepsTheLiveOnes) {
  // A PUT body rarely carries managedFields; the live ones stay.
  JsonDoc obj = Created(kConfigMap, "kubectl-create");
  JsonDoc same = ParseOrDie(kConfigMap);
  RecordUpdate(&obj, same, same.GetAllocator(), Ctx("kubectl-replace", "T7"));
  EXPECT_EQ(ToJson(same), ToJson(obj));
  JsonDoc changed = ParseOrDie(kConfigMap);
  changed["data"].AddMember("new", "x", changed.GetAllocator());
  RecordUpdate(&obj, changed, changed.GetAllocator(),
               Ctx("kubectl-replace", "T7"));
  EXPECT_EQ(Owners(changed),
            (std::vector<std::string>{"kubectl-create/Update: .data .data.key",
                                      "kubectl-replace/Update: .data.new"}));
}

TEST(FieldManagerTest, AClientMayRewriteManagedFields) {
  // kubectl's client-side to server-side apply upgrade: a JSON patch that
  // only replaces managedFields.
  JsonDoc obj = Created(kConfigMap, "kubectl-client-side-apply");
  JsonDoc next;
  next.CopyFrom(obj, next.GetAllocator());
  Json& entry = next["metadata"]["managedFields"][0];
  entry["manager"].SetString("kubectl");
  entry["operation"].SetString("Apply");
  RecordUpdate(&obj, next, next.GetAllocator(), Ctx("kubectl", "T8"));
  EXPECT_EQ(Owners(next),
            std::vector<std::string>{"kubectl/Apply: .data .data.key"});
}

TEST(FieldManagerTest, ApplyConflictsWithAnotherManagersDifferentValue) {
  JsonDoc live = Created(kConfigMap, "kubectl-client-side-apply");
  auto out =
      ApplyConfig(live, ParseOrDie(R"({"apiVersion":"v1","kind":"ConfigMap",
        "metadata":{"name":"c"},"data":{"key":"v2"}})"),
                  Ctx("kubectl"), false);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsConflict());
  EXPECT_EQ(out.status().message(),
            "Apply failed with 1 conflict: conflict with "
            "\"kubectl-client-side-apply\" using v1: .data.key");
  ASSERT_EQ(out.status().causes().size(), 1u);
  EXPECT_EQ(out.status().causes()[0].reason, "FieldManagerConflict");
  EXPECT_EQ(out.status().causes()[0].field, ".data.key");
  EXPECT_EQ(out.status().causes()[0].message,
            "conflict with \"kubectl-client-side-apply\" using v1");
}

TEST(FieldManagerTest, ApplyingTheSameValueSharesOwnership) {
  JsonDoc live = Created(kConfigMap, "kubectl-client-side-apply");
  JsonDoc out = Applied(live, R"({"data":{"key":"v1"}})", "kubectl");
  EXPECT_EQ(Owners(out),
            (std::vector<std::string>{"kubectl/Apply: .data.key",
                                      "kubectl-client-side-apply/Update: .data "
                                      ".data.key"}));
}

TEST(FieldManagerTest, ForceTakesTheFieldFromTheOtherManager) {
  JsonDoc live = Created(kConfigMap, "kubectl-edit");
  JsonDoc out =
      Applied(live, R"({"data":{"key":"v2"}})", "kubectl", /*force=*/true);
  EXPECT_EQ(GetString(out, {"data", "key"}), "v2");
  // The updater keeps the map it created; the key is the applier's now.
  EXPECT_EQ(Owners(out),
            (std::vector<std::string>{"kubectl/Apply: .data.key",
                                      "kubectl-edit/Update: .data"}));
}

TEST(FieldManagerTest, KubectlTakesOverItsClientSideApplyFields) {
  // `kubectl apply` recorded a=1 and b=1; kubectl-edit changed b since.
  JsonDoc live = Created(
      R"({"metadata":{"name":"c","annotations":{
        "kubectl.kubernetes.io/last-applied-configuration":
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\",\"b\":\"1\"}}"}},
        "data":{"a":"1","b":"1"}})",
      "kubectl-client-side-apply");
  JsonDoc edited;
  edited.CopyFrom(live, edited.GetAllocator());
  edited["data"]["b"].SetString("edited");
  RecordUpdate(&live, edited, edited.GetAllocator(), Ctx("kubectl-edit"));
  // a is still what the annotation says: kubectl may take it; b is not.
  auto out = ApplyConfig(edited, ParseOrDie(R"({"data":{"a":"2","b":"2"}})"),
                         Ctx("kubectl"), false);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Apply failed with 1 conflict: conflict with \"kubectl-edit\" "
            "using v1: .data.b");
  JsonDoc taken = Applied(edited, R"({"data":{"a":"2"}})", "kubectl");
  EXPECT_EQ(GetString(taken, {"data", "a"}), "2");
  // Another applier gets no such pass.
  EXPECT_FALSE(ApplyConfig(edited, ParseOrDie(R"({"data":{"a":"3"}})"),
                           Ctx("helm"), false)
                   .ok());
}

TEST(FieldManagerTest, ConflictMessageListsEveryFieldByManager) {
  JsonDoc live = Created(R"({"data":{"a":"1","b":"2"}})", "kubectl-edit");
  live = Applied(live, R"({"data":{"c":"3"}})", "tool");
  auto out = ApplyConfig(live, ParseOrDie(R"({"data":{"a":"x","b":"y",
    "c":"z"}})"),
                         Ctx("kubectl"), false);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "Apply failed with 3 conflicts: conflicts with \"kubectl-edit\" "
            "using v1:\n- .data.a\n- .data.b\nconflicts with \"tool\":\n- "
            ".data.c");
  EXPECT_EQ(out.status().causes().size(), 3u);
}

TEST(FieldManagerTest, FieldsNoLongerAppliedAreRemovedUnlessSharedOwned) {
  JsonDoc live = Created(R"({"metadata":{"name":"c"}})", "kubectl-create");
  live = Applied(live,
                 R"({"data":{"a":"1","b":"2","c":"3"},"spec":{"containers":
                   [{"name":"x","image":"i"},{"name":"y","image":"j"}]}})",
                 "kubectl");
  // Another applier shares .data.b.
  live = Applied(live, R"({"data":{"b":"2"}})", "other");
  JsonDoc out =
      Applied(live, R"({"data":{"a":"1"},"spec":{"containers":[{"name":"x",
        "image":"i"}]}})",
              "kubectl");
  EXPECT_TRUE(patch::JsonEquals(*Member(out, "data"), R"({"a":"1","b":"2"})"));
  EXPECT_TRUE(patch::JsonEquals(*Find(out, {"spec", "containers"}),
                                R"([{"name":"x","image":"i"}])"));
  EXPECT_EQ(Owners(out),
            (std::vector<std::string>{"kubectl/Apply: .data.a "
                                      ".spec.containers[name=\"x\"] "
                                      ".spec.containers[name=\"x\"].image "
                                      ".spec.containers[name=\"x\"].name",
                                      "other/Apply: .data.b"}));
}

TEST(FieldManagerTest, ReapplyingTheSameConfigChangesNothing) {
  JsonDoc live = Created(kConfigMap, "kubectl-create");
  live =
      Applied(live, R"({"data":{"key":"v1","x":"y"}})", "kubectl", false, "T2");
  JsonDoc again =
      Applied(live, R"({"data":{"key":"v1","x":"y"}})", "kubectl", false, "T5");
  EXPECT_EQ(ToJson(again), ToJson(live));
}

TEST(FieldManagerTest, AppliedConfigurationMustMatchAndCarryNoManagedFields) {
  EXPECT_TRUE(CheckAppliedConfig(ParseOrDie(R"({"apiVersion":"apps/v1"})"),
                                 Ctx("kubectl"))
                  .code() == Status::Code::kBadRequest);
  EXPECT_TRUE(
      CheckAppliedConfig(
          ParseOrDie(R"({"metadata":{"managedFields":[{"manager":"x"}]}})"),
          Ctx("kubectl"))
          .code() == Status::Code::kBadRequest);
}

TEST(FieldManagerTest, StatusWritesRecordTheSubresourceAndOnlyStatus) {
  JsonDoc old = ParseOrDie(R"({"spec":{"a":1},"status":{"phase":"P"}})");
  JsonDoc next = ParseOrDie(R"({"spec":{"a":2},"status":{"phase":"R"}})");
  WriteContext ctx = Ctx("berth");
  ctx.subresource = "status";
  ctx.status_subresource = true;
  RecordUpdate(&old, next, next.GetAllocator(), ctx);
  EXPECT_EQ(Owners(next),
            std::vector<std::string>{"berth/Update: .status.phase"});
  EXPECT_EQ(GetString(next["metadata"]["managedFields"][0], {"subresource"}),
            "status");
}

}  // namespace
}  // namespace berth::apply
