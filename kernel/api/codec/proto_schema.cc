#include "kernel/api/codec/proto_schema.h"

#include <string>
#include <unordered_map>
#include <utility>

namespace berth::codec::proto {
namespace {

using K = FieldKind;

constexpr uint8_t kRep = kRepeated;
constexpr uint8_t kPtr = kPointer;

constexpr FieldSpec Str(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kString, flags, {}};
}
constexpr FieldSpec Bytes(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kBytes, flags, {}};
}
constexpr FieldSpec Bool(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kBool, flags, {}};
}
constexpr FieldSpec I32(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kInt32, flags, {}};
}
constexpr FieldSpec I64(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kInt64, flags, {}};
}
constexpr FieldSpec Time(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kTime, flags, {}};
}
constexpr FieldSpec IntStr(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kIntOrString, flags, {}};
}
constexpr FieldSpec Qty(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kQuantity, flags, {}};
}
constexpr FieldSpec FieldsV1(int n, std::string_view json) {
  return {n, json, K::kFieldsV1, 0, {}};
}
constexpr FieldSpec Msg(int n, std::string_view json, std::string_view message,
                        uint8_t flags = 0) {
  return {n, json, K::kMessage, flags, message};
}
// Go embedded structs: the JSON name is unused.
constexpr FieldSpec Inline(int n, std::string_view message) {
  return {n, "", K::kMessage, kInline, message};
}
constexpr FieldSpec Meta() { return Msg(1, "metadata", "ObjectMeta"); }

// --- k8s.io/apimachinery meta/v1 ---------------------------------------------

constexpr FieldSpec kObjectMeta[] = {
    Str(1, "name"),
    Str(2, "generateName"),
    Str(3, "namespace"),
    Str(4, "selfLink"),
    Str(5, "uid"),
    Str(6, "resourceVersion"),
    I64(7, "generation"),
    Time(8, "creationTimestamp"),
    Time(9, "deletionTimestamp", kPtr),
    I64(10, "deletionGracePeriodSeconds", kPtr),
    Str(11, "labels", kMap),
    Str(12, "annotations", kMap),
    Msg(13, "ownerReferences", "OwnerReference", kRep),
    Str(14, "finalizers", kRep),
    Msg(17, "managedFields", "ManagedFieldsEntry", kRep),
};
constexpr FieldSpec kManagedFieldsEntry[] = {
    Str(1, "manager"),     Str(2, "operation"),  Str(3, "apiVersion"),
    Time(4, "time", kPtr), Str(6, "fieldsType"), FieldsV1(7, "fieldsV1"),
    Str(8, "subresource"),
};
constexpr FieldSpec kOwnerReference[] = {
    Str(5, "apiVersion"),
    Str(1, "kind"),
    Str(3, "name"),
    Str(4, "uid"),
    Bool(6, "controller", kPtr),
    Bool(7, "blockOwnerDeletion", kPtr),
};
constexpr FieldSpec kLabelSelector[] = {
    Str(1, "matchLabels", kMap),
    Msg(2, "matchExpressions", "LabelSelectorRequirement", kRep),
};
// Also the shape of FieldSelectorRequirement.
constexpr FieldSpec kLabelSelectorRequirement[] = {
    Str(1, "key"),
    Str(2, "operator"),
    Str(3, "values", kRep),
};

// --- core/v1 -----------------------------------------------------------------

constexpr FieldSpec kNamespace[] = {Meta(), Msg(2, "spec", "NamespaceSpec")};
constexpr FieldSpec kNamespaceSpec[] = {Str(1, "finalizers", kRep)};
constexpr FieldSpec kSecret[] = {
    Meta(),
    Bool(5, "immutable", kPtr),
    Bytes(2, "data", kMap),
    Str(4, "stringData", kMap),
    Str(3, "type"),
};
constexpr FieldSpec kConfigMap[] = {
    Meta(),
    Bool(4, "immutable", kPtr),
    Str(2, "data", kMap),
    Bytes(3, "binaryData", kMap),
};
constexpr FieldSpec kServiceAccount[] = {
    Meta(),
    Msg(2, "secrets", "ObjectReference", kRep),
    Msg(3, "imagePullSecrets", "LocalObjectReference", kRep),
    Bool(4, "automountServiceAccountToken", kPtr),
};
constexpr FieldSpec kObjectReference[] = {
    Str(1, "kind"),      Str(2, "namespace"),  Str(3, "name"),
    Str(4, "uid"),       Str(5, "apiVersion"), Str(6, "resourceVersion"),
    Str(7, "fieldPath"),
};
constexpr FieldSpec kLocalObjectReference[] = {Str(1, "name")};
constexpr FieldSpec kResourceQuota[] = {Meta(),
                                        Msg(2, "spec", "ResourceQuotaSpec")};
