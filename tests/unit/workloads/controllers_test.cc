#include <gtest/gtest.h>

#include "deployment_conditions.h"
#include "deployment_kind.h"
#include "deployment_sync.h"
#include "fake_api.h"
#include "replica_set_controller.h"
#include "replica_set_kind.h"
#include "revision.h"
#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

constexpr char kTemplateA[] =
    R"({"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"a"}]}})";
constexpr char kTemplateB[] =
    R"({"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"b"}]}})";

std::chrono::system_clock::time_point At(int secs) {
  // 2024-01-01T00:00:00Z + secs.
  return std::chrono::system_clock::from_time_t(1704067200 + secs);
}

// A defaulted Deployment "web" (uid "uid-web") with `spec` members from
// `spec_json` and the given template.
std::string Deployment(const std::string& spec_json, const char* tmpl,
                       const std::string& status_json = "{}") {
  JsonDoc d = Parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","namespace":"default","uid":"uid-web",
      "generation":1,"creationTimestamp":"2024-01-01T00:00:00Z"},
    "spec":{"selector":{"matchLabels":{"app":"web"}}}})");
  auto& a = d.GetAllocator();
  JsonDoc spec = Parse(spec_json);
  for (auto it = spec.MemberBegin(); it != spec.MemberEnd(); ++it) {
    SetMember(d["spec"], it->name.GetString(), Json(it->value, a), a);
  }
  SetMember(d["spec"], "template", Json(Parse(tmpl), a), a);
  SetMember(d, "status", Json(Parse(status_json), a), a);
  DeploymentKind().Default(d, a);
  return ToJson(d);
}

// A ReplicaSet of "web" with `tmpl` (hash label `hash`), sized `replicas`
// with `status_json`, and its replica annotations.
std::string ReplicaSet(const std::string& hash, const char* tmpl, int replicas,
                       const std::string& status_json, int desired, int max,
                       int revision,
                       const std::string& created = "2024-01-01T00:00:00Z") {
  JsonDoc rs = Parse(R"({"apiVersion":"apps/v1","kind":"ReplicaSet",
    "metadata":{"namespace":"default","labels":{"app":"web"},"generation":1,
      "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment",
        "name":"web","uid":"uid-web","controller":true}]},
    "spec":{"selector":{"matchLabels":{"app":"web"}}}})");
  auto& a = rs.GetAllocator();
  SetString(rs["metadata"], "name", "web-" + hash, a);
  SetString(rs["metadata"], "uid", "uid-web-" + hash, a);
  SetString(rs["metadata"], "creationTimestamp", created, a);
  SetString(rs["metadata"]["labels"], "pod-template-hash", hash, a);
  Json& ann = EnsureObject(rs["metadata"], "annotations", a);
  SetString(ann, kDesiredReplicasAnnotation, std::to_string(desired), a);
  SetString(ann, kMaxReplicasAnnotation, std::to_string(max), a);
  SetString(ann, kRevisionAnnotation, std::to_string(revision), a);
  SetMember(rs["spec"], "replicas", Json(replicas), a);
  Json t(Parse(tmpl), a);
  SetString(t["metadata"]["labels"], "pod-template-hash", hash, a);
  SetMember(rs["spec"], "template", std::move(t), a);
  SetMember(rs, "status", Json(Parse(status_json), a), a);
  // Defaulted like the Deployment's template, so templates compare equal.
  ReplicaSetKind().Default(rs, a);
  return ToJson(rs);
}

// Runs one pass at `now`; scaling events land in `events` when given.
StatusOr<ReconcileResult> Sync(FakeApi& api,
                               std::chrono::system_clock::time_point now,
                               std::vector<std::string>* events = nullptr) {
  auto d = ParseJson(*api.Get({"apps", "v1", "deployments"}, "default", "web"));
  EventSink sink = [events](const Json&, const std::string& reason,
                            const std::string& message) {
    if (events) events->push_back(reason + ": " + message);
  };
  return DeploymentSync(api, std::move(*d), now, sink).Run();
}

int64_t Replicas(FakeApi& api, const std::string& rs) {
  return GetInt(api.Object("replicasets/default/" + rs), {"spec", "replicas"});
}

