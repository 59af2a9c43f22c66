// The storage types of core/v1 and storage.k8s.io/v1 as Kubernetes 1.32
// describes them. The common volume sources are described field by field;
// the cloud and legacy ones are free-form objects, as in plugins/core.
#include "storage_schemas.h"

#include <vector>

#include "schema_registry.h"

namespace berth::storage {
namespace {

using core::SchemaType;

std::vector<SchemaType> Types() {
  std::vector<SchemaType> out;
  out.push_back(
      {"PersistentVolume",
       "PersistentVolume (PV) is a storage resource provisioned by an "
       "administrator. It is analogous to a node. More info: "
       "https://kubernetes.io/docs/concepts/storage/persistent-volumes",
       {{"apiVersion", "string",
         "APIVersion defines the versioned schema of this representation of "
         "an object."},
        {"kind", "string",
         "Kind is a string value representing the REST resource this object "
         "represents."},
        {"metadata", "ObjectMeta", "Standard object's metadata."},
        {"spec", "PersistentVolumeSpec",
         "spec defines a specification of a persistent volume owned by the "
         "cluster. Provisioned by an administrator."},
        {"status", "PersistentVolumeStatus",
         "status represents the current information/status for the "
         "persistent volume. Populated by the system. Read-only."}},
       {},
       "PersistentVolume"});
  out.push_back(
      {"PersistentVolumeSpec",
       "PersistentVolumeSpec is the specification of a persistent volume.",
       {{"accessModes", "[]string",
         "accessModes contains all ways the volume can be mounted."},
        {"awsElasticBlockStore", "object"},
        {"azureDisk", "object"},
        {"azureFile", "object"},
        {"capacity", "{}Quantity",
         "capacity is the description of the persistent volume's resources "
         "and capacity."},
        {"cephfs", "object"},
        {"cinder", "object"},
        {"claimRef", "ObjectReference",
         "claimRef is part of a bi-directional binding between "
         "PersistentVolume and PersistentVolumeClaim. Expected to be non-nil "
         "when bound. claim.VolumeName is the authoritative bind between PV "
         "and PVC."},
        {"csi", "CSIPersistentVolumeSource",
         "csi represents storage that is handled by an external CSI driver."},
        {"fc", "object"},
        {"flexVolume", "object"},
        {"flocker", "object"},
        {"gcePersistentDisk", "object"},
        {"glusterfs", "object"},
        {"hostPath", "HostPathVolumeSource",
         "hostPath represents a directory on the host. Provisioned by a "
         "developer or tester. This is useful for single-node development "
         "and testing only!"},
        {"iscsi", "object"},
        {"local", "LocalVolumeSource",
         "local represents directly-attached storage with node affinity"},
        {"mountOptions", "[]string",
         "mountOptions is the list of mount options, e.g. [\"ro\", "
         "\"soft\"]. Not validated - mount will simply fail if one is "
         "invalid."},
        {"nfs", "NFSVolumeSource",
         "nfs represents an NFS mount on the host. Provisioned by an admin."},
        {"nodeAffinity", "VolumeNodeAffinity",
         "nodeAffinity defines constraints that limit what nodes this volume "
         "can be accessed from."},
        {"persistentVolumeReclaimPolicy", "string",
         "persistentVolumeReclaimPolicy defines what happens to a persistent "
         "volume when released from its claim. Valid options are Retain "
         "(default for manually created PersistentVolumes), Delete (default "
         "for dynamically provisioned PersistentVolumes), and Recycle "
         "(deprecated).\n\nPossible enum values:\n - `\"Delete\"`\n - "
         "`\"Recycle\"`\n - `\"Retain\"`"},
        {"photonPersistentDisk", "object"},
        {"portworxVolume", "object"},
        {"quobyte", "object"},
        {"rbd", "object"},
        {"scaleIO", "object"},
        {"storageClassName", "string",
         "storageClassName is the name of StorageClass to which this "
         "persistent volume belongs. Empty value means that this volume does "
         "not belong to any StorageClass."},
        {"storageos", "object"},
        {"volumeAttributesClassName", "string",
         "Name of VolumeAttributesClass to which this persistent volume "
         "belongs."},
        {"volumeMode", "string",
         "volumeMode defines if a volume is intended to be used with a "
         "formatted filesystem or to remain in raw block state. Value of "
         "Filesystem is implied when not included in spec.\n\nPossible enum "
         "values:\n - `\"Block\"`\n - `\"Filesystem\"`"},
        {"vsphereVolume", "object"}}});
  out.push_back(
      {"PersistentVolumeStatus",
       "PersistentVolumeStatus is the current status of a persistent volume.",
       {{"lastPhaseTransitionTime", "Time",
         "lastPhaseTransitionTime is the time the phase transitioned from "
         "one to another and automatically resets to current time everytime "
         "a volume phase transitions."},
        {"message", "string",
         "message is a human-readable message indicating details about why "
         "the volume is in this state."},
        {"phase", "string",
         "phase indicates if a volume is available, bound to a claim, or "
         "released by a claim.\n\nPossible enum values:\n - `\"Available\"`\n"
         " - `\"Bound\"`\n - `\"Failed\"`\n - `\"Pending\"`\n - "
         "`\"Released\"`"},
        {"reason", "string",
         "reason is a brief CamelCase string that describes any failure and "
         "is meant for machine parsing and tidy display in the CLI."}}});
  out.push_back({"CSIPersistentVolumeSource",
                 "Represents storage that is managed by an external CSI volume "
                 "driver",
                 {{"controllerExpandSecretRef", "SecretReference"},
                  {"controllerPublishSecretRef", "SecretReference"},
                  {"driver", "string",
                   "driver is the name of the driver to use for this volume. "
                   "Required."},
                  {"fsType", "string"},
                  {"nodeExpandSecretRef", "SecretReference"},
                  {"nodePublishSecretRef", "SecretReference"},
                  {"nodeStageSecretRef", "SecretReference"},
                  {"readOnly", "boolean"},
                  {"volumeAttributes", "{}string"},
                  {"volumeHandle", "string",
                   "volumeHandle is the unique volume name returned by the "
                   "CSI volume plugin’s CreateVolume to refer to the volume "
                   "on all subsequent calls. Required."}},
                 {"driver", "volumeHandle"}});
  out.push_back({"SecretReference",
                 "SecretReference represents a Secret Reference. It has "
                 "enough information to retrieve secret in any namespace",
                 {{"name", "string"}, {"namespace", "string"}}});
  out.push_back({"LocalVolumeSource",
                 "Local represents directly-attached storage with node "
                 "affinity",
                 {{"fsType", "string"},
                  {"path", "string",
                   "path of the full path to the volume on the node. It can "
                   "be either a directory or block device (disk, partition, "
                   "...)."}},
                 {"path"}});
  out.push_back({"VolumeNodeAffinity",
                 "VolumeNodeAffinity defines constraints that limit what "
                 "nodes this volume can be accessed from.",
                 {{"required", "NodeSelector",
                   "required specifies hard node constraints that must be "
                   "met."}}});
  out.push_back(
      {"PersistentVolumeClaim",
       "PersistentVolumeClaim is a user's request for and claim to a "
       "persistent volume",
       {{"apiVersion", "string",
         "APIVersion defines the versioned schema of this representation of "
         "an object."},
        {"kind", "string",
         "Kind is a string value representing the REST resource this object "
         "represents."},
        {"metadata", "ObjectMeta", "Standard object's metadata."},
        {"spec", "PersistentVolumeClaimSpec",
         "spec defines the desired characteristics of a volume requested by "
         "a pod author."},
        {"status", "PersistentVolumeClaimStatus",
         "status represents the current information/status of a persistent "
         "volume claim. Read-only."}},
       {},
       "PersistentVolumeClaim"});
  out.push_back(
      {"PersistentVolumeClaimSpec",
       "PersistentVolumeClaimSpec describes the common attributes of storage "
       "devices and allows a Source for provider-specific attributes",
       {{"accessModes", "[]string",
         "accessModes contains the desired access modes the volume should "
         "have."},
        {"dataSource", "TypedLocalObjectReference",
         "dataSource field can be used to specify either an existing "
         "VolumeSnapshot object or an existing PVC."},
        {"dataSourceRef", "TypedObjectReference",
         "dataSourceRef specifies the object from which to populate the "
         "volume with data, if a non-empty volume is desired."},
        {"resources", "VolumeResourceRequirements",
         "resources represents the minimum resources the volume should "
         "have."},
        {"selector", "LabelSelector",
         "selector is a label query over volumes to consider for binding."},
        {"storageClassName", "string",
         "storageClassName is the name of the StorageClass required by the "
         "claim."},
        {"volumeAttributesClassName", "string",
         "volumeAttributesClassName may be used to set the "
         "VolumeAttributesClass used by this claim."},
        {"volumeMode", "string",
         "volumeMode defines what type of volume is required by the claim. "
         "Value of Filesystem is implied when not included in claim "
         "spec.\n\nPossible enum values:\n - `\"Block\"`\n - "
         "`\"Filesystem\"`"},
        {"volumeName", "string",
         "volumeName is the binding reference to the PersistentVolume "
         "backing this claim."}}});
  out.push_back(
      {"VolumeResourceRequirements",
       "VolumeResourceRequirements describes the storage resource "
       "requirements for a volume.",
       {{"limits", "{}Quantity",
         "Limits describes the maximum amount of compute resources allowed."},
        {"requests", "{}Quantity",
         "Requests describes the minimum amount of compute resources "
         "required."}}});
  out.push_back(
      {"TypedLocalObjectReference",
       "TypedLocalObjectReference contains enough information to "
       "let you locate the typed referenced object inside the same "
       "namespace.",
       {{"apiGroup", "string"}, {"kind", "string"}, {"name", "string"}},
       {"kind", "name"}});
  out.push_back({"TypedObjectReference",
                 "TypedObjectReference contains enough information to let "
                 "you locate the typed referenced object",
                 {{"apiGroup", "string"},
                  {"kind", "string"},
                  {"name", "string"},
                  {"namespace", "string"}},
                 {"kind", "name"}});
  out.push_back(
      {"PersistentVolumeClaimStatus",
       "PersistentVolumeClaimStatus is the current status of a persistent "
       "volume claim.",
       {{"accessModes", "[]string",
         "accessModes contains the actual access modes the volume backing "
         "the PVC has."},
        {"allocatedResourceStatuses", "{}string"},
        {"allocatedResources", "{}Quantity"},
        {"capacity", "{}Quantity",
         "capacity represents the actual resources of the underlying "
         "volume."},
        {"conditions", "[]PersistentVolumeClaimCondition@type",
         "conditions is the current Condition of persistent volume claim."},
        {"currentVolumeAttributesClassName", "string"},
        {"modifyVolumeStatus", "object"},
        {"phase", "string",
         "phase represents the current phase of PersistentVolumeClaim.\n\n"
         "Possible enum values:\n - `\"Bound\"`\n - `\"Lost\"`\n - "
         "`\"Pending\"`"}}});
  out.push_back({"PersistentVolumeClaimCondition",
                 "PersistentVolumeClaimCondition contains details about "
                 "state of pvc",
                 {{"lastProbeTime", "Time"},
                  {"lastTransitionTime", "Time"},
                  {"message", "string"},
                  {"reason", "string"},
                  {"status", "string"},
                  {"type", "string"}},
                 {"type", "status"}});
  out.push_back(
      {"io.k8s.api.storage.v1.StorageClass",
       "StorageClass describes the parameters for a class of storage for "
       "which PersistentVolumes can be dynamically provisioned.\n\n"
       "StorageClasses are non-namespaced; the name of the storage class "
       "according to etcd is in ObjectMeta.Name.",
       {{"allowVolumeExpansion", "boolean",
         "allowVolumeExpansion shows whether the storage class allow volume "
         "expand."},
        {"allowedTopologies", "[]TopologySelectorTerm",
         "allowedTopologies restrict the node topologies where volumes can "
         "be dynamically provisioned."},
        {"apiVersion", "string",
         "APIVersion defines the versioned schema of this representation of "
         "an object."},
        {"kind", "string",
         "Kind is a string value representing the REST resource this object "
         "represents."},
        {"metadata", "ObjectMeta", "Standard object's metadata."},
        {"mountOptions", "[]string",
         "mountOptions controls the mountOptions for dynamically provisioned "
         "PersistentVolumes of this storage class."},
        {"parameters", "{}string",
         "parameters holds the parameters for the provisioner that should "
         "create volumes of this storage class."},
        {"provisioner", "string",
         "provisioner indicates the type of the provisioner."},
        {"reclaimPolicy", "string",
         "reclaimPolicy controls the reclaimPolicy for dynamically "
         "provisioned PersistentVolumes of this storage class. Defaults to "
         "Delete.\n\nPossible enum values:\n - `\"Delete\"`\n - "
         "`\"Recycle\"`\n - `\"Retain\"`"},
        {"volumeBindingMode", "string",
         "volumeBindingMode indicates how PersistentVolumeClaims should be "
         "provisioned and bound.  When unset, VolumeBindingImmediate is "
         "used.\n\nPossible enum values:\n - `\"Immediate\"`\n - "
         "`\"WaitForFirstConsumer\"`"}},
       {"provisioner"},
       "StorageClass",
       "",
       "",
       "storage.k8s.io"});
  out.push_back(
      {"TopologySelectorTerm",
       "A topology selector term represents the result of label "
       "queries.",
       {{"matchLabelExpressions", "[]TopologySelectorLabelRequirement"}}});
  out.push_back({"TopologySelectorLabelRequirement",
                 "A topology selector requirement is a selector that matches "
                 "given label.",
                 {{"key", "string"}, {"values", "[]string"}},
                 {"key", "values"}});
  return out;
}

}  // namespace

std::string StorageSchemasJson(const std::string& root) {
  static const std::vector<SchemaType>* types =
      new std::vector<SchemaType>(Types());
  return core::SchemaClosureJson({root}, *types);
}

}  // namespace berth::storage
