// DaemonSet, StatefulSet, Job and CronJob kinds: defaults, validation
// messages and table cells as Kubernetes 1.32 has them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "age.h"
#include "cron_job_kind.h"
#include "daemon_set_kind.h"
#include "fake_client.h"
#include "job_kind.h"
#include "stateful_set_kind.h"

namespace berth::workloads {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

std::vector<std::string> Describe(const std::vector<FieldCause>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.field + ": " + c.message);
  return out;
}

constexpr char kTemplate[] =
    R"("selector":{"matchLabels":{"app":"web"}},)"
    R"("template":{"metadata":{"labels":{"app":"web"}},)"
    R"("spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}})";

JsonDoc Defaulted(const Kind& kind, const std::string& json) {
  JsonDoc d = Parse(json);
  kind.Default(d, d.GetAllocator());
  return d;
}

std::vector<std::string> Cells(const Kind& kind, const Json& obj,
                               const std::string& now) {
  JsonDoc cells(rapidjson::kArrayType);
  kind.Cells(obj, *core::ParseTimestamp(now), cells, cells.GetAllocator());
  std::vector<std::string> out;
  for (const auto& c : cells.GetArray()) {
    out.push_back(c.IsString() ? c.GetString() : ToJson(c));
  }
  return out;
}

std::vector<std::string> ColumnNames(const Kind& kind, int priority) {
  std::vector<std::string> out;
  for (const auto& c : kind.Columns()) {
    if (c.priority <= priority) out.push_back(c.name);
  }
  return out;
}

TEST(DaemonSetKind, DefaultsRollingUpdateAndHistory) {
  DaemonSetKind kind;
  JsonDoc ds =
      Defaulted(kind, std::string(R"({"metadata":{"name":"d"},"spec":{)") +
                          kTemplate + "}}");
  EXPECT_EQ(
      ToJson(*Find(ds, {"spec", "updateStrategy"})),
      R"({"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}})");
  EXPECT_EQ(GetInt(ds, {"spec", "revisionHistoryLimit"}), 10);
  EXPECT_EQ(GetString(ds, {"spec", "template", "spec", "restartPolicy"}),
            "Always");
  EXPECT_TRUE(kind.Validate(ds, nullptr).empty())
      << ::testing::PrintToString(Describe(kind.Validate(ds, nullptr)));
  EXPECT_EQ(kind.Info().short_names, std::vector<std::string>{"ds"});
  EXPECT_TRUE(kind.Info().status_subresource);
}

TEST(DaemonSetKind, ValidationMessages) {
  DaemonSetKind kind;
  JsonDoc ds = Defaulted(
      kind,
      R"({"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"x"}},)"
      R"("updateStrategy":{"type":"Sometimes"},)"
      R"("template":{"metadata":{"labels":{"app":"web"}},)"
      R"("spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}})");
  EXPECT_THAT(
      Describe(kind.Validate(ds, nullptr)),
      ElementsAre(
          "spec.template.metadata.labels: Invalid value: "
          "map[string]string{\"app\":\"web\"}: `selector` does not match "
          "template `labels`",
          "spec.template.spec.restartPolicy: Unsupported value: \"Never\": "
          "supported values: \"Always\"",
          "spec.updateStrategy.type: Unsupported value: \"Sometimes\": "
          "supported values: \"OnDelete\", \"RollingUpdate\""));
}

TEST(DaemonSetKind, ColumnsAndCells) {
  DaemonSetKind kind;
  EXPECT_THAT(ColumnNames(kind, 0),
              ElementsAre("Name", "Desired", "Current", "Ready", "Up-to-date",
                          "Available", "Node Selector", "Age"));
  EXPECT_THAT(ColumnNames(kind, 1),
              ElementsAre("Name", "Desired", "Current", "Ready", "Up-to-date",
                          "Available", "Node Selector", "Age", "Containers",
                          "Images", "Selector"));
  JsonDoc ds = Parse(
      R"({"metadata":{"name":"agent","creationTimestamp":"2026-11-22T03:00:00Z"},)"
      R"("spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"spec":)"
      R"({"nodeSelector":{"os":"linux"},"containers":[{"name":"a","image":"agent:1"}]}}},)"
      R"("status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,)"
      R"("numberReady":2,"updatedNumberScheduled":3,"numberAvailable":2}})");
  EXPECT_THAT(Cells(kind, ds, "2026-11-22T03:00:45Z"),
              ElementsAre("agent", "3", "3", "2", "3", "2", "os=linux", "45s",
                          "a", "agent:1", "app=agent"));
}

