#include "workload_proto.h"

#include "plugins/common/k8s_proto/core_v1_proto.h"
#include "plugins/common/k8s_proto/proto_fields.h"

namespace berth::workloads {
namespace {

using ::berth::k8s_proto::Bool;
using ::berth::k8s_proto::CoreV1Messages;
using ::berth::k8s_proto::I32;
using ::berth::k8s_proto::I64;
using ::berth::k8s_proto::IntStr;
using ::berth::k8s_proto::kPtr;
using ::berth::k8s_proto::MakeSchema;
using ::berth::k8s_proto::Meta;
using ::berth::k8s_proto::Msg;
using ::berth::k8s_proto::Str;

// --- apps/v1 -----------------------------------------------------------------

constexpr ProtoField kDeployment[] = {Meta(), Msg(2, "spec", "DeploymentSpec")};
constexpr ProtoField kDeploymentSpec[] = {
    I32(1, "replicas", kPtr),
    Msg(2, "selector", "LabelSelector", kPtr),
    Msg(3, "template", "PodTemplateSpec"),
    Msg(4, "strategy", "DeploymentStrategy"),
    I32(5, "minReadySeconds"),
    I32(6, "revisionHistoryLimit", kPtr),
    Bool(7, "paused"),
    I32(9, "progressDeadlineSeconds", kPtr),
};
constexpr ProtoField kDeploymentStrategy[] = {
    Str(1, "type"),
    Msg(2, "rollingUpdate", "RollingUpdateDeployment", kPtr),
};
constexpr ProtoField kRollingUpdateDeployment[] = {
    IntStr(1, "maxUnavailable", kPtr),
    IntStr(2, "maxSurge", kPtr),
};

// --- batch/v1 ----------------------------------------------------------------

constexpr ProtoField kJob[] = {Meta(), Msg(2, "spec", "JobSpec")};
constexpr ProtoField kJobSpec[] = {
    I32(1, "parallelism", kPtr),
    I32(2, "completions", kPtr),
    I64(3, "activeDeadlineSeconds", kPtr),
    I32(7, "backoffLimit", kPtr),
    I32(12, "backoffLimitPerIndex", kPtr),
    I32(13, "maxFailedIndexes", kPtr),
    Msg(4, "selector", "LabelSelector", kPtr),
    Bool(5, "manualSelector", kPtr),
    Msg(6, "template", "PodTemplateSpec"),
    I32(8, "ttlSecondsAfterFinished", kPtr),
    Str(9, "completionMode", kPtr),
    Bool(10, "suspend", kPtr),
    Str(14, "podReplacementPolicy", kPtr),
    Str(15, "managedBy", kPtr),
};
constexpr ProtoField kCronJob[] = {Meta(), Msg(2, "spec", "CronJobSpec")};
constexpr ProtoField kCronJobSpec[] = {
    Str(1, "schedule"),
    Str(8, "timeZone", kPtr),
    I64(2, "startingDeadlineSeconds", kPtr),
    Str(3, "concurrencyPolicy"),
    Bool(4, "suspend", kPtr),
    Msg(5, "jobTemplate", "JobTemplateSpec"),
    I32(6, "successfulJobsHistoryLimit", kPtr),
    I32(7, "failedJobsHistoryLimit", kPtr),
};
constexpr ProtoField kJobTemplateSpec[] = {Meta(), Msg(2, "spec", "JobSpec")};

constexpr ProtoMessage kMessages[] = {
    {"Deployment", kDeployment},
    {"DeploymentSpec", kDeploymentSpec},
    {"DeploymentStrategy", kDeploymentStrategy},
    {"RollingUpdateDeployment", kRollingUpdateDeployment},
    {"Job", kJob},
    {"JobSpec", kJobSpec},
    {"CronJob", kCronJob},
    {"CronJobSpec", kCronJobSpec},
    {"JobTemplateSpec", kJobTemplateSpec},
};

}  // namespace

std::vector<ProtobufSchema> WorkloadProtobufSchemas() {
  std::vector<ProtobufSchema> out;
  out.push_back(
      MakeSchema("apps/v1", "Deployment", {CoreV1Messages(), kMessages}));
  for (const char* kind : {"Job", "CronJob"}) {
    out.push_back(MakeSchema("batch/v1", kind, {CoreV1Messages(), kMessages}));
  }
  return out;
}

}  // namespace berth::workloads
