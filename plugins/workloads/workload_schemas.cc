#include "workload_schemas.h"

#include <string_view>
#include <utility>
#include <vector>

#include "schema_registry.h"

namespace berth::workloads {
namespace {

constexpr std::string_view kApps = "io.k8s.api.apps.v1.";
constexpr std::string_view kBatch = "io.k8s.api.batch.v1.";

// A property: name and type expression: "string", "integer", "int64",
// "boolean", "IntOrString", "Time", "object" (free-form, unknown fields
// kept), a full type name ("io.k8s..."), "[]<type>", "{}string".
struct Prop {
  std::string_view name;
  std::string_view type;
};

std::string TypeSchema(std::string_view t) {
  if (t.substr(0, 2) == "[]") {
    return R"({"type":"array","items":)" + TypeSchema(t.substr(2)) + "}";
  }
  if (t == "{}string") {
    return R"({"type":"object","additionalProperties":{"type":"string","default":""}})";
  }
  if (t == "string") return R"({"type":"string"})";
  if (t == "integer") return R"({"type":"integer","format":"int32"})";
  if (t == "int64") return R"({"type":"integer","format":"int64"})";
  if (t == "boolean") return R"({"type":"boolean"})";
  if (t == "object") {
    return R"({"type":"object","x-kubernetes-preserve-unknown-fields":true})";
  }
  std::string ref;
  if (t == "IntOrString" || t == "Time" || t == "ObjectMeta" ||
      t == "ListMeta" || t == "LabelSelector") {
    ref = core::SchemaName(t);
  } else {
    ref = std::string(t);
  }
  return R"({"allOf":[{"$ref":"#/components/schemas/)" + ref + R"("}]})";
}

std::string Type(std::string_view name, std::string_view description,
                 const std::vector<Prop>& props, std::string_view group = "",
                 std::string_view kind = "") {
  std::string out = "\"" + std::string(name) + R"(":{"description":")" +
                    std::string(description) +
                    R"(","type":"object","properties":{)";
  bool first = true;
  for (const auto& p : props) {
    out += (first ? "\"" : ",\"") + std::string(p.name) +
           "\":" + TypeSchema(p.type);
    first = false;
  }
  out += "}";
  if (!kind.empty()) {
    out += R"(,"x-kubernetes-group-version-kind":[{"group":")" +
           std::string(group) + R"(","kind":")" + std::string(kind) +
           R"(","version":"v1"}])";
  }
  return out + "}";
}

std::string N(std::string_view prefix, std::string_view name) {
  return std::string(prefix) + std::string(name);
}

// Joins our types with the pod template family into one JSON object.
std::string WithPodTemplate(const std::vector<std::string>& types,
                            bool object_reference = false) {
  std::string pod =
      object_reference
          ? core::SchemaClosureJson({"io.k8s.api.core.v1.PodTemplateSpec",
                                     "io.k8s.api.core.v1.ObjectReference"})
          : core::PodTemplateSchemasJson();
  std::string out = "{";
  for (size_t i = 0; i < types.size(); ++i) out += (i ? "," : "") + types[i];
  if (pod.size() > 2) out += "," + pod.substr(1, pod.size() - 2);
  return out + "}";
}

std::string KindType(std::string_view prefix, std::string_view group,
                     std::string_view kind, std::string_view description) {
  const std::string spec = N(prefix, std::string(kind) + "Spec");
  const std::string status = N(prefix, std::string(kind) + "Status");
  return Type(N(prefix, kind), description,
              {{"apiVersion", "string"},
               {"kind", "string"},
               {"metadata", "ObjectMeta"},
               {"spec", spec},
               {"status", status}},
              group, kind);
}

std::string ConditionType(std::string_view prefix, std::string_view kind) {
  return Type(N(prefix, std::string(kind) + "Condition"),
              "A condition of the object.",
              {{"lastProbeTime", "Time"},
               {"lastTransitionTime", "Time"},
               {"message", "string"},
               {"reason", "string"},
               {"status", "string"},
               {"type", "string"}});
}

}  // namespace