constexpr FieldSpec kResourceQuotaSpec[] = {
    Qty(1, "hard", kMap),
    Str(2, "scopes", kRep),
    Msg(3, "scopeSelector", "ScopeSelector", kPtr),
};
constexpr FieldSpec kScopeSelector[] = {
    Msg(1, "matchExpressions", "ScopedResourceSelectorRequirement", kRep),
};
constexpr FieldSpec kScopedResourceSelectorRequirement[] = {
    Str(1, "scopeName"),
    Str(2, "operator"),
    Str(3, "values", kRep),
};

constexpr FieldSpec kService[] = {Meta(), Msg(2, "spec", "ServiceSpec")};
constexpr FieldSpec kServiceSpec[] = {
    Msg(1, "ports", "ServicePort", kRep),
    Str(2, "selector", kMap),
    Str(3, "clusterIP"),
    Str(18, "clusterIPs", kRep),
    Str(4, "type"),
    Str(5, "externalIPs", kRep),
    Str(7, "sessionAffinity"),
    Str(8, "loadBalancerIP"),
    Str(9, "loadBalancerSourceRanges", kRep),
    Str(10, "externalName"),
    Str(11, "externalTrafficPolicy"),
    I32(12, "healthCheckNodePort"),
    Bool(13, "publishNotReadyAddresses"),
    Msg(14, "sessionAffinityConfig", "SessionAffinityConfig", kPtr),
    Str(19, "ipFamilies", kRep),
    Str(17, "ipFamilyPolicy", kPtr),
    Bool(20, "allocateLoadBalancerNodePorts", kPtr),
    Str(21, "loadBalancerClass", kPtr),
    Str(22, "internalTrafficPolicy", kPtr),
    Str(23, "trafficDistribution", kPtr),
};
constexpr FieldSpec kServicePort[] = {
    Str(1, "name"), Str(2, "protocol"),      Str(6, "appProtocol", kPtr),
    I32(3, "port"), IntStr(4, "targetPort"), I32(5, "nodePort"),
};
constexpr FieldSpec kSessionAffinityConfig[] = {
    Msg(1, "clientIP", "ClientIPConfig", kPtr),
};
constexpr FieldSpec kClientIPConfig[] = {I32(1, "timeoutSeconds", kPtr)};