TEST(StatefulSetKind, DefaultsAsKubernetes) {
  StatefulSetKind kind;
  JsonDoc sts = Defaulted(
      kind,
      std::string(R"({"metadata":{"name":"db"},"spec":{"serviceName":"db",)") +
          kTemplate + "}}");
  EXPECT_EQ(GetInt(sts, {"spec", "replicas"}), 1);
  EXPECT_EQ(GetString(sts, {"spec", "podManagementPolicy"}), "OrderedReady");
  EXPECT_EQ(ToJson(*Find(sts, {"spec", "updateStrategy"})),
            R"({"type":"RollingUpdate","rollingUpdate":{"partition":0}})");
  EXPECT_EQ(
      ToJson(*Find(sts, {"spec", "persistentVolumeClaimRetentionPolicy"})),
      R"({"whenDeleted":"Retain","whenScaled":"Retain"})");
  EXPECT_TRUE(kind.Validate(sts, nullptr).empty());
  EXPECT_TRUE(kind.Info().scale_subresource);
  EXPECT_EQ(kind.Info().short_names, std::vector<std::string>{"sts"});
}

TEST(StatefulSetKind, ValidationAndForbiddenUpdates) {
  StatefulSetKind kind;
  JsonDoc bad = Defaulted(
      kind, std::string(R"({"metadata":{"name":"db"},"spec":{"replicas":-1,)"
                        R"("podManagementPolicy":"Random",)") +
                kTemplate + "}}");
  EXPECT_THAT(Describe(kind.Validate(bad, nullptr)),
              ElementsAre("spec.replicas: Invalid value: -1: must be greater "
                          "than or equal to 0",
                          "spec.podManagementPolicy: Unsupported value: "
                          "\"Random\": supported values: \"OrderedReady\", "
                          "\"Parallel\""));
  JsonDoc old = Defaulted(
      kind,
      std::string(R"({"metadata":{"name":"db"},"spec":{"serviceName":"a",)") +
          kTemplate + "}}");
  JsonDoc scaled = Defaulted(
      kind,
      std::string(
          R"({"metadata":{"name":"db"},"spec":{"serviceName":"a","replicas":5,)") +
          kTemplate + "}}");
  EXPECT_TRUE(kind.Validate(scaled, &old).empty());
  JsonDoc renamed = Defaulted(
      kind,
      std::string(R"({"metadata":{"name":"db"},"spec":{"serviceName":"b",)") +
          kTemplate + "}}");
  EXPECT_THAT(Describe(kind.Validate(renamed, &old)),
              Contains(::testing::StartsWith(
                  "spec: Forbidden: updates to statefulset spec for fields "
                  "other than 'replicas'")));
}

TEST(StatefulSetKind, ContainersMayMountClaimTemplates) {
  StatefulSetKind kind;
  JsonDoc sts = Defaulted(
      kind,
      R"({"metadata":{"name":"db"},"spec":{"serviceName":"db",)"
      R"("selector":{"matchLabels":{"app":"db"}},)"
      R"("template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":)"
      R"([{"name":"pg","image":"postgres","volumeMounts":[{"name":"data","mountPath":"/d"}]}]}},)"
      R"("volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{}}]}})");
  EXPECT_TRUE(kind.Validate(sts, nullptr).empty())
      << ::testing::PrintToString(Describe(kind.Validate(sts, nullptr)));
  JsonDoc no_claim = Defaulted(
      kind,
      R"({"metadata":{"name":"db"},"spec":{"serviceName":"db",)"
      R"("selector":{"matchLabels":{"app":"db"}},)"
      R"("template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":)"
      R"([{"name":"pg","image":"postgres","volumeMounts":[{"name":"data","mountPath":"/d"}]}]}}}})");
  EXPECT_THAT(Describe(kind.Validate(no_claim, nullptr)),
              ElementsAre("spec.template.spec.containers[0].volumeMounts[0]."
                          "name: Not found: \"data\""));
}

TEST(StatefulSetKind, ColumnsAndCells) {
  StatefulSetKind kind;
  EXPECT_THAT(ColumnNames(kind, 0), ElementsAre("Name", "Ready", "Age"));
  EXPECT_THAT(ColumnNames(kind, 1),
              ElementsAre("Name", "Ready", "Age", "Containers", "Images"));
  JsonDoc sts = Parse(
      R"({"metadata":{"name":"db","creationTimestamp":"2026-11-22T03:00:00Z"},)"
      R"("spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"pg","image":"postgres:16"}]}}},)"
      R"("status":{"readyReplicas":2}})");
  EXPECT_THAT(Cells(kind, sts, "2026-11-22T03:05:00Z"),
              ElementsAre("db", "2/3", "5m", "pg", "postgres:16"));
}

TEST(JobKind, DefaultsAndGeneratedSelector) {
  JobKind kind;
  JsonDoc job = Defaulted(
      kind,
      R"({"metadata":{"name":"pi","uid":"u-1"},"spec":{"template":{"spec":)"
      R"({"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}})");
  EXPECT_EQ(GetInt(job, {"spec", "completions"}), 1);
  EXPECT_EQ(GetInt(job, {"spec", "parallelism"}), 1);
  EXPECT_EQ(GetInt(job, {"spec", "backoffLimit"}), 6);
  EXPECT_EQ(GetString(job, {"spec", "completionMode"}), "NonIndexed");
  EXPECT_EQ(ToJson(*Find(job, {"spec", "selector"})),
            R"({"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1"}})");
  EXPECT_EQ(ToJson(*Find(job, {"spec", "template", "metadata", "labels"})),
            R"({"batch.kubernetes.io/controller-uid":"u-1",)"
            R"("batch.kubernetes.io/job-name":"pi","controller-uid":"u-1",)"
            R"("job-name":"pi"})");
  EXPECT_TRUE(kind.Validate(job, nullptr).empty())
      << ::testing::PrintToString(Describe(kind.Validate(job, nullptr)));
}

