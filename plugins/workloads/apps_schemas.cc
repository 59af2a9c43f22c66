#include "apps_schemas.h"

#include "berth/json.h"
#include "schema_registry.h"

namespace berth::workloads {
namespace {

// Written in the shape the apiserver serves: nested types through
// allOf [$ref], the group-version-kind on kinds, merge keys on lists.
constexpr const char kApps[] = R"JSON({
"io.k8s.api.apps.v1.Deployment": {"type": "object", "description": "Deployment enables declarative updates for Pods and ReplicaSets.",
 "properties": {
  "apiVersion": {"type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."},
  "kind": {"type": "string", "description": "Kind is a string value representing the REST resource this object represents."},
  "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}], "default": {}, "description": "Standard object's metadata."},
  "spec": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}], "default": {}, "description": "Specification of the desired behavior of the Deployment."},
  "status": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentStatus"}], "default": {}, "description": "Most recently observed status of the Deployment."}},
 "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}]},
"io.k8s.api.apps.v1.DeploymentSpec": {"type": "object", "required": ["selector", "template"], "description": "DeploymentSpec is the specification of the desired behavior of the Deployment.",
 "properties": {
  "minReadySeconds": {"type": "integer", "format": "int32", "description": "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)"},
  "paused": {"type": "boolean", "description": "Indicates that the deployment is paused."},
  "progressDeadlineSeconds": {"type": "integer", "format": "int32", "description": "The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s."},
  "replicas": {"type": "integer", "format": "int32", "description": "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."},
  "revisionHistoryLimit": {"type": "integer", "format": "int32", "description": "The number of old ReplicaSets to retain to allow rollback. Defaults to 10."},
  "selector": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"}], "description": "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."},
  "strategy": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy"}], "default": {}, "description": "The deployment strategy to use to replace existing pods with new ones.", "x-kubernetes-patch-strategy": "retainKeys"},
  "template": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"}], "default": {}, "description": "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\"."}}},
"io.k8s.api.apps.v1.DeploymentStrategy": {"type": "object", "description": "DeploymentStrategy describes how to replace existing pods with new ones.",
 "properties": {
  "rollingUpdate": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.RollingUpdateDeployment"}], "description": "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."},
  "type": {"type": "string", "description": "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate.", "enum": ["Recreate", "RollingUpdate"]}}},
"io.k8s.api.apps.v1.RollingUpdateDeployment": {"type": "object", "description": "Spec to control the desired behavior of rolling update.",
 "properties": {
  "maxSurge": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}], "description": "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."},
  "maxUnavailable": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}], "description": "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."}}},
"io.k8s.api.apps.v1.DeploymentStatus": {"type": "object", "description": "DeploymentStatus is the most recently observed status of the Deployment.",
 "properties": {
  "availableReplicas": {"type": "integer", "format": "int32", "description": "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."},
  "collisionCount": {"type": "integer", "format": "int32", "description": "Count of hash collisions for the Deployment."},
  "conditions": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentCondition"}], "default": {}}, "description": "Represents the latest available observations of a deployment's current state.", "x-kubernetes-list-map-keys": ["type"], "x-kubernetes-list-type": "map", "x-kubernetes-patch-merge-key": "type", "x-kubernetes-patch-strategy": "merge"},
  "observedGeneration": {"type": "integer", "format": "int64", "description": "The generation observed by the deployment controller."},
  "readyReplicas": {"type": "integer", "format": "int32", "description": "Total number of ready pods targeted by this deployment."},
  "replicas": {"type": "integer", "format": "int32", "description": "Total number of non-terminated pods targeted by this deployment (their labels match the selector)."},
  "terminatingReplicas": {"type": "integer", "format": "int32", "description": "Total number of terminating pods targeted by this deployment."},
  "unavailableReplicas": {"type": "integer", "format": "int32", "description": "Total number of unavailable pods targeted by this deployment."},
  "updatedReplicas": {"type": "integer", "format": "int32", "description": "Total number of non-terminated pods targeted by this deployment that have the desired template spec."}}},