constexpr FieldSpec kPod[] = {Meta(), Msg(2, "spec", "PodSpec")};
constexpr FieldSpec kPodTemplateSpec[] = {Meta(), Msg(2, "spec", "PodSpec")};
constexpr FieldSpec kPodSpec[] = {
    Msg(1, "volumes", "Volume", kRep),
    Msg(20, "initContainers", "Container", kRep),
    Msg(2, "containers", "Container", kRep),
    Str(3, "restartPolicy"),
    I64(4, "terminationGracePeriodSeconds", kPtr),
    I64(5, "activeDeadlineSeconds", kPtr),
    Str(6, "dnsPolicy"),
    Str(7, "nodeSelector", kMap),
    Str(8, "serviceAccountName"),
    Str(9, "serviceAccount"),
    Bool(21, "automountServiceAccountToken", kPtr),
    Str(10, "nodeName"),
    Bool(11, "hostNetwork"),
    Bool(12, "hostPID"),
    Bool(13, "hostIPC"),
    Bool(27, "shareProcessNamespace", kPtr),
    Msg(14, "securityContext", "PodSecurityContext", kPtr),
    Msg(15, "imagePullSecrets", "LocalObjectReference", kRep),
    Str(16, "hostname"),
    Str(17, "subdomain"),
    Str(19, "schedulerName"),
    Msg(22, "tolerations", "Toleration", kRep),
    Str(24, "priorityClassName"),
    I32(25, "priority", kPtr),
    Str(29, "runtimeClassName", kPtr),
    Bool(30, "enableServiceLinks", kPtr),
    Str(31, "preemptionPolicy", kPtr),
    Bool(35, "setHostnameAsFQDN", kPtr),
    Bool(37, "hostUsers", kPtr),
};
constexpr FieldSpec kContainer[] = {
    Str(1, "name"),
    Str(2, "image"),
    Str(3, "command", kRep),
    Str(4, "args", kRep),
    Str(5, "workingDir"),
    Msg(6, "ports", "ContainerPort", kRep),
    Msg(19, "envFrom", "EnvFromSource", kRep),
    Msg(7, "env", "EnvVar", kRep),
    Msg(8, "resources", "ResourceRequirements"),
    Str(24, "restartPolicy", kPtr),
    Msg(9, "volumeMounts", "VolumeMount", kRep),
    Msg(10, "livenessProbe", "Probe", kPtr),
    Msg(11, "readinessProbe", "Probe", kPtr),
    Msg(22, "startupProbe", "Probe", kPtr),
    Msg(12, "lifecycle", "Lifecycle", kPtr),
    Str(13, "terminationMessagePath"),
    Str(20, "terminationMessagePolicy"),
    Str(14, "imagePullPolicy"),
    Msg(15, "securityContext", "SecurityContext", kPtr),
    Bool(16, "stdin"),
    Bool(17, "stdinOnce"),
    Bool(18, "tty"),
};
constexpr FieldSpec kContainerPort[] = {
    Str(1, "name"),     I32(2, "hostPort"), I32(3, "containerPort"),
    Str(4, "protocol"), Str(5, "hostIP"),
};
constexpr FieldSpec kEnvVar[] = {
    Str(1, "name"),
    Str(2, "value"),
    Msg(3, "valueFrom", "EnvVarSource", kPtr),
};
constexpr FieldSpec kEnvVarSource[] = {
    Msg(1, "fieldRef", "ObjectFieldSelector", kPtr),
    Msg(2, "resourceFieldRef", "ResourceFieldSelector", kPtr),
    Msg(3, "configMapKeyRef", "ConfigMapKeySelector", kPtr),
    Msg(4, "secretKeyRef", "SecretKeySelector", kPtr),
};
// Also the shape of SecretKeySelector.
constexpr FieldSpec kConfigMapKeySelector[] = {
    Inline(1, "LocalObjectReference"),
    Str(2, "key"),
    Bool(3, "optional", kPtr),
};
constexpr FieldSpec kObjectFieldSelector[] = {Str(1, "apiVersion"),
                                              Str(2, "fieldPath")};
constexpr FieldSpec kResourceFieldSelector[] = {
    Str(1, "containerName"),
    Str(2, "resource"),
    Qty(3, "divisor"),
};
constexpr FieldSpec kEnvFromSource[] = {
    Str(1, "prefix"),
    Msg(2, "configMapRef", "ConfigMapEnvSource", kPtr),
    Msg(3, "secretRef", "SecretEnvSource", kPtr),
};
// Also the shape of SecretEnvSource.
constexpr FieldSpec kConfigMapEnvSource[] = {
    Inline(1, "LocalObjectReference"),
    Bool(2, "optional", kPtr),
};
constexpr FieldSpec kResourceRequirements[] = {
    Qty(1, "limits", kMap),
    Qty(2, "requests", kMap),
    Msg(3, "claims", "ResourceClaim", kRep),
};
constexpr FieldSpec kResourceClaim[] = {Str(1, "name"), Str(2, "request")};
constexpr FieldSpec kVolumeMount[] = {
    Str(1, "name"),
    Bool(2, "readOnly"),
    Str(7, "recursiveReadOnly", kPtr),
    Str(3, "mountPath"),
    Str(4, "subPath"),
    Str(5, "mountPropagation", kPtr),
    Str(6, "subPathExpr"),
};
constexpr FieldSpec kProbe[] = {
    Inline(1, "ProbeHandler"),
    I32(2, "initialDelaySeconds"),
    I32(3, "timeoutSeconds"),
    I32(4, "periodSeconds"),
    I32(5, "successThreshold"),
    I32(6, "failureThreshold"),
    I64(7, "terminationGracePeriodSeconds", kPtr),
};
constexpr FieldSpec kProbeHandler[] = {
    Msg(1, "exec", "ExecAction", kPtr),
    Msg(2, "httpGet", "HTTPGetAction", kPtr),
    Msg(3, "tcpSocket", "TCPSocketAction", kPtr),
    Msg(4, "grpc", "GRPCAction", kPtr),
};
constexpr FieldSpec kLifecycle[] = {
    Msg(1, "postStart", "LifecycleHandler", kPtr),
    Msg(2, "preStop", "LifecycleHandler", kPtr),
    Str(3, "stopSignal", kPtr),
};
constexpr FieldSpec kLifecycleHandler[] = {
    Msg(1, "exec", "ExecAction", kPtr),
    Msg(2, "httpGet", "HTTPGetAction", kPtr),
    Msg(3, "tcpSocket", "TCPSocketAction", kPtr),
    Msg(4, "sleep", "SleepAction", kPtr),
};
constexpr FieldSpec kExecAction[] = {Str(1, "command", kRep)};
constexpr FieldSpec kHTTPGetAction[] = {
    Str(1, "path"),
    IntStr(2, "port"),
    Str(3, "host"),
    Str(4, "scheme"),
    Msg(5, "httpHeaders", "HTTPHeader", kRep),
};
constexpr FieldSpec kHTTPHeader[] = {Str(1, "name"), Str(2, "value")};
constexpr FieldSpec kTCPSocketAction[] = {IntStr(1, "port"), Str(2, "host")};
constexpr FieldSpec kGRPCAction[] = {I32(1, "port"), Str(2, "service", kPtr)};
constexpr FieldSpec kSleepAction[] = {I64(1, "seconds")};
constexpr FieldSpec kSecurityContext[] = {
    Msg(1, "capabilities", "Capabilities", kPtr),
    Bool(2, "privileged", kPtr),
    I64(4, "runAsUser", kPtr),
    I64(8, "runAsGroup", kPtr),
    Bool(5, "runAsNonRoot", kPtr),
    Bool(6, "readOnlyRootFilesystem", kPtr),
    Bool(7, "allowPrivilegeEscalation", kPtr),
    Str(9, "procMount", kPtr),
};
constexpr FieldSpec kCapabilities[] = {Str(1, "add", kRep),
                                       Str(2, "drop", kRep)};