TEST(ReplicaSetController, CreatesPodsFromTheTemplateThenRemovesTheCheapest) {
  FakeApi api;
  api.Put("replicasets", ReplicaSet("h1", kTemplateA, 3, "{}", 3, 3, 1));
  ReplicaSetController controller(api);
  ASSERT_TRUE(controller.Reconcile({"default", "web-h1"}).ok());
  ASSERT_EQ(api.Keys("pods").size(), 3u);
  JsonDoc pod = api.Object(api.Keys("pods")[0]);
  EXPECT_EQ(GetString(pod, {"metadata", "generateName"}), "web-h1-");
  EXPECT_EQ(GetString(pod, {"metadata", "labels", "pod-template-hash"}), "h1");
  const Json& owner = (*Find(pod, {"metadata", "ownerReferences"}))[0];
  EXPECT_EQ(GetString(owner, {"uid"}), "uid-web-h1");
  EXPECT_TRUE(owner["controller"].GetBool());
  EXPECT_TRUE(owner["blockOwnerDeletion"].GetBool());
  EXPECT_EQ(GetString((*Find(pod, {"spec", "containers"}))[0], {"image"}), "a");
  EXPECT_EQ(
      GetInt(api.Object("replicasets/default/web-h1"), {"status", "replicas"}),
      3);
  ASSERT_EQ(api.events.size(), 3u);
  EXPECT_EQ(
      api.events[0],
      "replicaset-controller ReplicaSet/web-h1 Normal SuccessfulCreate: "
      "Created pod: " +
          api.Keys("pods")[0].substr(std::string("pods/default/").size()));

  // Two pods run and are ready; the third never started. Scaling to 1
  // removes the pending pod first, then the one ready for less time.
  const auto keys = api.Keys("pods");
  auto mark = [&](const std::string& key, const std::string& ready_at) {
    JsonDoc p = api.Object(key);
    auto& a = p.GetAllocator();
    SetString(p["spec"], "nodeName", "n1", a);
    SetMember(p, "status",
              Json(Parse(R"({"phase":"Running","conditions":[{"type":"Ready",)"
                         R"("status":"True","lastTransitionTime":")" +
                         ready_at + R"("}]})"),
                   a),
              a);
    api.objects[key] = ToJson(p);
  };
  mark(keys[0], "2024-01-01T00:00:00Z");
  mark(keys[1], "2024-01-01T00:05:00Z");
  JsonDoc scaled = api.Object("replicasets/default/web-h1");
  SetMember(scaled["spec"], "replicas", Json(1), scaled.GetAllocator());
  api.objects["replicasets/default/web-h1"] = ToJson(scaled);
  ASSERT_TRUE(controller.Reconcile({"default", "web-h1"}).ok());
  EXPECT_EQ(api.Keys("pods"), std::vector<std::string>{keys[0]});
  EXPECT_EQ(api.events.back(),
            "replicaset-controller ReplicaSet/web-h1 Normal SuccessfulDelete: "
            "Deleted pod: " +
                keys[1].substr(std::string("pods/default/").size()));
  JsonDoc status = api.Object("replicasets/default/web-h1");
  EXPECT_EQ(GetInt(status, {"status", "replicas"}), 1);
  EXPECT_EQ(GetInt(status, {"status", "readyReplicas"}), 1);
  EXPECT_EQ(GetInt(status, {"status", "availableReplicas"}), 1);
  EXPECT_EQ(GetInt(status, {"status", "observedGeneration"}), 1);
}

TEST(ReplicaSetController, RelabelledPodsAreReleasedAndOrphansAdopted) {
  FakeApi api;
  api.Put("replicasets", ReplicaSet("h1", kTemplateA, 2, "{}", 2, 2, 1));
  ReplicaSetController controller(api);
  ASSERT_TRUE(controller.Reconcile({"default", "web-h1"}).ok());
  ASSERT_EQ(api.Keys("pods").size(), 2u);

  // One pod is taken out of service by relabelling; an orphan with the
  // right labels appears.
  const std::string taken = api.Keys("pods")[0];
  JsonDoc pod = api.Object(taken);
  SetString(pod["metadata"]["labels"], "app", "debug", pod.GetAllocator());
  api.objects[taken] = ToJson(pod);
  api.Put("pods", R"({"metadata":{"name":"stray","namespace":"default",)"
                  R"("labels":{"app":"web","pod-template-hash":"h1"}},)"
                  R"("status":{"phase":"Pending"}})");
  ASSERT_TRUE(controller.Reconcile({"default", "web-h1"}).ok());
  EXPECT_EQ(Find(api.Object(taken), {"metadata", "ownerReferences"}), nullptr);
  const Json* refs =
      Find(api.Object("pods/default/stray"), {"metadata", "ownerReferences"});
  ASSERT_NE(refs, nullptr);
  EXPECT_EQ(GetString((*refs)[0], {"uid"}), "uid-web-h1");
  // The stray replaces the released pod: nothing new is created.
  EXPECT_EQ(api.Keys("pods").size(), 3u);
}

