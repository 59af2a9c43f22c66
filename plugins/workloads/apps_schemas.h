// AppsSchemas: the OpenAPI v3 component schemas of the apps/v1 Deployment
// and ReplicaSet families, merged with the core pod template family they
// embed, so `kubectl explain`, client-side apply (strategic merge keys)
// and strict field validation work as against Kubernetes.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_APPS_SCHEMAS_H_
#define BERTH_PLUGINS_WORKLOADS_APPS_SCHEMAS_H_

#include <string>

namespace berth::workloads {

// {"io.k8s.api.apps.v1.Deployment": {...}, ..., plus PodTemplateSpec and
// everything below it, LabelSelector and IntOrString}.
std::string AppsSchemasJson();

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_APPS_SCHEMAS_H_