constexpr FieldSpec kPodSecurityContext[] = {
    I64(2, "runAsUser", kPtr),
    I64(6, "runAsGroup", kPtr),
    Bool(3, "runAsNonRoot", kPtr),
    I64(4, "supplementalGroups", kRep),
    I64(5, "fsGroup", kPtr),
    Msg(7, "sysctls", "Sysctl", kRep),
    Str(9, "fsGroupChangePolicy", kPtr),
};
constexpr FieldSpec kSysctl[] = {Str(1, "name"), Str(2, "value")};
constexpr FieldSpec kToleration[] = {
    Str(1, "key"),
    Str(2, "operator"),
    Str(3, "value"),
    Str(4, "effect"),
    I64(5, "tolerationSeconds", kPtr),
};
constexpr FieldSpec kVolume[] = {Str(1, "name"), Inline(2, "VolumeSource")};
constexpr FieldSpec kVolumeSource[] = {
    Msg(1, "hostPath", "HostPathVolumeSource", kPtr),
    Msg(2, "emptyDir", "EmptyDirVolumeSource", kPtr),
    Msg(6, "secret", "SecretVolumeSource", kPtr),
    Msg(7, "nfs", "NFSVolumeSource", kPtr),
    Msg(10, "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource", kPtr),
    Msg(16, "downwardAPI", "DownwardAPIVolumeSource", kPtr),
    Msg(19, "configMap", "ConfigMapVolumeSource", kPtr),
};
constexpr FieldSpec kHostPathVolumeSource[] = {Str(1, "path"),
                                               Str(2, "type", kPtr)};
constexpr FieldSpec kEmptyDirVolumeSource[] = {Str(1, "medium"),
                                               Qty(2, "sizeLimit", kPtr)};
constexpr FieldSpec kSecretVolumeSource[] = {
    Str(1, "secretName"),
    Msg(2, "items", "KeyToPath", kRep),
    I32(3, "defaultMode", kPtr),
    Bool(4, "optional", kPtr),
};
constexpr FieldSpec kConfigMapVolumeSource[] = {
    Inline(1, "LocalObjectReference"),
    Msg(2, "items", "KeyToPath", kRep),
    I32(3, "defaultMode", kPtr),
    Bool(4, "optional", kPtr),
};
constexpr FieldSpec kKeyToPath[] = {Str(1, "key"), Str(2, "path"),
                                    I32(3, "mode", kPtr)};
constexpr FieldSpec kNFSVolumeSource[] = {Str(1, "server"), Str(2, "path"),
                                          Bool(3, "readOnly")};