TEST(ReplicaSetController, ANamespaceBeingDeletedIsNotRetried) {
  FakeApi api;
  api.Put("replicasets", ReplicaSet("h1", kTemplateA, 2, "{}", 2, 2, 1));
  api.create_error = Status::Forbidden(
      "pods \"web-h1-x\" is forbidden: unable to create new content in "
      "namespace default because it is being terminated");
  ReplicaSetController controller(api);
  EXPECT_TRUE(controller.Reconcile({"default", "web-h1"}).ok());
  EXPECT_TRUE(api.events.empty());

  api.create_error = Status::Invalid("bad pod", {});
  EXPECT_FALSE(controller.Reconcile({"default", "web-h1"}).ok());
  ASSERT_EQ(api.events.size(), 1u);
  EXPECT_EQ(api.events[0],
            "replicaset-controller ReplicaSet/web-h1 Warning FailedCreate: "
            "Error creating: bad pod");
}

TEST(DeploymentSync, FirstPassCreatesTheReplicaSetWithRevisionOne) {
  FakeApi api;
  api.Put("deployments", Deployment(R"({"replicas":4})", kTemplateA));
  std::vector<std::string> events;
  ASSERT_TRUE(Sync(api, At(0), &events).ok());
  auto keys = api.Keys("replicasets");
  ASSERT_EQ(keys.size(), 1u);
  JsonDoc rs = api.Object(keys[0]);
  const std::string hash =
      GetString(rs, {"metadata", "labels", "pod-template-hash"});
  EXPECT_EQ(GetString(rs, {"metadata", "name"}), "web-" + hash);
  EXPECT_EQ(
      GetString(rs, {"spec", "selector", "matchLabels", "pod-template-hash"}),
      hash);
  EXPECT_EQ(GetInt(rs, {"spec", "replicas"}), 4);
  EXPECT_EQ(events, std::vector<std::string>{"ScalingReplicaSet: Scaled up "
                                             "replica set web-" +
                                             hash + " from 0 to 4"});
  EXPECT_EQ(Revision(rs), 1);
  EXPECT_EQ(IntAnnotation(rs, kMaxReplicasAnnotation), 5);
  JsonDoc d = api.Object("deployments/default/web");
  EXPECT_EQ(Revision(d), 1);
  const Json* conds = Find(d, {"status", "conditions"});
  ASSERT_NE(conds, nullptr);
  EXPECT_EQ(ToJson(*conds).find("NewReplicaSetCreated") != std::string::npos,
            true);
}

TEST(DeploymentSync, RecreateEmptiesOldReplicaSetsBeforeCreatingTheNew) {
  FakeApi api;
  api.Put("deployments",
          Deployment(R"({"replicas":2,"strategy":{"type":"Recreate"}})",
                     kTemplateB));
  api.Put("replicasets",
          ReplicaSet("old", kTemplateA, 2,
                     R"({"replicas":2,"availableReplicas":2})", 2, 2, 1));
  ASSERT_TRUE(Sync(api, At(0)).ok());
  EXPECT_EQ(Replicas(api, "web-old"), 0);
  EXPECT_EQ(api.Keys("replicasets").size(), 1u);

  // The old pods are still there: still no new ReplicaSet.
  ASSERT_TRUE(Sync(api, At(1)).ok());
  EXPECT_EQ(api.Keys("replicasets").size(), 1u);

  // Gone: the new one starts at full size, revision 2.
  api.Put("replicasets", ReplicaSet("old", kTemplateA, 0, "{}", 2, 2, 1));
  ASSERT_TRUE(Sync(api, At(2)).ok());
  auto keys = api.Keys("replicasets");
  ASSERT_EQ(keys.size(), 2u);
  for (const auto& key : keys) {
    if (key == "replicasets/default/web-old") continue;
    JsonDoc rs = api.Object(key);
    EXPECT_EQ(GetInt(rs, {"spec", "replicas"}), 2);
    EXPECT_EQ(Revision(rs), 2);
  }
}