"io.k8s.api.apps.v1.DeploymentCondition": {"type": "object", "required": ["type", "status"], "description": "DeploymentCondition describes the state of a deployment at a certain point.",
 "properties": {
  "lastTransitionTime": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}], "description": "Last time the condition transitioned from one status to another."},
  "lastUpdateTime": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}], "description": "The last time this condition was updated."},
  "message": {"type": "string", "description": "A human readable message indicating details about the transition."},
  "reason": {"type": "string", "description": "The reason for the condition's last transition."},
  "status": {"type": "string", "description": "Status of the condition, one of True, False, Unknown."},
  "type": {"type": "string", "description": "Type of deployment condition."}}},
"io.k8s.api.apps.v1.ReplicaSet": {"type": "object", "description": "ReplicaSet ensures that a specified number of pod replicas are running at any given time.",
 "properties": {
  "apiVersion": {"type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."},
  "kind": {"type": "string", "description": "Kind is a string value representing the REST resource this object represents."},
  "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}], "default": {}, "description": "If the Labels of a ReplicaSet are empty, they are defaulted to be the same as the Pod(s) that the ReplicaSet manages."},
  "spec": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.ReplicaSetSpec"}], "default": {}, "description": "Spec defines the specification of the desired behavior of the ReplicaSet."},
  "status": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.ReplicaSetStatus"}], "default": {}, "description": "Status is the most recently observed status of the ReplicaSet."}},
 "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "ReplicaSet", "version": "v1"}]},
"io.k8s.api.apps.v1.ReplicaSetSpec": {"type": "object", "required": ["selector"], "description": "ReplicaSetSpec is the specification of a ReplicaSet.",
 "properties": {
  "minReadySeconds": {"type": "integer", "format": "int32", "description": "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available."},
  "replicas": {"type": "integer", "format": "int32", "description": "Replicas is the number of desired pods. Defaults to 1."},
  "selector": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"}], "description": "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels."},
  "template": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"}], "default": {}, "description": "Template is the object that describes the pod that will be created if insufficient replicas are detected."}}},
"io.k8s.api.apps.v1.ReplicaSetStatus": {"type": "object", "required": ["replicas"], "description": "ReplicaSetStatus represents the current status of a ReplicaSet.",
 "properties": {
  "availableReplicas": {"type": "integer", "format": "int32", "description": "The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set."},
  "conditions": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.ReplicaSetCondition"}], "default": {}}, "description": "Represents the latest available observations of a replica set's current state.", "x-kubernetes-list-map-keys": ["type"], "x-kubernetes-list-type": "map", "x-kubernetes-patch-merge-key": "type", "x-kubernetes-patch-strategy": "merge"},
  "fullyLabeledReplicas": {"type": "integer", "format": "int32", "description": "The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset."},
  "observedGeneration": {"type": "integer", "format": "int64", "description": "ObservedGeneration reflects the generation of the most recently observed ReplicaSet."},
  "readyReplicas": {"type": "integer", "format": "int32", "description": "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."},
  "replicas": {"type": "integer", "format": "int32", "description": "Replicas is the most recently observed number of non-terminating pods."},
  "terminatingReplicas": {"type": "integer", "format": "int32", "description": "The number of terminating pods for this replica set."}}},
"io.k8s.api.apps.v1.ReplicaSetCondition": {"type": "object", "required": ["type", "status"], "description": "ReplicaSetCondition describes the state of a replica set at a certain point.",
 "properties": {
  "lastTransitionTime": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}], "description": "The last time the condition transitioned from one status to another."},
  "message": {"type": "string", "description": "A human readable message indicating details about the transition."},
  "reason": {"type": "string", "description": "The reason for the condition's last transition."},
  "status": {"type": "string", "description": "Status of the condition, one of True, False, Unknown."},
  "type": {"type": "string", "description": "Type of replica set condition."}}}
})JSON";

}  // namespace

std::string AppsSchemasJson() {
  JsonDoc out;
  out.Parse(core::SchemaClosureJson(
                {"io.k8s.api.core.v1.PodTemplateSpec",
                 "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
                 "io.k8s.apimachinery.pkg.util.intstr.IntOrString"})
                .c_str());
  JsonDoc apps;
  apps.Parse(kApps);
  for (auto it = apps.MemberBegin(); it != apps.MemberEnd(); ++it) {
    out.AddMember(Json(it->name, out.GetAllocator()),
                  Json(it->value, out.GetAllocator()), out.GetAllocator());
  }
  return ToJson(out);
}

}  // namespace berth::workloads