TEST(JobKind, TemplateMustNotRestartAlways) {
  JobKind kind;
  JsonDoc job = Defaulted(
      kind,
      R"({"metadata":{"name":"pi","uid":"u-1"},"spec":{"backoffLimit":-1,)"
      R"("template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}}})");
  EXPECT_THAT(Describe(kind.Validate(job, nullptr)),
              ElementsAre("spec.backoffLimit: Invalid value: -1: must be "
                          "greater than or equal to 0",
                          "spec.template.spec.restartPolicy: Unsupported "
                          "value: \"Always\": supported values: "
                          "\"OnFailure\", \"Never\""));
}

TEST(JobKind, StatusAndCompletionsColumns) {
  JobKind kind;
  EXPECT_THAT(ColumnNames(kind, 0),
              ElementsAre("Name", "Status", "Completions", "Duration", "Age"));
  JsonDoc done = Parse(
      R"({"metadata":{"name":"pi","creationTimestamp":"2026-11-22T03:00:00Z"},)"
      R"("spec":{"completions":1,"template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}},)"
      R"("selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u"}}},)"
      R"("status":{"succeeded":1,"startTime":"2026-11-22T03:00:01Z",)"
      R"("completionTime":"2026-11-22T03:00:09Z",)"
      R"("conditions":[{"type":"Complete","status":"True"}]}})");
  EXPECT_THAT(Cells(kind, done, "2026-11-22T03:01:00Z"),
              ElementsAre("pi", "Complete", "1/1", "8s", "60s", "pi", "perl",
                          "batch.kubernetes.io/controller-uid=u"));
  JsonDoc running =
      Parse(R"({"metadata":{"name":"q"},"spec":{"parallelism":3},)"
            R"("status":{"startTime":"2026-11-22T03:00:00Z"}})");
  EXPECT_THAT(Cells(kind, running, "2026-11-22T03:00:30Z"),
              ElementsAre("q", "Running", "0/1 of 3", "30s", "<unknown>", "",
                          "", "<none>"));
}

TEST(CronJobKind, DefaultsAndScheduleValidation) {
  CronJobKind kind;
  const std::string job_template =
      R"("jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",)"
      R"("containers":[{"name":"c","image":"busybox"}]}}}})";
  JsonDoc cj = Defaulted(
      kind,
      R"({"metadata":{"name":"hello"},"spec":{"schedule":"*/1 * * * *",)" +
          job_template + "}}");
  EXPECT_EQ(GetString(cj, {"spec", "concurrencyPolicy"}), "Allow");
  EXPECT_EQ(GetInt(cj, {"spec", "successfulJobsHistoryLimit"}), 3);
  EXPECT_EQ(GetInt(cj, {"spec", "failedJobsHistoryLimit"}), 1);
  EXPECT_FALSE(Find(cj, {"spec", "suspend"})->GetBool());
  EXPECT_TRUE(kind.Validate(cj, nullptr).empty())
      << ::testing::PrintToString(Describe(kind.Validate(cj, nullptr)));
  EXPECT_EQ(kind.Info().short_names, std::vector<std::string>{"cj"});

  JsonDoc bad = Defaulted(
      kind, R"({"metadata":{"name":"hello"},"spec":{"schedule":"61 * * * *",)"
            R"("timeZone":"Mars/Base","concurrencyPolicy":"Sometimes",)" +
                job_template + "}}");
  EXPECT_THAT(
      Describe(kind.Validate(bad, nullptr)),
      ElementsAre("spec.schedule: Invalid value: \"61 * * * *\": end of range "
                  "(61) above maximum (59): 61",
                  "spec.timeZone: Invalid value: \"Mars/Base\": unknown time "
                  "zone Mars/Base",
                  "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": "
                  "supported values: \"Allow\", \"Forbid\", \"Replace\""));
}

TEST(CronJobKind, ColumnsAndCells) {
  CronJobKind kind;
  EXPECT_THAT(ColumnNames(kind, 0),
              ElementsAre("Name", "Schedule", "Timezone", "Suspend", "Active",
                          "Last Schedule", "Age"));
  JsonDoc cj = Parse(
      R"({"metadata":{"name":"hello","creationTimestamp":"2026-11-22T03:00:00Z"},)"
      R"("spec":{"schedule":"*/1 * * * *","suspend":false,"jobTemplate":{"spec":)"
      R"({"template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}},)"
      R"("status":{"active":[{"name":"hello-1"}],"lastScheduleTime":"2026-11-22T03:02:00Z"}})");
  EXPECT_THAT(Cells(kind, cj, "2026-11-22T03:02:10Z"),
              ElementsAre("hello", "*/1 * * * *", "<none>", "False", "1", "10s",
                          "2m10s", "c", "busybox", "<none>"));
}

}  // namespace
}  // namespace berth::workloads