std::string DaemonSetSchemasJson() {
  const std::string p(kApps);
  return WithPodTemplate({
      KindType(kApps, "apps", "DaemonSet",
               "DaemonSet represents the configuration of a daemon set."),
      Type(N(kApps, "DaemonSetSpec"),
           "DaemonSetSpec is the specification of a daemon set.",
           {{"minReadySeconds", "integer"},
            {"revisionHistoryLimit", "integer"},
            {"selector", "LabelSelector"},
            {"template", "io.k8s.api.core.v1.PodTemplateSpec"},
            {"updateStrategy", p + "DaemonSetUpdateStrategy"}}),
      Type(N(kApps, "DaemonSetUpdateStrategy"),
           "DaemonSetUpdateStrategy is a struct used to control the update "
           "strategy for a DaemonSet.",
           {{"rollingUpdate", p + "RollingUpdateDaemonSet"},
            {"type", "string"}}),
      Type(N(kApps, "RollingUpdateDaemonSet"),
           "Spec to control the desired behavior of daemon set rolling "
           "update.",
           {{"maxSurge", "IntOrString"}, {"maxUnavailable", "IntOrString"}}),
      Type(N(kApps, "DaemonSetStatus"),
           "DaemonSetStatus represents the current status of a daemon set.",
           {{"collisionCount", "integer"},
            {"conditions", "[]" + p + "DaemonSetCondition"},
            {"currentNumberScheduled", "integer"},
            {"desiredNumberScheduled", "integer"},
            {"numberAvailable", "integer"},
            {"numberMisscheduled", "integer"},
            {"numberReady", "integer"},
            {"numberUnavailable", "integer"},
            {"observedGeneration", "int64"},
            {"updatedNumberScheduled", "integer"}}),
      ConditionType(kApps, "DaemonSet"),
  });
}

std::string StatefulSetSchemasJson() {
  const std::string p(kApps);
  return WithPodTemplate({
      KindType(kApps, "apps", "StatefulSet",
               "StatefulSet represents a set of pods with consistent "
               "identities."),
      Type(N(kApps, "StatefulSetSpec"),
           "A StatefulSetSpec is the specification of a StatefulSet.",
           {{"minReadySeconds", "integer"},
            {"ordinals", p + "StatefulSetOrdinals"},
            {"persistentVolumeClaimRetentionPolicy",
             p + "StatefulSetPersistentVolumeClaimRetentionPolicy"},
            {"podManagementPolicy", "string"},
            {"replicas", "integer"},
            {"revisionHistoryLimit", "integer"},
            {"selector", "LabelSelector"},
            {"serviceName", "string"},
            {"template", "io.k8s.api.core.v1.PodTemplateSpec"},
            {"updateStrategy", p + "StatefulSetUpdateStrategy"},
            {"volumeClaimTemplates", "[]object"}}),
      Type(N(kApps, "StatefulSetOrdinals"),
           "StatefulSetOrdinals describes the policy used for replica "
           "ordinal assignment in this StatefulSet.",
           {{"start", "integer"}}),
      Type(N(kApps, "StatefulSetPersistentVolumeClaimRetentionPolicy"),
           "StatefulSetPersistentVolumeClaimRetentionPolicy describes the "
           "policy used for PVCs created from the StatefulSet "
           "VolumeClaimTemplates.",
           {{"whenDeleted", "string"}, {"whenScaled", "string"}}),
      Type(N(kApps, "StatefulSetUpdateStrategy"),
           "StatefulSetUpdateStrategy indicates the strategy that the "
           "StatefulSet controller will use to perform updates.",
           {{"rollingUpdate", p + "RollingUpdateStatefulSetStrategy"},
            {"type", "string"}}),
      Type(N(kApps, "RollingUpdateStatefulSetStrategy"),
           "RollingUpdateStatefulSetStrategy is used to communicate parameter "
           "for RollingUpdateStatefulSetStrategyType.",
           {{"maxUnavailable", "IntOrString"}, {"partition", "integer"}}),
      Type(N(kApps, "StatefulSetStatus"),
           "StatefulSetStatus represents the current state of a StatefulSet.",
           {{"availableReplicas", "integer"},
            {"collisionCount", "integer"},
            {"conditions", "[]" + p + "StatefulSetCondition"},
            {"currentReplicas", "integer"},
            {"currentRevision", "string"},
            {"observedGeneration", "int64"},
            {"readyReplicas", "integer"},
            {"replicas", "integer"},
            {"updateRevision", "string"},
            {"updatedReplicas", "integer"}}),
      ConditionType(kApps, "StatefulSet"),
  });
}

