// The DaemonSet, StatefulSet, Job and CronJob controllers against an
// in-memory client, playing the kubelet by writing pod status, with an
// injected clock where time matters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "age.h"
#include "cron_job_controller.h"
#include "cron_job_kind.h"
#include "daemon_set_controller.h"
#include "daemon_set_kind.h"
#include "daemon_set_node_watcher.h"
#include "fake_client.h"
#include "job_controller.h"
#include "job_kind.h"
#include "stateful_set_controller.h"
#include "stateful_set_kind.h"

namespace berth::workloads {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using TimePoint = std::chrono::system_clock::time_point;

TimePoint At(const std::string& text) { return *core::ParseTimestamp(text); }

// Stores `json` as the API would: defaulted by `kind`, with a uid.
void Store(FakeClient& client, const Kind& kind, const std::string& ns,
           const std::string& json) {
  JsonDoc d = Parse(json);
  auto& a = d.GetAllocator();
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "uid", "uid-" + GetString(meta, {"name"}), a);
  SetString(meta, "namespace", ns, a);
  SetDefault(meta, "generation", Json(1), a);
  SetDefaultString(meta, "creationTimestamp", "2026-11-22T03:00:00Z", a);
  SetDefaultString(d, "apiVersion",
                   kind.Info().group + "/" + kind.Info().version, a);
  SetDefaultString(d, "kind", kind.Info().kind, a);
  kind.Default(d, a);
  client.Put(kind.Info().plural, ns, ToJson(d));
}

void Reconcile(Controller& c, const std::string& ns, const std::string& name) {
  auto r = c.Reconcile({ns, name});
  ASSERT_TRUE(r.ok()) << r.status().message();
}

// --- DaemonSet --------------------------------------------------------------

constexpr char kDaemonSet[] =
    R"({"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"agent"}},)"
    R"("template":{"metadata":{"labels":{"app":"agent"}},)"
    R"("spec":{"containers":[{"name":"a","image":"agent:1"}]}}}})";

void AddNode(FakeClient& client, const std::string& name,
             const std::string& taints = "[]") {
  client.Put("nodes", "",
             R"({"metadata":{"name":")" + name +
                 R"(","labels":{}},"spec":{"taints":)" + taints + "}}");
}