constexpr FieldSpec kPersistentVolumeClaimVolumeSource[] = {
    Str(1, "claimName"), Bool(2, "readOnly")};
constexpr FieldSpec kDownwardAPIVolumeSource[] = {
    Msg(1, "items", "DownwardAPIVolumeFile", kRep),
    I32(2, "defaultMode", kPtr),
};
constexpr FieldSpec kDownwardAPIVolumeFile[] = {
    Str(1, "path"),
    Msg(2, "fieldRef", "ObjectFieldSelector", kPtr),
    Msg(3, "resourceFieldRef", "ResourceFieldSelector", kPtr),
    I32(4, "mode", kPtr),
};

// --- apps/v1 -----------------------------------------------------------------

constexpr FieldSpec kDeployment[] = {Meta(), Msg(2, "spec", "DeploymentSpec")};
constexpr FieldSpec kDeploymentSpec[] = {
    I32(1, "replicas", kPtr),
    Msg(2, "selector", "LabelSelector", kPtr),
    Msg(3, "template", "PodTemplateSpec"),
    Msg(4, "strategy", "DeploymentStrategy"),
    I32(5, "minReadySeconds"),
    I32(6, "revisionHistoryLimit", kPtr),
    Bool(7, "paused"),
    I32(9, "progressDeadlineSeconds", kPtr),
};
constexpr FieldSpec kDeploymentStrategy[] = {
    Str(1, "type"),
    Msg(2, "rollingUpdate", "RollingUpdateDeployment", kPtr),
};
constexpr FieldSpec kRollingUpdateDeployment[] = {
    IntStr(1, "maxUnavailable", kPtr),
    IntStr(2, "maxSurge", kPtr),
};

// --- batch/v1 ----------------------------------------------------------------