namespace {

std::vector<std::string> JobTypes() {
  const std::string p(kBatch);
  return {
      KindType(kBatch, "batch", "Job",
               "Job represents the configuration of a single job."),
      Type(N(kBatch, "JobSpec"),
           "JobSpec describes how the job execution will look like.",
           {{"activeDeadlineSeconds", "int64"},
            {"backoffLimit", "integer"},
            {"backoffLimitPerIndex", "integer"},
            {"completionMode", "string"},
            {"completions", "integer"},
            {"managedBy", "string"},
            {"manualSelector", "boolean"},
            {"maxFailedIndexes", "integer"},
            {"parallelism", "integer"},
            {"podFailurePolicy", "object"},
            {"podReplacementPolicy", "string"},
            {"selector", "LabelSelector"},
            {"successPolicy", "object"},
            {"suspend", "boolean"},
            {"template", "io.k8s.api.core.v1.PodTemplateSpec"},
            {"ttlSecondsAfterFinished", "integer"}}),
      Type(N(kBatch, "JobStatus"),
           "JobStatus represents the current state of a Job.",
           {{"active", "integer"},
            {"completedIndexes", "string"},
            {"completionTime", "Time"},
            {"conditions", "[]" + p + "JobCondition"},
            {"failed", "integer"},
            {"failedIndexes", "string"},
            {"ready", "integer"},
            {"startTime", "Time"},
            {"succeeded", "integer"},
            {"terminating", "integer"},
            {"uncountedTerminatedPods", "object"}}),
      ConditionType(kBatch, "Job"),
  };
}

}  // namespace

std::string JobSchemasJson() { return WithPodTemplate(JobTypes()); }

std::string CronJobSchemasJson() {
  const std::string p(kBatch);
  std::vector<std::string> types = JobTypes();
  types.push_back(KindType(kBatch, "batch", "CronJob",
                           "CronJob represents the configuration of a single "
                           "cron job."));
  types.push_back(Type(N(kBatch, "CronJobSpec"),
                       "CronJobSpec describes how the job execution will look "
                       "like and when it will actually run.",
                       {{"concurrencyPolicy", "string"},
                        {"failedJobsHistoryLimit", "integer"},
                        {"jobTemplate", p + "JobTemplateSpec"},
                        {"schedule", "string"},
                        {"startingDeadlineSeconds", "int64"},
                        {"successfulJobsHistoryLimit", "integer"},
                        {"suspend", "boolean"},
                        {"timeZone", "string"}}));
  types.push_back(Type(N(kBatch, "JobTemplateSpec"),
                       "JobTemplateSpec describes the data a Job should have "
                       "when created from a template",
                       {{"metadata", "ObjectMeta"}, {"spec", p + "JobSpec"}}));
  types.push_back(Type(N(kBatch, "CronJobStatus"),
                       "CronJobStatus represents the current state of a cron "
                       "job.",
                       {{"active", "[]io.k8s.api.core.v1.ObjectReference"},
                        {"lastScheduleTime", "Time"},
                        {"lastSuccessfulTime", "Time"}}));
  return WithPodTemplate(types, true);
}

}  // namespace berth::workloads