std::vector<std::string> PodNodes(FakeClient& client) {
  std::vector<std::string> nodes;
  for (const auto& name : client.Names("pods", "default")) {
    JsonDoc pod = client.Object("pods/default/" + name);
    const Json* values =
        Find(pod, {"spec", "affinity", "nodeAffinity",
                   "requiredDuringSchedulingIgnoredDuringExecution",
                   "nodeSelectorTerms"});
    nodes.push_back(ToJson((*values)[0]["matchFields"][0]["values"][0]));
  }
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

TEST(DaemonSetController, OnePodPerNodeSkippingTaintedOnes) {
  FakeHost host;
  FakeClient& client = host.fake;
  DaemonSetKind kind;
  for (const char* n : {"n1", "n2", "n3"}) AddNode(client, n);
  AddNode(client, "n4",
          R"([{"key":"dedicated","value":"db","effect":"NoSchedule"}])");
  Store(client, kind, "default", kDaemonSet);
  DaemonSetController c(host);
  Reconcile(c, "default", "agent");
  EXPECT_THAT(PodNodes(client), ElementsAre("\"n1\"", "\"n2\"", "\"n3\""));
  JsonDoc pod =
      client.Object("pods/default/" + client.Names("pods", "default")[0]);
  EXPECT_EQ(ToJson((*Find(pod, {"metadata", "ownerReferences"}))[0]["kind"]),
            "\"DaemonSet\"");
  EXPECT_NE(GetString(pod, {"metadata", "labels", "controller-revision-hash"}),
            "");
  // Again: nothing new; the status counts the pods made last time.
  Reconcile(c, "default", "agent");
  EXPECT_THAT(client.Names("pods", "default"), SizeIs(3));
  JsonDoc ds = client.Object("daemonsets/default/agent");
  EXPECT_EQ(GetInt(ds, {"status", "desiredNumberScheduled"}), 3);
  EXPECT_EQ(GetInt(ds, {"status", "currentNumberScheduled"}), 3);
  EXPECT_EQ(GetInt(ds, {"status", "numberMisscheduled"}), 0);

  // A toleration lets it onto the tainted node too.
  JsonDoc tolerant = Parse(kDaemonSet);
  JsonDoc tol = Parse(R"([{"key":"dedicated","operator":"Exists"}])");
  SetMember((*Find(tolerant, {"spec", "template", "spec"})), "tolerations",
            Json(tol, tolerant.GetAllocator()), tolerant.GetAllocator());
  SetString(tolerant["metadata"], "name", "tolerant", tolerant.GetAllocator());
  Store(client, kind, "default", ToJson(tolerant));
  Reconcile(c, "default", "tolerant");
  EXPECT_THAT(client.Names("pods", "default"), SizeIs(7));
}

TEST(DaemonSetController, NodeGoneOrTaintedNoExecuteLosesItsPod) {
  FakeHost host;
  FakeClient& client = host.fake;
  DaemonSetKind kind;
  AddNode(client, "n1");
  AddNode(client, "n2");
  Store(client, kind, "default", kDaemonSet);
  DaemonSetController c(host);
  Reconcile(c, "default", "agent");
  ASSERT_THAT(client.Names("pods", "default"), SizeIs(2));
  AddNode(client, "n2", R"([{"key":"evict","effect":"NoExecute"}])");
  AddNode(client, "n3");
  DaemonSetNodeWatcher watcher(client, std::shared_ptr<DaemonSetController>(
                                           &c, [](DaemonSetController*) {}));
  ASSERT_TRUE(watcher.Reconcile({"", "n3"}).ok());
  EXPECT_THAT(PodNodes(client), ElementsAre("\"n1\"", "\"n3\""));
}

TEST(DaemonSetNodeWatcher, ResyncsOnlyWhenPlacementInputsChange) {
  FakeHost host;
  FakeClient& client = host.fake;
  DaemonSetKind kind;
  AddNode(client, "n1");
  Store(client, kind, "default", kDaemonSet);
  auto c = std::make_shared<DaemonSetController>(host);
  DaemonSetNodeWatcher watcher(client, c);
  ASSERT_TRUE(watcher.Reconcile({"", "n1"}).ok());
  ASSERT_THAT(client.Names("pods", "default"), SizeIs(1));
  // A status-only write (a heartbeat) does not resync: the pod removed
  // behind the controller's back stays gone until the DaemonSet's own
  // reconcile.
  client.objects.erase("pods/default/" + client.Names("pods", "default")[0]);
  client.Put("nodes", "",
             R"({"metadata":{"name":"n1","labels":{}},"spec":{"taints":[]},)"
             R"("status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  ASSERT_TRUE(watcher.Reconcile({"", "n1"}).ok());
  EXPECT_THAT(client.Names("pods", "default"), IsEmpty());
  // A new label does.
  client.Put("nodes", "",
             R"({"metadata":{"name":"n1","labels":{"zone":"a"}},"spec":{}})");
  ASSERT_TRUE(watcher.Reconcile({"", "n1"}).ok());
  EXPECT_THAT(client.Names("pods", "default"), SizeIs(1));
}

TEST(DaemonSetController, RollingUpdateReplacesAtMostMaxUnavailable) {
  FakeHost host;
  FakeClient& client = host.fake;
  DaemonSetKind kind;
  for (const char* n : {"n1", "n2", "n3"}) AddNode(client, n);
  Store(client, kind, "default", kDaemonSet);
  DaemonSetController c(host);
  Reconcile(c, "default", "agent");
  for (const auto& name : client.Names("pods", "default")) {
    client.SetPodStatus("default", name, kRunningReady);
  }
  // New image.
  JsonDoc ds = client.Object("daemonsets/default/agent");
  SetString((*Find(ds, {"spec", "template", "spec", "containers"}))[0], "image",
            "agent:2", ds.GetAllocator());
  client.Put("daemonsets", "default", ToJson(ds));
  Reconcile(c, "default", "agent");
  // One old pod deleted (maxUnavailable 1); nothing else until it is back.
  EXPECT_THAT(client.deleted, SizeIs(1));
  Reconcile(c, "default", "agent");
  EXPECT_THAT(client.deleted, SizeIs(1));
  EXPECT_THAT(client.Names("pods", "default"), SizeIs(3));
}

// --- StatefulSet ------------------------------------------------------------

constexpr char kStatefulSet[] =
    R"({"metadata":{"name":"web"},"spec":{"replicas":3,"serviceName":"nginx",)"
    R"("selector":{"matchLabels":{"app":"nginx"}},)"
    R"("template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":)"
    R"([{"name":"nginx","image":"nginx","volumeMounts":[{"name":"data","mountPath":"/d"}]}]}},)"
    R"("volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":)"
    R"(["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}})";

