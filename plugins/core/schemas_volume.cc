// The Volume types of core/v1. The common sources are described field by
// field; the rarely used cloud and legacy sources are free-form objects.
#include "schema_registry.h"

namespace berth::core {

void AddVolumeSchemas(std::vector<SchemaType>& out) {
  out.push_back(
      {"Volume",
       "Volume represents a named volume in a pod that may be "
       "accessed by any container in the pod.",
       {{"awsElasticBlockStore", "object"},
        {"azureDisk", "object"},
        {"azureFile", "object"},
        {"cephfs", "object"},
        {"cinder", "object"},
        {"configMap", "ConfigMapVolumeSource",
         "configMap represents a configMap that should populate this volume"},
        {"csi", "CSIVolumeSource"},
        {"downwardAPI", "DownwardAPIVolumeSource"},
        {"emptyDir", "EmptyDirVolumeSource",
         "emptyDir represents a temporary directory that shares a pod's "
         "lifetime."},
        {"ephemeral", "object"},
        {"fc", "object"},
        {"flexVolume", "object"},
        {"flocker", "object"},
        {"gcePersistentDisk", "object"},
        {"gitRepo", "object"},
        {"glusterfs", "object"},
        {"hostPath", "HostPathVolumeSource",
         "hostPath represents a pre-existing file or directory on the host "
         "machine."},
        {"image", "ImageVolumeSource"},
        {"iscsi", "object"},
        {"name", "string",
         "name of the volume. Must be a DNS_LABEL and unique within the pod."},
        {"nfs", "NFSVolumeSource"},
        {"persistentVolumeClaim", "PersistentVolumeClaimVolumeSource"},
        {"photonPersistentDisk", "object"},
        {"portworxVolume", "object"},
        {"projected", "ProjectedVolumeSource"},
        {"quobyte", "object"},
        {"rbd", "object"},
        {"scaleIO", "object"},
        {"secret", "SecretVolumeSource"},
        {"storageos", "object"},
        {"vsphereVolume", "object"}},
       {"name"}});
  out.push_back({"ConfigMapVolumeSource",
                 "Adapts a ConfigMap into a volume.",
                 {{"defaultMode", "integer"},
                  {"items", "[]KeyToPath"},
                  {"name", "string"},
                  {"optional", "boolean"}}});
  out.push_back({"SecretVolumeSource",
                 "Adapts a Secret into a volume.",
                 {{"defaultMode", "integer"},
                  {"items", "[]KeyToPath"},
                  {"optional", "boolean"},
                  {"secretName", "string"}}});
  out.push_back({"KeyToPath",
                 "Maps a string key to a path within a volume.",
                 {{"key", "string"}, {"mode", "integer"}, {"path", "string"}},
                 {"key", "path"}});
  out.push_back(
      {"DownwardAPIVolumeSource",
       "DownwardAPIVolumeSource represents a volume containing downward API "
       "info.",
       {{"defaultMode", "integer"}, {"items", "[]DownwardAPIVolumeFile"}}});
  out.push_back({"DownwardAPIVolumeFile",
                 "DownwardAPIVolumeFile represents information to create the "
                 "file containing the pod field",
                 {{"fieldRef", "ObjectFieldSelector"},
                  {"mode", "integer"},
                  {"path", "string"},
                  {"resourceFieldRef", "ResourceFieldSelector"}},
                 {"path"}});
  out.push_back({"EmptyDirVolumeSource",
                 "Represents an empty directory for a pod.",
                 {{"medium", "string"}, {"sizeLimit", "Quantity"}}});
  out.push_back({"HostPathVolumeSource",
                 "Represents a host path mapped into a pod.",
                 {{"path", "string"}, {"type", "string"}},
                 {"path"}});
  out.push_back(
      {"NFSVolumeSource",
       "Represents an NFS mount that lasts the lifetime of a pod.",
       {{"path", "string"}, {"readOnly", "boolean"}, {"server", "string"}},
       {"server", "path"}});
  out.push_back({"PersistentVolumeClaimVolumeSource",
                 "PersistentVolumeClaimVolumeSource references the user's PVC "
                 "in the same namespace.",
                 {{"claimName", "string"}, {"readOnly", "boolean"}},
                 {"claimName"}});
  out.push_back(
      {"ProjectedVolumeSource",
       "Represents a projected volume source",
       {{"defaultMode", "integer"}, {"sources", "[]VolumeProjection"}}});
  out.push_back({"VolumeProjection",
                 "Projection that may be projected along with other supported "
                 "volume types.",
                 {{"clusterTrustBundle", "object"},
                  {"configMap", "ConfigMapProjection"},
                  {"downwardAPI", "DownwardAPIProjection"},
                  {"secret", "SecretProjection"},
                  {"serviceAccountToken", "ServiceAccountTokenProjection"}}});
  out.push_back({"ConfigMapProjection",
                 "Adapts a ConfigMap into a projected volume.",
                 {{"items", "[]KeyToPath"},
                  {"name", "string"},
                  {"optional", "boolean"}}});
  out.push_back({"SecretProjection",
                 "Adapts a secret into a projected volume.",
                 {{"items", "[]KeyToPath"},
                  {"name", "string"},
                  {"optional", "boolean"}}});
  out.push_back(
      {"DownwardAPIProjection",
       "Represents downward API info for projecting into a projected volume.",
       {{"items", "[]DownwardAPIVolumeFile"}}});
  out.push_back({"ServiceAccountTokenProjection",
                 "ServiceAccountTokenProjection represents a projected service "
                 "account token volume.",
                 {{"audience", "string"},
                  {"expirationSeconds", "int64"},
                  {"path", "string"}},
                 {"path"}});
  out.push_back({"CSIVolumeSource",
                 "Represents a source location of a volume to mount, managed "
                 "by an external CSI driver",
                 {{"driver", "string"},
                  {"fsType", "string"},
                  {"nodePublishSecretRef", "LocalObjectReference"},
                  {"readOnly", "boolean"},
                  {"volumeAttributes", "{}string"}},
                 {"driver"}});
  out.push_back({"ImageVolumeSource",
                 "ImageVolumeSource represents a image volume resource.",
                 {{"pullPolicy", "string"}, {"reference", "string"}}});
}

}  // namespace berth::core
