#include "kernel/api/server/meta_schemas.h"

namespace berth::api {

const char* MetaSchemasJson() {
  return R"JSON({
"io.k8s.apimachinery.pkg.apis.meta.v1.Time": {"type": "string", "format": "date-time", "description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON."},
"io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": {"type": "string", "format": "date-time", "description": "MicroTime is version of Time with microsecond level precision."},
"io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": {"type": "object", "description": "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format."},
"io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry": {"type": "object", "description": "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.", "properties": {
  "apiVersion": {"type": "string", "description": "APIVersion defines the version of this resource that this field set applies to."},
  "fieldsType": {"type": "string", "description": "FieldsType is the discriminator for the different fields format and version."},
  "fieldsV1": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"}], "description": "FieldsV1 holds the first JSON version format as described in the \"FieldsV1\" type."},
  "manager": {"type": "string", "description": "Manager is an identifier of the workflow managing these fields."},
  "operation": {"type": "string", "description": "Operation is the type of operation which lead to this ManagedFieldsEntry being created."},
  "subresource": {"type": "string", "description": "Subresource is the name of the subresource used to update that object."},
  "time": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}], "description": "Time is the timestamp of when the ManagedFields entry was added."}}},
"io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {"type": "object", "required": ["apiVersion", "kind", "name", "uid"], "description": "OwnerReference contains enough information to let you identify an owning object.", "properties": {
  "apiVersion": {"type": "string", "default": "", "description": "API version of the referent."},
  "blockOwnerDeletion": {"type": "boolean", "description": "If true, AND if the owner has the \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed."},
  "controller": {"type": "boolean", "description": "If true, this reference points to the managing controller."},
  "kind": {"type": "string", "default": "", "description": "Kind of the referent."},
  "name": {"type": "string", "default": "", "description": "Name of the referent."},
  "uid": {"type": "string", "default": "", "description": "UID of the referent."}},
  "x-kubernetes-map-type": "atomic"},
"io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": {"type": "object", "description": "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.", "properties": {
  "continue": {"type": "string", "description": "continue may be set if the user set a limit on the number of items returned."},
  "remainingItemCount": {"type": "integer", "format": "int64", "description": "remainingItemCount is the number of subsequent items in the list which are not included in this list response."},
  "resourceVersion": {"type": "string", "description": "String that identifies the server's internal version of this object."},
  "selfLink": {"type": "string", "description": "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."}}},
"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.", "properties": {
  "annotations": {"type": "object", "additionalProperties": {"type": "string", "default": ""}, "description": "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."},
  "creationTimestamp": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}], "description": "CreationTimestamp is a timestamp representing the server time when this object was created."},
  "deletionGracePeriodSeconds": {"type": "integer", "format": "int64", "description": "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system."},
  "deletionTimestamp": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}], "description": "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."},
  "finalizers": {"type": "array", "items": {"type": "string", "default": ""}, "description": "Must be empty before the object is deleted from the registry.", "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge"},
  "generateName": {"type": "string", "description": "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."},
  "generation": {"type": "integer", "format": "int64", "description": "A sequence number representing a specific generation of the desired state."},
  "labels": {"type": "object", "additionalProperties": {"type": "string", "default": ""}, "description": "Map of string keys and values that can be used to organize and categorize (scope and select) objects."},
  "managedFields": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"}], "default": {}}, "description": "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.", "x-kubernetes-list-type": "atomic"},
  "name": {"type": "string", "description": "Name must be unique within a namespace."},
  "namespace": {"type": "string", "description": "Namespace defines the space within which each name must be unique."},
  "ownerReferences": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"}], "default": {}}, "description": "List of objects depended by this object.", "x-kubernetes-list-map-keys": ["uid"], "x-kubernetes-list-type": "map", "x-kubernetes-patch-merge-key": "uid", "x-kubernetes-patch-strategy": "merge"},
  "resourceVersion": {"type": "string", "description": "An opaque value that represents the internal version of this object."},
  "selfLink": {"type": "string", "description": "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."},
  "uid": {"type": "string", "description": "UID is the unique in time and space value for this object."}}},
"io.k8s.apimachinery.pkg.apis.meta.v1.Status": {"type": "object", "description": "Status is a return value for calls that don't return other objects.", "properties": {
  "apiVersion": {"type": "string"}, "code": {"type": "integer", "format": "int32"}, "details": {"type": "object"}, "kind": {"type": "string"},
  "message": {"type": "string"}, "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}], "default": {}},
  "reason": {"type": "string"}, "status": {"type": "string"}}},
"io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": {"type": "object", "description": "DeleteOptions may be provided when deleting an API object.", "properties": {
  "apiVersion": {"type": "string"}, "dryRun": {"type": "array", "items": {"type": "string", "default": ""}}, "gracePeriodSeconds": {"type": "integer", "format": "int64"},
  "kind": {"type": "string"}, "orphanDependents": {"type": "boolean"}, "preconditions": {"type": "object", "properties": {"resourceVersion": {"type": "string"}, "uid": {"type": "string"}}},
  "propagationPolicy": {"type": "string"}}},
"io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {"type": "object", "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."}
})JSON";
}

}  // namespace berth::api