TEST(StatefulSetController, CreatesOrdinalsInOrderWithClaims) {
  FakeHost host;
  FakeClient& client = host.fake;
  StatefulSetKind kind;
  Store(client, kind, "default", kStatefulSet);
  StatefulSetController c(host);
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"), ElementsAre("web-0"));
  EXPECT_THAT(client.Names("persistentvolumeclaims", "default"),
              ElementsAre("data-web-0"));
  EXPECT_THAT(host.events,
              ElementsAre("StatefulSet Normal SuccessfulCreate: create Claim "
                          "data-web-0 Pod web-0 in StatefulSet web success",
                          "StatefulSet Normal SuccessfulCreate: create Pod "
                          "web-0 in StatefulSet web successful"));
  // Waits for web-0 to be Running and Ready.
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"), ElementsAre("web-0"));
  client.SetPodStatus("default", "web-0", kRunningReady);
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"), ElementsAre("web-0", "web-1"));
  client.SetPodStatus("default", "web-1", kRunningReady);
  Reconcile(c, "default", "web");
  client.SetPodStatus("default", "web-2", kRunningReady);
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"),
              ElementsAre("web-0", "web-1", "web-2"));
  EXPECT_THAT(client.Names("persistentvolumeclaims", "default"),
              ElementsAre("data-web-0", "data-web-1", "data-web-2"));

  JsonDoc pod = client.Object("pods/default/web-1");
  EXPECT_EQ(GetString(pod, {"spec", "hostname"}), "web-1");
  EXPECT_EQ(GetString(pod, {"spec", "subdomain"}), "nginx");
  EXPECT_EQ(GetString(pod, {"metadata", "labels",
                            "statefulset.kubernetes.io/pod-name"}),
            "web-1");
  EXPECT_EQ(
      GetString(pod, {"metadata", "labels", "apps.kubernetes.io/pod-index"}),
      "1");
  EXPECT_EQ(
      ToJson(*Find(pod, {"spec", "volumes"})),
      R"([{"name":"data","persistentVolumeClaim":{"claimName":"data-web-1"}}])");

  JsonDoc sts = client.Object("statefulsets/default/web");
  EXPECT_EQ(GetInt(sts, {"status", "replicas"}), 3);
  EXPECT_EQ(GetInt(sts, {"status", "readyReplicas"}), 3);
  EXPECT_EQ(GetInt(sts, {"status", "updatedReplicas"}), 3);
  EXPECT_EQ(GetString(sts, {"status", "currentRevision"}),
            GetString(sts, {"status", "updateRevision"}));

  // Scale down to 1: web-2 first, then web-1; the claims stay.
  SetMember(sts["spec"], "replicas", Json(1), sts.GetAllocator());
  client.Put("statefulsets", "default", ToJson(sts));
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"), ElementsAre("web-0", "web-1"));
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"), ElementsAre("web-0"));
  EXPECT_THAT(client.Names("persistentvolumeclaims", "default"), SizeIs(3));
}

TEST(StatefulSetController, WorksWithoutAStoragePlugin) {
  FakeHost host;
  FakeClient& client = host.fake;
  client.unserved.insert("persistentvolumeclaims");
  StatefulSetKind kind;
  Store(client, kind, "default", kStatefulSet);
  StatefulSetController c(host);
  Reconcile(c, "default", "web");
  EXPECT_THAT(client.Names("pods", "default"), ElementsAre("web-0"));
}

// --- Job ---------------------------------------------------------------------

constexpr char kJob[] =
    R"({"metadata":{"name":"pi"},"spec":{"completions":3,"parallelism":2,)"
    R"("backoffLimit":1,"template":{"spec":{"restartPolicy":"Never",)"
    R"("containers":[{"name":"pi","image":"perl"}]}}}})";

std::string Condition(const Json& job, const char* type) {
  const Json* conds = Find(job, {"status", "conditions"});
  if (!conds) return "";
  for (const auto& c : conds->GetArray()) {
    if (GetString(c, {"type"}) == type) return GetString(c, {"reason"});
  }
  return "";
}

