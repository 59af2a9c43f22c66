#include "plugins/common/k8s_proto/core_v1_proto.h"

#include <utility>

#include "plugins/common/k8s_proto/proto_fields.h"

namespace berth::k8s_proto {
namespace {

constexpr ProtoField kNamespace[] = {Meta(), Msg(2, "spec", "NamespaceSpec")};
constexpr ProtoField kNamespaceSpec[] = {Str(1, "finalizers", kRep)};
constexpr ProtoField kSecret[] = {
    Meta(),
    Bool(5, "immutable", kPtr),
    Bytes(2, "data", kMap),
    Str(4, "stringData", kMap),
    Str(3, "type"),
};
constexpr ProtoField kConfigMap[] = {
    Meta(),
    Bool(4, "immutable", kPtr),
    Str(2, "data", kMap),
    Bytes(3, "binaryData", kMap),
};
constexpr ProtoField kServiceAccount[] = {
    Meta(),
    Msg(2, "secrets", "ObjectReference", kRep),
    Msg(3, "imagePullSecrets", "LocalObjectReference", kRep),
    Bool(4, "automountServiceAccountToken", kPtr),
};
constexpr ProtoField kObjectReference[] = {
    Str(1, "kind"),      Str(2, "namespace"),  Str(3, "name"),
    Str(4, "uid"),       Str(5, "apiVersion"), Str(6, "resourceVersion"),
    Str(7, "fieldPath"),
};
constexpr ProtoField kLocalObjectReference[] = {Str(1, "name")};
constexpr ProtoField kService[] = {Meta(), Msg(2, "spec", "ServiceSpec")};
constexpr ProtoField kServiceSpec[] = {
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
constexpr ProtoField kServicePort[] = {
    Str(1, "name"), Str(2, "protocol"),      Str(6, "appProtocol", kPtr),
    I32(3, "port"), IntStr(4, "targetPort"), I32(5, "nodePort"),
};
constexpr ProtoField kSessionAffinityConfig[] = {
    Msg(1, "clientIP", "ClientIPConfig", kPtr),
};
constexpr ProtoField kClientIPConfig[] = {I32(1, "timeoutSeconds", kPtr)};

constexpr ProtoField kPod[] = {Meta(), Msg(2, "spec", "PodSpec")};
constexpr ProtoField kPodTemplateSpec[] = {Meta(), Msg(2, "spec", "PodSpec")};
constexpr ProtoField kPodSpec[] = {
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
constexpr ProtoField kContainer[] = {
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
constexpr ProtoField kContainerPort[] = {
    Str(1, "name"),     I32(2, "hostPort"), I32(3, "containerPort"),
    Str(4, "protocol"), Str(5, "hostIP"),
};
constexpr ProtoField kEnvVar[] = {
    Str(1, "name"),
    Str(2, "value"),
    Msg(3, "valueFrom", "EnvVarSource", kPtr),
};
constexpr ProtoField kEnvVarSource[] = {
    Msg(1, "fieldRef", "ObjectFieldSelector", kPtr),
    Msg(2, "resourceFieldRef", "ResourceFieldSelector", kPtr),
    Msg(3, "configMapKeyRef", "ConfigMapKeySelector", kPtr),
    Msg(4, "secretKeyRef", "SecretKeySelector", kPtr),
};
// Also the shape of SecretKeySelector.
constexpr ProtoField kConfigMapKeySelector[] = {
    Inline(1, "LocalObjectReference"),
    Str(2, "key"),
    Bool(3, "optional", kPtr),
};
constexpr ProtoField kObjectFieldSelector[] = {Str(1, "apiVersion"),
                                               Str(2, "fieldPath")};
constexpr ProtoField kResourceFieldSelector[] = {
    Str(1, "containerName"),
    Str(2, "resource"),
    Qty(3, "divisor"),
};
constexpr ProtoField kEnvFromSource[] = {
    Str(1, "prefix"),
    Msg(2, "configMapRef", "ConfigMapEnvSource", kPtr),
    Msg(3, "secretRef", "SecretEnvSource", kPtr),
};
// Also the shape of SecretEnvSource.
constexpr ProtoField kConfigMapEnvSource[] = {
    Inline(1, "LocalObjectReference"),
    Bool(2, "optional", kPtr),
};
constexpr ProtoField kResourceRequirements[] = {
    Qty(1, "limits", kMap),
    Qty(2, "requests", kMap),
    Msg(3, "claims", "ResourceClaim", kRep),
};
constexpr ProtoField kResourceClaim[] = {Str(1, "name"), Str(2, "request")};
constexpr ProtoField kVolumeMount[] = {
    Str(1, "name"),
    Bool(2, "readOnly"),
    Str(7, "recursiveReadOnly", kPtr),
    Str(3, "mountPath"),
    Str(4, "subPath"),
    Str(5, "mountPropagation", kPtr),
    Str(6, "subPathExpr"),
};
constexpr ProtoField kProbe[] = {
    Inline(1, "ProbeHandler"),
    I32(2, "initialDelaySeconds"),
    I32(3, "timeoutSeconds"),
    I32(4, "periodSeconds"),
    I32(5, "successThreshold"),
    I32(6, "failureThreshold"),
    I64(7, "terminationGracePeriodSeconds", kPtr),
};
constexpr ProtoField kProbeHandler[] = {
    Msg(1, "exec", "ExecAction", kPtr),
    Msg(2, "httpGet", "HTTPGetAction", kPtr),
    Msg(3, "tcpSocket", "TCPSocketAction", kPtr),
    Msg(4, "grpc", "GRPCAction", kPtr),
};
constexpr ProtoField kLifecycle[] = {
    Msg(1, "postStart", "LifecycleHandler", kPtr),
    Msg(2, "preStop", "LifecycleHandler", kPtr),
    Str(3, "stopSignal", kPtr),
};
constexpr ProtoField kLifecycleHandler[] = {
    Msg(1, "exec", "ExecAction", kPtr),
    Msg(2, "httpGet", "HTTPGetAction", kPtr),
    Msg(3, "tcpSocket", "TCPSocketAction", kPtr),
    Msg(4, "sleep", "SleepAction", kPtr),
};
constexpr ProtoField kExecAction[] = {Str(1, "command", kRep)};
constexpr ProtoField kHTTPGetAction[] = {
    Str(1, "path"),
    IntStr(2, "port"),
    Str(3, "host"),
    Str(4, "scheme"),
    Msg(5, "httpHeaders", "HTTPHeader", kRep),
};
constexpr ProtoField kHTTPHeader[] = {Str(1, "name"), Str(2, "value")};
constexpr ProtoField kTCPSocketAction[] = {IntStr(1, "port"), Str(2, "host")};
constexpr ProtoField kGRPCAction[] = {I32(1, "port"), Str(2, "service", kPtr)};
constexpr ProtoField kSleepAction[] = {I64(1, "seconds")};
constexpr ProtoField kSecurityContext[] = {
    Msg(1, "capabilities", "Capabilities", kPtr),
    Bool(2, "privileged", kPtr),
    I64(4, "runAsUser", kPtr),
    I64(8, "runAsGroup", kPtr),
    Bool(5, "runAsNonRoot", kPtr),
    Bool(6, "readOnlyRootFilesystem", kPtr),
    Bool(7, "allowPrivilegeEscalation", kPtr),
    Str(9, "procMount", kPtr),
};
constexpr ProtoField kCapabilities[] = {Str(1, "add", kRep),
                                        Str(2, "drop", kRep)};
constexpr ProtoField kPodSecurityContext[] = {
    I64(2, "runAsUser", kPtr),
    I64(6, "runAsGroup", kPtr),
    Bool(3, "runAsNonRoot", kPtr),
    I64(4, "supplementalGroups", kRep),
    I64(5, "fsGroup", kPtr),
    Msg(7, "sysctls", "Sysctl", kRep),
    Str(9, "fsGroupChangePolicy", kPtr),
};
constexpr ProtoField kSysctl[] = {Str(1, "name"), Str(2, "value")};
constexpr ProtoField kToleration[] = {
    Str(1, "key"),
    Str(2, "operator"),
    Str(3, "value"),
    Str(4, "effect"),
    I64(5, "tolerationSeconds", kPtr),
};
constexpr ProtoField kVolume[] = {Str(1, "name"), Inline(2, "VolumeSource")};
constexpr ProtoField kVolumeSource[] = {
    Msg(1, "hostPath", "HostPathVolumeSource", kPtr),
    Msg(2, "emptyDir", "EmptyDirVolumeSource", kPtr),
    Msg(6, "secret", "SecretVolumeSource", kPtr),
    Msg(7, "nfs", "NFSVolumeSource", kPtr),
    Msg(10, "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource", kPtr),
    Msg(16, "downwardAPI", "DownwardAPIVolumeSource", kPtr),
    Msg(19, "configMap", "ConfigMapVolumeSource", kPtr),
};
constexpr ProtoField kHostPathVolumeSource[] = {Str(1, "path"),
                                                Str(2, "type", kPtr)};
constexpr ProtoField kEmptyDirVolumeSource[] = {Str(1, "medium"),
                                                Qty(2, "sizeLimit", kPtr)};
constexpr ProtoField kSecretVolumeSource[] = {
    Str(1, "secretName"),
    Msg(2, "items", "KeyToPath", kRep),
    I32(3, "defaultMode", kPtr),
    Bool(4, "optional", kPtr),
};
constexpr ProtoField kConfigMapVolumeSource[] = {
    Inline(1, "LocalObjectReference"),
    Msg(2, "items", "KeyToPath", kRep),
    I32(3, "defaultMode", kPtr),
    Bool(4, "optional", kPtr),
};
constexpr ProtoField kKeyToPath[] = {Str(1, "key"), Str(2, "path"),
                                     I32(3, "mode", kPtr)};
constexpr ProtoField kNFSVolumeSource[] = {Str(1, "server"), Str(2, "path"),
                                           Bool(3, "readOnly")};
constexpr ProtoField kPersistentVolumeClaimVolumeSource[] = {
    Str(1, "claimName"), Bool(2, "readOnly")};
constexpr ProtoField kDownwardAPIVolumeSource[] = {
    Msg(1, "items", "DownwardAPIVolumeFile", kRep),
    I32(2, "defaultMode", kPtr),
};
constexpr ProtoField kDownwardAPIVolumeFile[] = {
    Str(1, "path"),
    Msg(2, "fieldRef", "ObjectFieldSelector", kPtr),
    Msg(3, "resourceFieldRef", "ResourceFieldSelector", kPtr),
    I32(4, "mode", kPtr),
};

constexpr ProtoMessage kMessages[] = {
    {"Namespace", kNamespace},
    {"NamespaceSpec", kNamespaceSpec},
    {"Secret", kSecret},
    {"ConfigMap", kConfigMap},
    {"ServiceAccount", kServiceAccount},
    {"ObjectReference", kObjectReference},
    {"LocalObjectReference", kLocalObjectReference},
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
    {"ObjectFieldSelector", kObjectFieldSelector},
    {"ResourceFieldSelector", kResourceFieldSelector},
    {"EnvFromSource", kEnvFromSource},
    {"ConfigMapEnvSource", kConfigMapEnvSource},
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
    {"SecretKeySelector", kConfigMapKeySelector},
    {"SecretEnvSource", kConfigMapEnvSource},
};

}  // namespace

std::span<const ProtoMessage> CoreV1Messages() { return kMessages; }

ProtobufSchema MakeSchema(
    std::string api_version, std::string kind,
    std::initializer_list<std::span<const ProtoMessage>> lists) {
  ProtobufSchema schema;
  schema.api_version = std::move(api_version);
  schema.kind = std::move(kind);
  for (std::span<const ProtoMessage> list : lists) {
    schema.messages.insert(schema.messages.end(), list.begin(), list.end());
  }
  return schema;
}

}  // namespace berth::k8s_proto
