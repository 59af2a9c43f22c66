// The protobuf wire schemas (berth/protobuf_schema.h) of the workload kinds
// kubectl 1.32 creates with protobuf bodies: `kubectl create deployment`
// (apps/v1 Deployment), `create job` and `create cronjob` (batch/v1). Their
// pod templates use the shared core/v1 tables.
//
// Thread safety: immutable static tables; safe from any thread.
#ifndef BERTH_PLUGINS_WORKLOADS_WORKLOAD_PROTO_H_
#define BERTH_PLUGINS_WORKLOADS_WORKLOAD_PROTO_H_

#include <vector>

#include "berth/protobuf_schema.h"

namespace berth::workloads {

// Deployment, Job and CronJob; the tables live as long as the process.
std::vector<ProtobufSchema> WorkloadProtobufSchemas();

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_WORKLOAD_PROTO_H_