TEST(JobController, RunsToCompletionWithParallelism) {
  FakeHost host;
  FakeClient& client = host.fake;
  JobKind kind;
  Store(client, kind, "default", kJob);
  TimePoint now = At("2026-11-22T03:00:00Z");
  JobController c(host, [&] { return now; });
  Reconcile(c, "default", "pi");
  auto pods = client.Names("pods", "default");
  ASSERT_THAT(pods, SizeIs(2));
  JsonDoc pod = client.Object("pods/default/" + pods[0]);
  EXPECT_EQ(GetString(pod, {"metadata", "labels", "job-name"}), "pi");
  EXPECT_EQ(GetString(pod, {"metadata", "labels",
                            "batch.kubernetes.io/controller-uid"}),
            "uid-pi");
  JsonDoc job = client.Object("jobs/default/pi");
  EXPECT_EQ(GetInt(job, {"status", "active"}), 2);
  EXPECT_EQ(GetString(job, {"status", "startTime"}), "2026-11-22T03:00:00Z");

  client.SetPodStatus("default", pods[0], R"({"phase":"Succeeded"})");
  client.SetPodStatus("default", pods[1], R"({"phase":"Succeeded"})");
  Reconcile(c, "default", "pi");
  // One more for the third completion.
  EXPECT_THAT(client.Names("pods", "default"), SizeIs(3));
  for (const auto& name : client.Names("pods", "default")) {
    client.SetPodStatus("default", name, R"({"phase":"Succeeded"})");
  }
  now = At("2026-11-22T03:00:07Z");
  Reconcile(c, "default", "pi");
  job = client.Object("jobs/default/pi");
  EXPECT_EQ(Condition(job, "Complete"), "CompletionsReached");
  EXPECT_EQ(host.events.back(), "Job Normal Completed: Job completed");
  EXPECT_THAT(host.events,
              ::testing::Contains(::testing::StartsWith(
                  "Job Normal SuccessfulCreate: Created pod: pi-")));
  EXPECT_EQ(Condition(job, "SuccessCriteriaMet"), "CompletionsReached");
  EXPECT_EQ(GetInt(job, {"status", "succeeded"}), 3);
  EXPECT_EQ(GetString(job, {"status", "completionTime"}),
            "2026-11-22T03:00:07Z");
  EXPECT_EQ(Find(job, {"status", "active"}), nullptr);
}

TEST(JobController, FailsAfterBackoffLimit) {
  FakeHost host;
  FakeClient& client = host.fake;
  JobKind kind;
  Store(client, kind, "default", kJob);
  JobController c(host);
  Reconcile(c, "default", "pi");
  for (const auto& name : client.Names("pods", "default")) {
    client.SetPodStatus("default", name, R"({"phase":"Failed"})");
  }
  Reconcile(c, "default", "pi");
  JsonDoc job = client.Object("jobs/default/pi");
  EXPECT_EQ(Condition(job, "Failed"), "BackoffLimitExceeded");
  EXPECT_EQ(host.events.back(),
            "Job Warning BackoffLimitExceeded: Job has reached the specified "
            "backoff limit");
  EXPECT_EQ(GetInt(job, {"status", "failed"}), 2);
}

