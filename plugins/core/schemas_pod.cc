// The Pod, PodSpec and container types of core/v1.
#include "schema_registry.h"

namespace berth::core {

void AddPodSchemas(std::vector<SchemaType>& out) {
  const std::vector<SchemaProp> container_props = {
      {"args", "[]string", "Arguments to the entrypoint."},
      {"command", "[]string", "Entrypoint array. Not executed within a shell."},
      {"env", "[]EnvVar@name",
       "List of environment variables to set in the container."},
      {"envFrom", "[]EnvFromSource",
       "List of sources to populate environment variables in the container."},
      {"image", "string", "Container image name."},
      {"imagePullPolicy", "string",
       "Image pull policy. One of Always, Never, IfNotPresent."},
      {"lifecycle", "Lifecycle",
       "Actions that the management system should take in response to "
       "container lifecycle events."},
      {"livenessProbe", "Probe", "Periodic probe of container liveness."},
      {"name", "string", "Name of the container specified as a DNS_LABEL."},
      {"ports", "[]ContainerPort@containerPort,protocol",
       "List of ports to expose from the container."},
      {"readinessProbe", "Probe",
       "Periodic probe of container service readiness."},
      {"resizePolicy", "[]ContainerResizePolicy",
       "Resources resize policy for the container."},
      {"resources", "ResourceRequirements",
       "Compute Resources required by this container."},
      {"restartPolicy", "string",
       "RestartPolicy defines the restart behavior of individual containers in "
       "a pod."},
      {"securityContext", "SecurityContext",
       "SecurityContext defines the security options the container should be "
       "run with."},
      {"startupProbe", "Probe",
       "StartupProbe indicates that the Pod has successfully initialized."},
      {"stdin", "boolean"},
      {"stdinOnce", "boolean"},
      {"terminationMessagePath", "string"},
      {"terminationMessagePolicy", "string"},
      {"tty", "boolean"},
      {"volumeDevices", "[]VolumeDevice@devicePath"},
      {"volumeMounts", "[]VolumeMount@mountPath",
       "Pod volumes to mount into the container's filesystem."},
      {"workingDir", "string", "Container's working directory."},
  };
  std::vector<SchemaProp> ephemeral_props = container_props;
  ephemeral_props.push_back({"targetContainerName", "string"});

  out.push_back(
      {"Pod",
       "Pod is a collection of containers that can run on a host. "
       "This resource is created by clients and scheduled onto hosts.",
       {{"apiVersion", "string",
         "APIVersion defines the versioned schema of this representation of an "
         "object."},
        {"kind", "string",
         "Kind is a string value representing the REST resource this object "
         "represents."},
        {"metadata", "ObjectMeta", "Standard object's metadata."},
        {"spec", "PodSpec",
         "Specification of the desired behavior of the pod."},
        {"status", "PodStatus", "Most recently observed status of the pod."}},
       {},
       "Pod"});
  out.push_back({"PodTemplateSpec",
                 "PodTemplateSpec describes the data a pod should have when "
                 "created from a template",
                 {{"metadata", "ObjectMeta", "Standard object's metadata."},
                  {"spec", "PodSpec",
                   "Specification of the desired behavior of the pod."}}});
  out.push_back(
      {"PodSpec",
       "PodSpec is a description of a pod.",
       {{"activeDeadlineSeconds", "int64"},
        {"affinity", "Affinity",
         "If specified, the pod's scheduling constraints"},
        {"automountServiceAccountToken", "boolean"},
        {"containers", "[]Container@name",
         "List of containers belonging to the pod."},
        {"dnsConfig", "PodDNSConfig"},
        {"dnsPolicy", "string", "Set DNS policy for the pod."},
        {"enableServiceLinks", "boolean"},
        {"ephemeralContainers", "[]EphemeralContainer@name"},
        {"hostAliases", "[]HostAlias@ip"},
        {"hostIPC", "boolean"},
        {"hostNetwork", "boolean", "Host networking requested for this pod."},
        {"hostPID", "boolean"},
        {"hostUsers", "boolean"},
        {"hostname", "string"},
        {"imagePullSecrets", "[]LocalObjectReference@name"},
        {"initContainers", "[]Container@name"},
        {"nodeName", "string",
         "NodeName indicates in which node this pod is scheduled."},
        {"nodeSelector", "{}string"},
        {"os", "PodOS"},
        {"overhead", "{}Quantity"},
        {"preemptionPolicy", "string"},
        {"priority", "integer"},
        {"priorityClassName", "string"},
        {"readinessGates", "[]PodReadinessGate"},
        {"resourceClaims", "[]PodResourceClaim@name"},
        {"resources", "ResourceRequirements"},
        {"restartPolicy", "string",
         "Restart policy for all containers within the pod."},
        {"runtimeClassName", "string"},
        {"schedulerName", "string"},
        {"schedulingGates", "[]PodSchedulingGate@name"},
        {"securityContext", "PodSecurityContext"},
        {"serviceAccount", "string"},
        {"serviceAccountName", "string"},
        {"setHostnameAsFQDN", "boolean"},
        {"shareProcessNamespace", "boolean"},
        {"subdomain", "string"},
        {"terminationGracePeriodSeconds", "int64"},
        {"tolerations", "[]Toleration"},
        {"topologySpreadConstraints",
         "[]TopologySpreadConstraint@topologyKey,whenUnsatisfiable"},
        {"volumes", "[]Volume@name"}},
       {"containers"}});
  out.push_back(
      {"Container",
       "A single application container that you want to run within a pod.",
       container_props,
       {"name"}});
  out.push_back({"EphemeralContainer",
                 "An EphemeralContainer is a temporary container that you may "
                 "add to an existing Pod for user-initiated activities such as "
                 "debugging.",
                 ephemeral_props,
                 {"name"}});
  out.push_back(
      {"ContainerPort",
       "ContainerPort represents a network port in a single container.",
       {{"containerPort", "integer"},
        {"hostIP", "string"},
        {"hostPort", "integer"},
        {"name", "string"},
        {"protocol", "string"}},
       {"containerPort"}});
  out.push_back(
      {"EnvVar",
       "EnvVar represents an environment variable present in a Container.",
       {{"name", "string"}, {"value", "string"}, {"valueFrom", "EnvVarSource"}},
       {"name"}});
  out.push_back({"EnvVarSource",
                 "EnvVarSource represents a source for the value of an EnvVar.",
                 {{"configMapKeyRef", "ConfigMapKeySelector"},
                  {"fieldRef", "ObjectFieldSelector"},
                  {"resourceFieldRef", "ResourceFieldSelector"},
                  {"secretKeyRef", "SecretKeySelector"}}});
  out.push_back(
      {"ConfigMapKeySelector",
       "Selects a key from a ConfigMap.",
       {{"key", "string"}, {"name", "string"}, {"optional", "boolean"}},
       {"key"}});
  out.push_back(
      {"SecretKeySelector",
       "SecretKeySelector selects a key of a Secret.",
       {{"key", "string"}, {"name", "string"}, {"optional", "boolean"}},
       {"key"}});
  out.push_back(
      {"ObjectFieldSelector",
       "ObjectFieldSelector selects an APIVersioned field of an object.",
       {{"apiVersion", "string"}, {"fieldPath", "string"}},
       {"fieldPath"}});
  out.push_back({"ResourceFieldSelector",
                 "ResourceFieldSelector represents container resources (cpu, "
                 "memory) and their output format",
                 {{"containerName", "string"},
                  {"divisor", "Quantity"},
                  {"resource", "string"}},
                 {"resource"}});
  out.push_back(
      {"EnvFromSource",
       "EnvFromSource represents the source of a set of ConfigMaps or Secrets",
       {{"configMapRef", "ConfigMapEnvSource"},
        {"prefix", "string"},
        {"secretRef", "SecretEnvSource"}}});
  out.push_back({"ConfigMapEnvSource",
                 "ConfigMapEnvSource selects a ConfigMap to populate the "
                 "environment variables with.",
                 {{"name", "string"}, {"optional", "boolean"}}});
  out.push_back({"SecretEnvSource",
                 "SecretEnvSource selects a Secret to populate the environment "
                 "variables with.",
                 {{"name", "string"}, {"optional", "boolean"}}});
  out.push_back(
      {"ResourceRequirements",
       "ResourceRequirements describes the compute resource requirements.",
       {{"claims", "[]ResourceClaim@name"},
        {"limits", "{}Quantity",
         "Limits describes the maximum amount of compute resources allowed."},
        {"requests", "{}Quantity",
         "Requests describes the minimum amount of compute resources "
         "required."}}});
  out.push_back(
      {"ResourceClaim",
       "ResourceClaim references one entry in PodSpec.ResourceClaims.",
       {{"name", "string"}, {"request", "string"}},
       {"name"}});
  out.push_back({"ContainerResizePolicy",
                 "ContainerResizePolicy represents resource resize policy for "
                 "the container.",
                 {{"resourceName", "string"}, {"restartPolicy", "string"}},
                 {"resourceName", "restartPolicy"}});
  out.push_back(
      {"VolumeMount",
       "VolumeMount describes a mounting of a Volume within a container.",
       {{"mountPath", "string"},
        {"mountPropagation", "string"},
        {"name", "string"},
        {"readOnly", "boolean"},
        {"recursiveReadOnly", "string"},
        {"subPath", "string"},
        {"subPathExpr", "string"}},
       {"name", "mountPath"}});
  out.push_back({"VolumeDevice",
                 "volumeDevice describes a mapping of a raw block device "
                 "within a container.",
                 {{"devicePath", "string"}, {"name", "string"}},
                 {"name", "devicePath"}});
  out.push_back({"Probe",
                 "Probe describes a health check to be performed against a "
                 "container to determine whether it is alive or ready to "
                 "receive traffic.",
                 {{"exec", "ExecAction"},
                  {"failureThreshold", "integer"},
                  {"grpc", "GRPCAction"},
                  {"httpGet", "HTTPGetAction"},
                  {"initialDelaySeconds", "integer"},
                  {"periodSeconds", "integer"},
                  {"successThreshold", "integer"},
                  {"tcpSocket", "TCPSocketAction"},
                  {"terminationGracePeriodSeconds", "int64"},
                  {"timeoutSeconds", "integer"}}});
  out.push_back({"ExecAction",
                 "ExecAction describes a \"run in container\" action.",
                 {{"command", "[]string"}}});
  out.push_back(
      {"HTTPGetAction",
       "HTTPGetAction describes an action based on HTTP Get requests.",
       {{"host", "string"},
        {"httpHeaders", "[]HTTPHeader"},
        {"path", "string"},
        {"port", "IntOrString"},
        {"scheme", "string"}},
       {"port"}});
  out.push_back(
      {"HTTPHeader",
       "HTTPHeader describes a custom header to be used in HTTP probes",
       {{"name", "string"}, {"value", "string"}},
       {"name", "value"}});
  out.push_back(
      {"TCPSocketAction",
       "TCPSocketAction describes an action based on opening a socket",
       {{"host", "string"}, {"port", "IntOrString"}},
       {"port"}});
  out.push_back({"GRPCAction",
                 "GRPCAction specifies an action involving a GRPC service.",
                 {{"port", "integer"}, {"service", "string"}},
                 {"port"}});
  out.push_back({"Lifecycle",
                 "Lifecycle describes actions that the management system "
                 "should take in response to container lifecycle events.",
                 {{"postStart", "LifecycleHandler"},
                  {"preStop", "LifecycleHandler"},
                  {"stopSignal", "string"}}});
  out.push_back({"LifecycleHandler",
                 "LifecycleHandler defines a specific action that should be "
                 "taken in a lifecycle hook.",
                 {{"exec", "ExecAction"},
                  {"httpGet", "HTTPGetAction"},
                  {"sleep", "SleepAction"},
                  {"tcpSocket", "TCPSocketAction"}}});
  out.push_back({"SleepAction",
                 "SleepAction describes a \"sleep\" action.",
                 {{"seconds", "int64"}},
                 {"seconds"}});
  out.push_back({"SecurityContext",
                 "SecurityContext holds security configuration that will be "
                 "applied to a container.",
                 {{"allowPrivilegeEscalation", "boolean"},
                  {"appArmorProfile", "AppArmorProfile"},
                  {"capabilities", "Capabilities"},
                  {"privileged", "boolean"},
                  {"procMount", "string"},
                  {"readOnlyRootFilesystem", "boolean"},
                  {"runAsGroup", "int64"},
                  {"runAsNonRoot", "boolean"},
                  {"runAsUser", "int64"},
                  {"seLinuxOptions", "SELinuxOptions"},
                  {"seccompProfile", "SeccompProfile"},
                  {"windowsOptions", "WindowsSecurityContextOptions"}}});
  out.push_back({"PodSecurityContext",
                 "PodSecurityContext holds pod-level security attributes and "
                 "common container settings.",
                 {{"appArmorProfile", "AppArmorProfile"},
                  {"fsGroup", "int64"},
                  {"fsGroupChangePolicy", "string"},
                  {"runAsGroup", "int64"},
                  {"runAsNonRoot", "boolean"},
                  {"runAsUser", "int64"},
                  {"seLinuxChangePolicy", "string"},
                  {"seLinuxOptions", "SELinuxOptions"},
                  {"seccompProfile", "SeccompProfile"},
                  {"supplementalGroups", "[]int64"},
                  {"supplementalGroupsPolicy", "string"},
                  {"sysctls", "[]Sysctl"},
                  {"windowsOptions", "WindowsSecurityContextOptions"}}});
  out.push_back({"Capabilities",
                 "Adds and removes POSIX capabilities from running containers.",
                 {{"add", "[]string"}, {"drop", "[]string"}}});
  out.push_back(
      {"AppArmorProfile",
       "AppArmorProfile defines a pod or container's AppArmor settings.",
       {{"localhostProfile", "string"}, {"type", "string"}},
       {"type"}});
  out.push_back(
      {"SeccompProfile",
       "SeccompProfile defines a pod/container's seccomp profile settings.",
       {{"localhostProfile", "string"}, {"type", "string"}},
       {"type"}});
  out.push_back({"SELinuxOptions",
                 "SELinuxOptions are the labels to be applied to the container",
                 {{"level", "string"},
                  {"role", "string"},
                  {"type", "string"},
                  {"user", "string"}}});
  out.push_back({"WindowsSecurityContextOptions",
                 "WindowsSecurityContextOptions contain Windows-specific "
                 "options and credentials.",
                 {{"gmsaCredentialSpec", "string"},
                  {"gmsaCredentialSpecName", "string"},
                  {"hostProcess", "boolean"},
                  {"runAsUserName", "string"}}});
  out.push_back({"Sysctl",
                 "Sysctl defines a kernel parameter to be set",
                 {{"name", "string"}, {"value", "string"}},
                 {"name", "value"}});
  out.push_back({"Affinity",
                 "Affinity is a group of affinity scheduling rules.",
                 {{"nodeAffinity", "NodeAffinity"},
                  {"podAffinity", "PodAffinity"},
                  {"podAntiAffinity", "PodAntiAffinity"}}});
  out.push_back(
      {"NodeAffinity",
       "Node affinity is a group of node affinity scheduling rules.",
       {{"preferredDuringSchedulingIgnoredDuringExecution",
         "[]PreferredSchedulingTerm"},
        {"requiredDuringSchedulingIgnoredDuringExecution", "NodeSelector"}}});
  out.push_back({"NodeSelector",
                 "A node selector represents the union of the results of one "
                 "or more label queries over a set of nodes.",
                 {{"nodeSelectorTerms", "[]NodeSelectorTerm"}},
                 {"nodeSelectorTerms"}});
  out.push_back({"NodeSelectorTerm",
                 "A null or empty node selector term matches no objects.",
                 {{"matchExpressions", "[]NodeSelectorRequirement"},
                  {"matchFields", "[]NodeSelectorRequirement"}}});
  out.push_back(
      {"NodeSelectorRequirement",
       "A node selector requirement is a selector that contains values, a key, "
       "and an operator.",
       {{"key", "string"}, {"operator", "string"}, {"values", "[]string"}},
       {"key", "operator"}});
  out.push_back({"PreferredSchedulingTerm",
                 "An empty preferred scheduling term matches all objects with "
                 "implicit weight 0.",
                 {{"preference", "NodeSelectorTerm"}, {"weight", "integer"}},
                 {"weight", "preference"}});
  const std::vector<SchemaProp> pod_affinity_props = {
      {"preferredDuringSchedulingIgnoredDuringExecution",
       "[]WeightedPodAffinityTerm"},
      {"requiredDuringSchedulingIgnoredDuringExecution", "[]PodAffinityTerm"}};
  out.push_back(
      {"PodAffinity",
       "Pod affinity is a group of inter pod affinity scheduling rules.",
       pod_affinity_props});
  out.push_back({"PodAntiAffinity",
                 "Pod anti affinity is a group of inter pod anti affinity "
                 "scheduling rules.",
                 pod_affinity_props});
  out.push_back({"PodAffinityTerm",
                 "Defines a set of pods that this pod should be co-located "
                 "(affinity) or not co-located (anti-affinity) with.",
                 {{"labelSelector", "LabelSelector"},
                  {"matchLabelKeys", "[]string"},
                  {"mismatchLabelKeys", "[]string"},
                  {"namespaceSelector", "LabelSelector"},
                  {"namespaces", "[]string"},
                  {"topologyKey", "string"}},
                 {"topologyKey"}});
  out.push_back(
      {"WeightedPodAffinityTerm",
       "The weights of all of the matched WeightedPodAffinityTerm fields are "
       "added per-node to find the most preferred node(s)",
       {{"podAffinityTerm", "PodAffinityTerm"}, {"weight", "integer"}},
       {"weight", "podAffinityTerm"}});
  out.push_back({"Toleration",
                 "The pod this Toleration is attached to tolerates any taint "
                 "that matches the triple <key,value,effect>.",
                 {{"effect", "string"},
                  {"key", "string"},
                  {"operator", "string"},
                  {"tolerationSeconds", "int64"},
                  {"value", "string"}}});
  out.push_back({"LocalObjectReference",
                 "LocalObjectReference contains enough information to let you "
                 "locate the referenced object inside the same namespace.",
                 {{"name", "string", "Name of the referent."}}});
  out.push_back({"PodDNSConfig",
                 "PodDNSConfig defines the DNS parameters of a pod in addition "
                 "to those generated from DNSPolicy.",
                 {{"nameservers", "[]string"},
                  {"options", "[]PodDNSConfigOption"},
                  {"searches", "[]string"}}});
  out.push_back({"PodDNSConfigOption",
                 "PodDNSConfigOption defines DNS resolver options of a pod.",
                 {{"name", "string"}, {"value", "string"}}});
  out.push_back({"HostAlias",
                 "HostAlias holds the mapping between IP and hostnames that "
                 "will be injected as an entry in the pod's hosts file.",
                 {{"hostnames", "[]string"}, {"ip", "string"}},
                 {"ip"}});
  out.push_back({"PodOS",
                 "PodOS defines the OS parameters of a pod.",
                 {{"name", "string"}},
                 {"name"}});
  out.push_back({"PodReadinessGate",
                 "PodReadinessGate contains the reference to a pod condition",
                 {{"conditionType", "string"}},
                 {"conditionType"}});
  out.push_back({"PodResourceClaim",
                 "PodResourceClaim references exactly one ResourceClaim.",
                 {{"name", "string"},
                  {"resourceClaimName", "string"},
                  {"resourceClaimTemplateName", "string"}},
                 {"name"}});
  out.push_back(
      {"PodSchedulingGate",
       "PodSchedulingGate is associated to a Pod to guard its scheduling.",
       {{"name", "string"}},
       {"name"}});
  out.push_back({"TopologySpreadConstraint",
                 "TopologySpreadConstraint specifies how to spread matching "
                 "pods among the given topology.",
                 {{"labelSelector", "LabelSelector"},
                  {"matchLabelKeys", "[]string"},
                  {"maxSkew", "integer"},
                  {"minDomains", "integer"},
                  {"nodeAffinityPolicy", "string"},
                  {"nodeTaintsPolicy", "string"},
                  {"topologyKey", "string"},
                  {"whenUnsatisfiable", "string"}},
                 {"maxSkew", "topologyKey", "whenUnsatisfiable"}});
  out.push_back(
      {"PodStatus",
       "PodStatus represents information about the status of a pod.",
       {{"conditions", "[]PodCondition@type", "Current service state of pod."},
        {"containerStatuses", "[]ContainerStatus"},
        {"ephemeralContainerStatuses", "[]ContainerStatus"},
        {"hostIP", "string"},
        {"hostIPs", "[]HostIP@ip"},
        {"initContainerStatuses", "[]ContainerStatus"},
        {"message", "string"},
        {"nominatedNodeName", "string"},
        {"phase", "string",
         "The phase of a Pod is a simple, high-level summary of where the Pod "
         "is in its lifecycle."},
        {"podIP", "string"},
        {"podIPs", "[]PodIP@ip"},
        {"qosClass", "string"},
        {"reason", "string"},
        {"resize", "string"},
        {"resourceClaimStatuses", "[]PodResourceClaimStatus@name"},
        {"startTime", "Time"}}});
  out.push_back({"HostIP",
                 "HostIP represents a single IP address allocated to the host.",
                 {{"ip", "string"}},
                 {"ip"}});
  out.push_back({"PodIP",
                 "PodIP represents a single IP address allocated to the pod.",
                 {{"ip", "string"}},
                 {"ip"}});
  out.push_back({"PodResourceClaimStatus",
                 "PodResourceClaimStatus is stored in the PodStatus for each "
                 "PodResourceClaim.",
                 {{"name", "string"}, {"resourceClaimName", "string"}},
                 {"name"}});
  out.push_back(
      {"PodCondition",
       "PodCondition contains details for the current condition of this pod.",
       {{"lastProbeTime", "Time"},
        {"lastTransitionTime", "Time"},
        {"message", "string"},
        {"observedGeneration", "int64"},
        {"reason", "string"},
        {"status", "string"},
        {"type", "string"}},
       {"type", "status"}});
  out.push_back({"ContainerStatus",
                 "ContainerStatus contains details for the current status of "
                 "this container.",
                 {{"allocatedResources", "{}Quantity"},
                  {"containerID", "string"},
                  {"image", "string"},
                  {"imageID", "string"},
                  {"lastState", "ContainerState"},
                  {"name", "string"},
                  {"ready", "boolean"},
                  {"resources", "ResourceRequirements"},
                  {"restartCount", "integer"},
                  {"started", "boolean"},
                  {"state", "ContainerState"},
                  {"stopSignal", "string"},
                  {"user", "object"},
                  {"volumeMounts", "[]VolumeMountStatus@mountPath"}},
                 {"name", "ready", "restartCount", "image", "imageID"}});
  out.push_back({"VolumeMountStatus",
                 "VolumeMountStatus shows status of volume mounts.",
                 {{"mountPath", "string"},
                  {"name", "string"},
                  {"readOnly", "boolean"},
                  {"recursiveReadOnly", "string"}},
                 {"name", "mountPath"}});
  out.push_back({"ContainerState",
                 "ContainerState holds a possible state of container. Only one "
                 "of its members may be specified.",
                 {{"running", "ContainerStateRunning"},
                  {"terminated", "ContainerStateTerminated"},
                  {"waiting", "ContainerStateWaiting"}}});
  out.push_back({"ContainerStateRunning",
                 "ContainerStateRunning is a running state of a container.",
                 {{"startedAt", "Time"}}});
  out.push_back(
      {"ContainerStateTerminated",
       "ContainerStateTerminated is a terminated state of a container.",
       {{"containerID", "string"},
        {"exitCode", "integer"},
        {"finishedAt", "Time"},
        {"message", "string"},
        {"reason", "string"},
        {"signal", "integer"},
        {"startedAt", "Time"}},
       {"exitCode"}});
  out.push_back({"ContainerStateWaiting",
                 "ContainerStateWaiting is a waiting state of a container.",
                 {{"message", "string"}, {"reason", "string"}}});
  out.push_back({"Quantity",
                 "Quantity is a fixed-point representation of a number.",
                 {},
                 {},
                 "",
                 "string"});
  out.push_back({"IntOrString",
                 "IntOrString is a type that can hold an int32 or a string.",
                 {},
                 {},
                 "",
                 "string",
                 "int-or-string"});
  out.push_back({"LabelSelector",
                 "A label selector is a label query over a set of resources.",
                 {{"matchExpressions", "[]LabelSelectorRequirement"},
                  {"matchLabels", "{}string"}}});
  out.push_back(
      {"LabelSelectorRequirement",
       "A label selector requirement is a selector that contains values, a "
       "key, and an operator that relates the key and values.",
       {{"key", "string"}, {"operator", "string"}, {"values", "[]string"}},
       {"key", "operator"}});
}

}  // namespace berth::core
