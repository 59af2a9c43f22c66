// The protobuf wire schemas of core/v1 (k8s.io/api/core/v1 generated.proto)
// that plugins serving Kubernetes kinds share: Namespace, Secret,
// ConfigMap, ServiceAccount, Service, Pod, and PodTemplateSpec with
// everything under PodSpec, which the workload kinds embed. A plugin
// registers the schemas of the kinds it serves (Registrar::
// AddProtobufSchema); this library is linked into each, so no plugin
// includes another's headers.
//
// Thread safety: immutable static tables; safe from any thread.
#ifndef BERTH_PLUGINS_COMMON_K8S_PROTO_CORE_V1_PROTO_H_
#define BERTH_PLUGINS_COMMON_K8S_PROTO_CORE_V1_PROTO_H_

#include <initializer_list>
#include <span>
#include <string>

#include "berth/protobuf_schema.h"

namespace berth::k8s_proto {

// Every core/v1 message described here (the tables live as long as the
// process).
std::span<const ProtoMessage> CoreV1Messages();

// The schema of `kind` in `api_version` made of the messages of `lists`.
ProtobufSchema MakeSchema(
    std::string api_version, std::string kind,
    std::initializer_list<std::span<const ProtoMessage>> lists);

}  // namespace berth::k8s_proto

#endif  // BERTH_PLUGINS_COMMON_K8S_PROTO_CORE_V1_PROTO_H_