TEST(JobController, DeadlineAndTimeToLive) {
  FakeHost host;
  FakeClient& client = host.fake;
  JobKind kind;
  Store(
      client, kind, "default",
      R"({"metadata":{"name":"slow"},"spec":{"activeDeadlineSeconds":30,)"
      R"("ttlSecondsAfterFinished":60,"template":{"spec":{"restartPolicy":"Never",)"
      R"("containers":[{"name":"s","image":"busybox"}]}}}})");
  TimePoint now = At("2026-11-22T03:00:00Z");
  JobController c(host, [&] { return now; });
  auto r = c.Reconcile({"default", "slow"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeue_after, std::chrono::milliseconds(30010));
  now = At("2026-11-22T03:00:31Z");
  Reconcile(c, "default", "slow");
  JsonDoc job = client.Object("jobs/default/slow");
  EXPECT_EQ(Condition(job, "Failed"), "DeadlineExceeded");
  EXPECT_THAT(client.Names("pods", "default"), IsEmpty());
  // Kept until its time to live is up, then deleted.
  now = At("2026-11-22T03:01:00Z");
  Reconcile(c, "default", "slow");
  EXPECT_THAT(client.Names("jobs", "default"), SizeIs(1));
  now = At("2026-11-22T03:01:32Z");
  Reconcile(c, "default", "slow");
  EXPECT_THAT(client.Names("jobs", "default"), IsEmpty());
}

TEST(JobController, SuspendRemovesPodsAndResumeStartsAgain) {
  FakeHost host;
  FakeClient& client = host.fake;
  JobKind kind;
  Store(client, kind, "default", kJob);
  TimePoint now = At("2026-11-22T03:00:00Z");
  JobController c(host, [&] { return now; });
  Reconcile(c, "default", "pi");
  ASSERT_THAT(client.Names("pods", "default"), SizeIs(2));
  JsonDoc job = client.Object("jobs/default/pi");
  SetMember(job["spec"], "suspend", Json(true), job.GetAllocator());
  client.Put("jobs", "default", ToJson(job));
  Reconcile(c, "default", "pi");
  EXPECT_THAT(client.Names("pods", "default"), IsEmpty());
  job = client.Object("jobs/default/pi");
  EXPECT_EQ(Condition(job, "Suspended"), "JobSuspended");
  EXPECT_EQ(Find(job, {"status", "startTime"}), nullptr);

  SetMember(job["spec"], "suspend", Json(false), job.GetAllocator());
  client.Put("jobs", "default", ToJson(job));
  now = At("2026-11-22T03:05:00Z");
  Reconcile(c, "default", "pi");
  EXPECT_THAT(client.Names("pods", "default"), SizeIs(2));
  job = client.Object("jobs/default/pi");
  EXPECT_EQ(Condition(job, "Suspended"), "JobResumed");
  EXPECT_EQ(GetString(job, {"status", "startTime"}), "2026-11-22T03:05:00Z");
}

TEST(JobController, IndexedJobGivesEachPodItsIndex) {
  FakeHost host;
  FakeClient& client = host.fake;
  JobKind kind;
  Store(
      client, kind, "default",
      R"({"metadata":{"name":"idx"},"spec":{"completions":3,"parallelism":3,)"
      R"("completionMode":"Indexed","template":{"spec":{"restartPolicy":"Never",)"
      R"("containers":[{"name":"s","image":"busybox"}]}}}})");
  JobController c(host);
  Reconcile(c, "default", "idx");
  std::vector<std::string> indexes;
  for (const auto& name : client.Names("pods", "default")) {
    JsonDoc pod = client.Object("pods/default/" + name);
    indexes.push_back(
        GetString(pod, {"metadata", "annotations",
                        "batch.kubernetes.io/job-completion-index"}));
  }
  std::sort(indexes.begin(), indexes.end());
  EXPECT_THAT(indexes, ElementsAre("0", "1", "2"));
}

// --- CronJob -----------------------------------------------------------------

constexpr char kCronJob[] =
    R"({"metadata":{"name":"hello","creationTimestamp":"2026-11-22T03:00:30Z"},)"
    R"("spec":{"schedule":"*/1 * * * *","jobTemplate":{"spec":{"template":{"spec":)"
    R"({"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}}})";

TEST(CronJobController, CreatesTheJobOfEachScheduledMinute) {
  FakeHost host;
  FakeClient& client = host.fake;
  CronJobKind kind;
  Store(client, kind, "default", kCronJob);
  TimePoint now = At("2026-11-22T03:00:40Z");
  CronJobController c(host, [&] { return now; });
  auto r = c.Reconcile({"default", "hello"});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(client.Names("jobs", "default"), IsEmpty());
  // Wakes up just after 03:01:00.
  EXPECT_EQ(r->requeue_after, std::chrono::milliseconds(20100));

  now = At("2026-11-22T03:01:00.1Z");
  Reconcile(c, "default", "hello");
  const std::string name =
      ScheduledJobName("hello", At("2026-11-22T03:01:00Z"));
  EXPECT_EQ(name, "hello-29921941");
  EXPECT_THAT(client.Names("jobs", "default"), ElementsAre(name));
  EXPECT_THAT(host.events, ElementsAre("CronJob Normal SuccessfulCreate: "
                                       "Created job hello-29921941"));
  JsonDoc job = client.Object("jobs/default/" + name);
  EXPECT_EQ(GetString(job, {"metadata", "annotations",
                            "batch.kubernetes.io/cronjob-scheduled-timestamp"}),
            "2026-11-22T03:01:00Z");
  JsonDoc cj = client.Object("cronjobs/default/hello");
  EXPECT_EQ(GetString(cj, {"status", "lastScheduleTime"}),
            "2026-11-22T03:01:00Z");
  EXPECT_EQ(GetString((*Find(cj, {"status", "active"}))[0], {"name"}), name);

  // The same minute again creates nothing.
  Reconcile(c, "default", "hello");
  EXPECT_THAT(client.Names("jobs", "default"), SizeIs(1));
}