TEST(DeploymentSync, RollingUpdateStepsWithinSurge) {
  FakeApi api;
  api.Put("deployments",
          Deployment(R"({"replicas":5,"strategy":{"type":"RollingUpdate",)"
                     R"("rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}})",
                     kTemplateB));
  api.Put(
      "replicasets",
      ReplicaSet("old", kTemplateA, 5,
                 R"({"replicas":5,"readyReplicas":5,"availableReplicas":5})", 5,
                 6, 1));
  ASSERT_TRUE(Sync(api, At(0)).ok());
  std::string new_rs;
  for (const auto& key : api.Keys("replicasets")) {
    if (key != "replicasets/default/web-old") new_rs = key.substr(20);
  }
  ASSERT_FALSE(new_rs.empty());
  // One surge pod, nothing removed until it is available.
  EXPECT_EQ(Replicas(api, new_rs), 1);
  EXPECT_EQ(Replicas(api, "web-old"), 5);
  ASSERT_TRUE(Sync(api, At(1)).ok());
  EXPECT_EQ(Replicas(api, "web-old"), 5);

  // The new pod became available: one old pod may go.
  JsonDoc rs = api.Object("replicasets/default/" + new_rs);
  SetMember(
      rs, "status",
      Json(Parse(R"({"replicas":1,"readyReplicas":1,"availableReplicas":1})"),
           rs.GetAllocator()),
      rs.GetAllocator());
  api.objects["replicasets/default/" + new_rs] = ToJson(rs);
  std::vector<std::string> events;
  ASSERT_TRUE(Sync(api, At(2), &events).ok());
  EXPECT_EQ(events, std::vector<std::string>{"ScalingReplicaSet: Scaled down "
                                             "replica set web-old from 5 to "
                                             "4"});
  EXPECT_EQ(Replicas(api, "web-old"), 4);
  EXPECT_EQ(Replicas(api, new_rs), 1);
  JsonDoc d = api.Object("deployments/default/web");
  EXPECT_EQ(GetInt(d, {"status", "replicas"}), 6);
  EXPECT_EQ(GetInt(d, {"status", "updatedReplicas"}), 1);
  EXPECT_EQ(GetInt(d, {"status", "availableReplicas"}), 6);
}

TEST(DeploymentSync, ScalingDuringARolloutIsProportional) {
  FakeApi api;
  api.Put("deployments",
          Deployment(R"({"replicas":20,"strategy":{"type":"RollingUpdate",)"
                     R"("rollingUpdate":{"maxSurge":3,"maxUnavailable":2}}})",
                     kTemplateB, R"({"replicas":13})"));
  api.Put("replicasets", ReplicaSet("old", kTemplateA, 8, R"({"replicas":8})",
                                    10, 13, 1, "2024-01-01T00:00:00Z"));
  // Any name works for the new ReplicaSet: it is found by its template.
  api.Put("replicasets", ReplicaSet("new", kTemplateB, 5, R"({"replicas":5})",
                                    10, 13, 2, "2024-01-01T00:01:00Z"));
  ASSERT_TRUE(Sync(api, At(0)).ok());
  // 23 allowed (20 + surge 3): 8/13 and 5/13 of it, rounded.
  EXPECT_EQ(Replicas(api, "web-old"), 14);
  EXPECT_EQ(Replicas(api, "web-new"), 9);
  EXPECT_EQ(IntAnnotation(api.Object("replicasets/default/web-old"),
                          kDesiredReplicasAnnotation),
            20);
}

TEST(DeploymentSync, NoProgressPastTheDeadlineTimesOut) {
  const std::string status =
      R"({"observedGeneration":1,"replicas":1,"updatedReplicas":1,)"
      R"("unavailableReplicas":1,"conditions":[{"type":"Progressing",)"
      R"("status":"True","reason":"ReplicaSetUpdated","message":"m",)"
      R"("lastUpdateTime":"2024-01-01T00:00:00Z",)"
      R"("lastTransitionTime":"2024-01-01T00:00:00Z"}]})";
  FakeApi api;
  api.Put("deployments",
          Deployment(R"({"replicas":1,"progressDeadlineSeconds":10})",
                     kTemplateA, status));
  api.Put("replicasets",
          ReplicaSet("h1", kTemplateA, 1, R"({"replicas":1})", 1, 2, 1));

  auto early = Sync(api, At(5));
  ASSERT_TRUE(early.ok());
  // It asks to look again once the deadline has passed.
  EXPECT_GE(early->requeue_after, std::chrono::seconds(5));
  EXPECT_EQ(GetString(*GetCondition(*Find(api.Object("deployments/default/web"),
                                          {"status"}),
                                    kProgressing),
                      {"reason"}),
            kReplicaSetUpdated);

  ASSERT_TRUE(Sync(api, At(60)).ok());
  JsonDoc d = api.Object("deployments/default/web");
  const Json* cond = GetCondition(*Find(d, {"status"}), kProgressing);
  EXPECT_EQ(GetString(*cond, {"reason"}), kProgressDeadlineExceeded);
  EXPECT_EQ(GetString(*cond, {"status"}), "False");
  EXPECT_EQ(GetString(*cond, {"message"}),
            "ReplicaSet \"web-h1\" has timed out progressing.");
  EXPECT_EQ(
      GetString(*GetCondition(*Find(d, {"status"}), kAvailable), {"reason"}),
      kMinimumReplicasUnavailable);
}

}  // namespace
}  // namespace berth::workloads
