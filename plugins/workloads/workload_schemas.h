// WorkloadSchemas: the OpenAPI v3 component schemas of the apps/v1 and
// batch/v1 workload kinds this plugin serves (DaemonSet, StatefulSet, Job,
// CronJob and the types inside them), each joined with the core pod
// template family they embed. Types the plugin does not describe in detail
// (a StatefulSet's PersistentVolumeClaim templates) are objects that
// preserve unknown fields.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_WORKLOAD_SCHEMAS_H_
#define BERTH_PLUGINS_WORKLOADS_WORKLOAD_SCHEMAS_H_

#include <string>

namespace berth::workloads {

std::string DaemonSetSchemasJson();
std::string StatefulSetSchemasJson();
std::string JobSchemasJson();
std::string CronJobSchemasJson();

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_WORKLOAD_SCHEMAS_H_