TEST(CronJobController, ForbidSkipsWhileAJobRunsAndReplaceDeletesIt) {
  FakeHost host;
  FakeClient& client = host.fake;
  CronJobKind kind;
  JsonDoc forbid = Parse(kCronJob);
  SetString(forbid["spec"], "concurrencyPolicy", "Forbid",
            forbid.GetAllocator());
  Store(client, kind, "default", ToJson(forbid));
  TimePoint now = At("2026-11-22T03:01:01Z");
  CronJobController c(host, [&] { return now; });
  Reconcile(c, "default", "hello");
  ASSERT_THAT(client.Names("jobs", "default"), SizeIs(1));
  now = At("2026-11-22T03:02:01Z");
  Reconcile(c, "default", "hello");
  EXPECT_THAT(client.Names("jobs", "default"), SizeIs(1));

  JsonDoc cj = client.Object("cronjobs/default/hello");
  SetString(cj["spec"], "concurrencyPolicy", "Replace", cj.GetAllocator());
  client.Put("cronjobs", "default", ToJson(cj));
  Reconcile(c, "default", "hello");
  EXPECT_THAT(
      client.Names("jobs", "default"),
      ElementsAre(ScheduledJobName("hello", At("2026-11-22T03:02:00Z"))));
}

TEST(CronJobController, JobMadeByHandFromItIsNotActive) {
  FakeHost host;
  FakeClient& client = host.fake;
  CronJobKind kind;
  JsonDoc forbid = Parse(kCronJob);
  SetString(forbid["spec"], "concurrencyPolicy", "Forbid",
            forbid.GetAllocator());
  Store(client, kind, "default", ToJson(forbid));
  // What `kubectl create job manual --from=cronjob/hello` makes.
  client.Put(
      "jobs", "default",
      R"({"metadata":{"name":"manual","uid":"uid-manual",)"
      R"("ownerReferences":[{"apiVersion":"batch/v1","kind":"CronJob",)"
      R"("name":"hello","uid":"uid-hello","controller":true}]},"spec":{}})");
  TimePoint now = At("2026-11-22T03:01:01Z");
  CronJobController c(host, [&] { return now; });
  Reconcile(c, "default", "hello");
  EXPECT_THAT(client.Names("jobs", "default"), SizeIs(2));
  JsonDoc cj = client.Object("cronjobs/default/hello");
  EXPECT_EQ(Find(cj, {"status", "active"})->Size(), 1u);
}

TEST(CronJobController, KeepsHistoryLimitsAndHonoursSuspend) {
  FakeHost host;
  FakeClient& client = host.fake;
  CronJobKind kind;
  Store(client, kind, "default", kCronJob);
  TimePoint now = At("2026-11-22T03:01:01Z");
  CronJobController c(host, [&] { return now; });
  for (int minute = 1; minute <= 5; ++minute) {
    now = At("2026-11-22T03:0" + std::to_string(minute) + ":01Z");
    Reconcile(c, "default", "hello");
    // Each job completes before the next.
    for (const auto& name : client.Names("jobs", "default")) {
      JsonDoc job = client.Object("jobs/default/" + name);
      JsonDoc st = Parse(
          R"({"completionTime":"2026-11-22T03:00:00Z","conditions":[{"type":"Complete","status":"True"}]})");
      SetMember(job, "status", Json(st, job.GetAllocator()),
                job.GetAllocator());
      client.Put("jobs", "default", ToJson(job));
    }
  }
  Reconcile(c, "default", "hello");
  EXPECT_THAT(client.Names("jobs", "default"), SizeIs(3));
  EXPECT_THAT(
      host.events,
      ::testing::Contains("CronJob Normal SawCompletedJob: Saw completed job: "
                          "hello-29921941, condition: Complete"));
  EXPECT_THAT(
      host.events,
      ::testing::Contains(
          "CronJob Normal SuccessfulDelete: Deleted job hello-29921941"));

  JsonDoc cj = client.Object("cronjobs/default/hello");
  SetMember(cj["spec"], "suspend", Json(true), cj.GetAllocator());
  client.Put("cronjobs", "default", ToJson(cj));
  now = At("2026-11-22T03:09:01Z");
  Reconcile(c, "default", "hello");
  EXPECT_THAT(client.Names("jobs", "default"), SizeIs(3));
}

}  // namespace
}  // namespace berth::workloads