constexpr FieldSpec kJob[] = {Meta(), Msg(2, "spec", "JobSpec")};
constexpr FieldSpec kJobSpec[] = {
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
constexpr FieldSpec kCronJob[] = {Meta(), Msg(2, "spec", "CronJobSpec")};
constexpr FieldSpec kCronJobSpec[] = {
    Str(1, "schedule"),
    Str(8, "timeZone", kPtr),
    I64(2, "startingDeadlineSeconds", kPtr),
    Str(3, "concurrencyPolicy"),
    Bool(4, "suspend", kPtr),
    Msg(5, "jobTemplate", "JobTemplateSpec"),
    I32(6, "successfulJobsHistoryLimit", kPtr),
    I32(7, "failedJobsHistoryLimit", kPtr),
};
constexpr FieldSpec kJobTemplateSpec[] = {Meta(), Msg(2, "spec", "JobSpec")};

// --- authorization.k8s.io/v1, authentication.k8s.io/v1 ----------------------

constexpr FieldSpec kSelfSubjectAccessReview[] = {
    Meta(), Msg(2, "spec", "SelfSubjectAccessReviewSpec")};
constexpr FieldSpec kSelfSubjectAccessReviewSpec[] = {
    Msg(1, "resourceAttributes", "ResourceAttributes", kPtr),
    Msg(2, "nonResourceAttributes", "NonResourceAttributes", kPtr),
};
constexpr FieldSpec kResourceAttributes[] = {
    Str(1, "namespace"),
    Str(2, "verb"),
    Str(3, "group"),
    Str(4, "version"),
    Str(5, "resource"),
    Str(6, "subresource"),
    Str(7, "name"),
    Msg(8, "fieldSelector", "FieldSelectorAttributes", kPtr),
    Msg(9, "labelSelector", "LabelSelectorAttributes", kPtr),
};
// Also the shape of LabelSelectorAttributes.
constexpr FieldSpec kFieldSelectorAttributes[] = {
    Str(1, "rawSelector"),
    Msg(2, "requirements", "LabelSelectorRequirement", kRep),
};
constexpr FieldSpec kNonResourceAttributes[] = {Str(1, "path"), Str(2, "verb")};
constexpr FieldSpec kSelfSubjectRulesReview[] = {
    Meta(), Msg(2, "spec", "SelfSubjectRulesReviewSpec")};
constexpr FieldSpec kSelfSubjectRulesReviewSpec[] = {Str(1, "namespace")};
// Its only other field is the server-filled status.
constexpr FieldSpec kSelfSubjectReview[] = {Meta()};
constexpr FieldSpec kTokenRequest[] = {Meta(),
                                       Msg(2, "spec", "TokenRequestSpec")};
constexpr FieldSpec kTokenRequestSpec[] = {
    Str(1, "audiences", kRep),
    I64(4, "expirationSeconds", kPtr),
    Msg(3, "boundObjectRef", "BoundObjectReference", kPtr),
};
constexpr FieldSpec kBoundObjectReference[] = {
    Str(1, "kind"), Str(2, "apiVersion"), Str(3, "name"), Str(4, "uid")};

// --- rbac.authorization.k8s.io/v1 --------------------------------------------

constexpr FieldSpec kRole[] = {Meta(), Msg(2, "rules", "PolicyRule", kRep)};
constexpr FieldSpec kClusterRole[] = {
    Meta(),
    Msg(2, "rules", "PolicyRule", kRep),
    Msg(3, "aggregationRule", "AggregationRule", kPtr),
};
constexpr FieldSpec kPolicyRule[] = {
    Str(1, "verbs", kRep),           Str(2, "apiGroups", kRep),
    Str(3, "resources", kRep),       Str(4, "resourceNames", kRep),
    Str(5, "nonResourceURLs", kRep),
};
constexpr FieldSpec kAggregationRule[] = {
    Msg(1, "clusterRoleSelectors", "LabelSelector", kRep)};
// Also the shape of ClusterRoleBinding.
constexpr FieldSpec kRoleBinding[] = {
    Meta(),
    Msg(2, "subjects", "Subject", kRep),
    Msg(3, "roleRef", "RoleRef"),
};
constexpr FieldSpec kSubject[] = {Str(1, "kind"), Str(2, "apiGroup"),
                                  Str(3, "name"), Str(4, "namespace")};
constexpr FieldSpec kRoleRef[] = {Str(1, "apiGroup"), Str(2, "kind"),
                                  Str(3, "name")};

// --- networking.k8s.io/v1, scheduling.k8s.io/v1 ------------------------------

constexpr FieldSpec kIngress[] = {Meta(), Msg(2, "spec", "IngressSpec")};
constexpr FieldSpec kIngressSpec[] = {
    Str(4, "ingressClassName", kPtr),
    Msg(1, "defaultBackend", "IngressBackend", kPtr),
    Msg(2, "tls", "IngressTLS", kRep),
    Msg(3, "rules", "IngressRule", kRep),
};
constexpr FieldSpec kIngressBackend[] = {
    Msg(4, "service", "IngressServiceBackend", kPtr),
    Msg(3, "resource", "TypedLocalObjectReference", kPtr),
};
constexpr FieldSpec kIngressServiceBackend[] = {
    Str(1, "name"), Msg(2, "port", "ServiceBackendPort")};
constexpr FieldSpec kServiceBackendPort[] = {Str(1, "name"), I32(2, "number")};
constexpr FieldSpec kTypedLocalObjectReference[] = {
    Str(1, "apiGroup", kPtr), Str(2, "kind"), Str(3, "name")};
constexpr FieldSpec kIngressRule[] = {Str(1, "host"),
                                      Inline(2, "IngressRuleValue")};
constexpr FieldSpec kIngressRuleValue[] = {
    Msg(1, "http", "HTTPIngressRuleValue", kPtr)};
constexpr FieldSpec kHTTPIngressRuleValue[] = {
    Msg(1, "paths", "HTTPIngressPath", kRep)};
constexpr FieldSpec kHTTPIngressPath[] = {
    Str(1, "path"),
    Str(3, "pathType", kPtr),
    Msg(2, "backend", "IngressBackend"),
};
constexpr FieldSpec kIngressTLS[] = {Str(1, "hosts", kRep),
                                     Str(2, "secretName")};
constexpr FieldSpec kPriorityClass[] = {
    Meta(),
    I32(2, "value"),
    Bool(3, "globalDefault"),
    Str(4, "description"),
    Str(5, "preemptionPolicy", kPtr),
};

// certificates.k8s.io/v1: `kubectl certificate approve|deny` puts the
// whole object to /approval as protobuf. spec.extra (map of ExtraValue
// lists) is not described: Berth never sets it, so kubectl never echoes it.
constexpr FieldSpec kCertificateSigningRequest[] = {
    Meta(),
    Msg(2, "spec", "CertificateSigningRequestSpec"),
    Msg(3, "status", "CertificateSigningRequestStatus"),
};
constexpr FieldSpec kCertificateSigningRequestSpec[] = {
    Bytes(1, "request"),
    Str(7, "signerName"),
    I32(8, "expirationSeconds", kPtr),
    Str(5, "usages", kRepeated),
    Str(2, "username"),
    Str(3, "uid"),
    Str(4, "groups", kRepeated),
};
constexpr FieldSpec kCertificateSigningRequestStatus[] = {
    Msg(1, "conditions", "CertificateSigningRequestCondition", kRepeated),
    Bytes(2, "certificate"),
};
constexpr FieldSpec kCertificateSigningRequestCondition[] = {
    Str(1, "type"),    Str(6, "status"),          Str(2, "reason"),
    Str(3, "message"), Time(4, "lastUpdateTime"), Time(5, "lastTransitionTime"),
};

constexpr MessageSpec kMessages[] = {
    {"ObjectMeta", kObjectMeta},
    {"ManagedFieldsEntry", kManagedFieldsEntry},
    {"OwnerReference", kOwnerReference},
    {"LabelSelector", kLabelSelector},
    {"LabelSelectorRequirement", kLabelSelectorRequirement},
    {"Namespace", kNamespace},
    {"NamespaceSpec", kNamespaceSpec},
    {"Secret", kSecret},
    {"ConfigMap", kConfigMap},
    {"ServiceAccount", kServiceAccount},
    {"ObjectReference", kObjectReference},
    {"LocalObjectReference", kLocalObjectReference},
    {"ResourceQuota", kResourceQuota},
    {"ResourceQuotaSpec", kResourceQuotaSpec},
    {"ScopeSelector", kScopeSelector},
    {"ScopedResourceSelectorRequirement", kScopedResourceSelectorRequirement},
    {"Service", kService},
    {"ServiceSpec", kServiceSpec},
    {"ServicePort", kServicePort},
    {"SessionAffinityConfig", kSessionAffinityConfig},
    {"ClientIPConfig", kClientIPConfig},
    {"Pod", kPod},
    {"PodTemplateSpec", kPodTemplateSpec},
    {"PodSpec", kPodSpec},
    {"Container", kContainer},
    {"ContainerPort", kContainerPort},
    {"EnvVar", kEnvVar},
    {"EnvVarSource", kEnvVarSource},
    {"ConfigMapKeySelector", kConfigMapKeySelector},
    {"SecretKeySelector", kConfigMapKeySelector},
    {"ObjectFieldSelector", kObjectFieldSelector},
    {"ResourceFieldSelector", kResourceFieldSelector},
    {"EnvFromSource", kEnvFromSource},
    {"ConfigMapEnvSource", kConfigMapEnvSource},
    {"SecretEnvSource", kConfigMapEnvSource},
    {"ResourceRequirements", kResourceRequirements},
    {"ResourceClaim", kResourceClaim},
    {"VolumeMount", kVolumeMount},
    {"Probe", kProbe},
    {"ProbeHandler", kProbeHandler},
    {"Lifecycle", kLifecycle},
    {"LifecycleHandler", kLifecycleHandler},
    {"ExecAction", kExecAction},
    {"HTTPGetAction", kHTTPGetAction},
    {"HTTPHeader", kHTTPHeader},
    {"TCPSocketAction", kTCPSocketAction},
    {"GRPCAction", kGRPCAction},
    {"SleepAction", kSleepAction},
    {"SecurityContext", kSecurityContext},
    {"Capabilities", kCapabilities},
    {"PodSecurityContext", kPodSecurityContext},
    {"Sysctl", kSysctl},
    {"Toleration", kToleration},
    {"Volume", kVolume},
    {"VolumeSource", kVolumeSource},
    {"HostPathVolumeSource", kHostPathVolumeSource},
    {"EmptyDirVolumeSource", kEmptyDirVolumeSource},
    {"SecretVolumeSource", kSecretVolumeSource},
    {"ConfigMapVolumeSource", kConfigMapVolumeSource},
    {"KeyToPath", kKeyToPath},
    {"NFSVolumeSource", kNFSVolumeSource},
    {"PersistentVolumeClaimVolumeSource", kPersistentVolumeClaimVolumeSource},
    {"DownwardAPIVolumeSource", kDownwardAPIVolumeSource},
    {"DownwardAPIVolumeFile", kDownwardAPIVolumeFile},
    {"Deployment", kDeployment},
    {"DeploymentSpec", kDeploymentSpec},
    {"DeploymentStrategy", kDeploymentStrategy},
    {"RollingUpdateDeployment", kRollingUpdateDeployment},
    {"Job", kJob},
    {"JobSpec", kJobSpec},
    {"CronJob", kCronJob},
    {"CronJobSpec", kCronJobSpec},
    {"JobTemplateSpec", kJobTemplateSpec},
    {"SelfSubjectAccessReview", kSelfSubjectAccessReview},
    {"SelfSubjectAccessReviewSpec", kSelfSubjectAccessReviewSpec},
    {"ResourceAttributes", kResourceAttributes},
    {"FieldSelectorAttributes", kFieldSelectorAttributes},
    {"LabelSelectorAttributes", kFieldSelectorAttributes},
    {"NonResourceAttributes", kNonResourceAttributes},
    {"SelfSubjectRulesReview", kSelfSubjectRulesReview},
    {"SelfSubjectRulesReviewSpec", kSelfSubjectRulesReviewSpec},
    {"SelfSubjectReview", kSelfSubjectReview},
    {"TokenRequest", kTokenRequest},
    {"TokenRequestSpec", kTokenRequestSpec},
    {"BoundObjectReference", kBoundObjectReference},
    {"Role", kRole},
    {"ClusterRole", kClusterRole},
    {"PolicyRule", kPolicyRule},
    {"AggregationRule", kAggregationRule},
    {"RoleBinding", kRoleBinding},
    {"ClusterRoleBinding", kRoleBinding},
    {"Subject", kSubject},
    {"RoleRef", kRoleRef},
    {"Ingress", kIngress},
    {"IngressSpec", kIngressSpec},
    {"IngressBackend", kIngressBackend},
    {"IngressServiceBackend", kIngressServiceBackend},
    {"ServiceBackendPort", kServiceBackendPort},
    {"TypedLocalObjectReference", kTypedLocalObjectReference},
    {"IngressRule", kIngressRule},
    {"IngressRuleValue", kIngressRuleValue},
    {"HTTPIngressRuleValue", kHTTPIngressRuleValue},
    {"HTTPIngressPath", kHTTPIngressPath},
    {"IngressTLS", kIngressTLS},
    {"PriorityClass", kPriorityClass},
    {"CertificateSigningRequest", kCertificateSigningRequest},
    {"CertificateSigningRequestSpec", kCertificateSigningRequestSpec},
    {"CertificateSigningRequestStatus", kCertificateSigningRequestStatus},
    {"CertificateSigningRequestCondition", kCertificateSigningRequestCondition},
};

// apiVersion, kind; the kind's message has the kind's name.
constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
    {"v1", "Namespace"},
    {"v1", "Secret"},
    {"v1", "ConfigMap"},
    {"v1", "Service"},
    {"v1", "ServiceAccount"},
    {"v1", "Pod"},
    {"v1", "ResourceQuota"},
    {"apps/v1", "Deployment"},
    {"batch/v1", "Job"},
    {"batch/v1", "CronJob"},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview"},
    {"authorization.k8s.io/v1", "SelfSubjectRulesReview"},
    {"authentication.k8s.io/v1", "SelfSubjectReview"},
    {"authentication.k8s.io/v1", "TokenRequest"},
    {"rbac.authorization.k8s.io/v1", "Role"},
    {"rbac.authorization.k8s.io/v1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1", "RoleBinding"},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    {"networking.k8s.io/v1", "Ingress"},
    {"scheduling.k8s.io/v1", "PriorityClass"},
    {"certificates.k8s.io/v1", "CertificateSigningRequest"},
};

}  // namespace

const MessageSpec* FindMessage(std::string_view name) {
  static const auto* const kIndex = [] {
    auto* index = new std::unordered_map<std::string_view, const MessageSpec*>;
    for (const MessageSpec& m : kMessages) (*index)[m.name] = &m;
    return index;
  }();
  auto it = kIndex->find(name);
  return it == kIndex->end() ? nullptr : it->second;
}

const MessageSpec* FindKindMessage(std::string_view api_version,
                                   std::string_view kind) {
  for (const auto& [gv, k] : kKinds) {
    if (gv == api_version && k == kind) return FindMessage(k);
  }
  return nullptr;
}

std::span<const MessageSpec> AllMessages() { return kMessages; }

}  // namespace berth::codec::proto
