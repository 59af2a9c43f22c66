// Namespace, Node, ConfigMap, Secret, ServiceAccount and Event of core/v1.
#include "schema_registry.h"

namespace berth::core {

void AddClusterSchemas(std::vector<SchemaType>& out) {
  out.push_back({"Namespace",
                 "Namespace provides a scope for Names. Use of multiple "
                 "namespaces is optional.",
                 {{"apiVersion", "string"},
                  {"kind", "string"},
                  {"metadata", "ObjectMeta"},
                  {"spec", "NamespaceSpec",
                   "Spec defines the behavior of the Namespace."},
                  {"status", "NamespaceStatus",
                   "Status describes the current status of a Namespace."}},
                 {},
                 "Namespace"});
  out.push_back({"NamespaceSpec",
                 "NamespaceSpec describes the attributes on a Namespace.",
                 {{"finalizers", "[]string",
                   "Finalizers is an opaque list of values that must be empty "
                   "to permanently remove object from storage."}}});
  out.push_back({"NamespaceStatus",
                 "NamespaceStatus is information about the current status of a "
                 "Namespace.",
                 {{"conditions", "[]NamespaceCondition@type"},
                  {"phase", "string",
                   "Phase is the current lifecycle phase of the namespace."}}});
  out.push_back(
      {"NamespaceCondition",
       "NamespaceCondition contains details about state of namespace.",
       {{"lastTransitionTime", "Time"},
        {"message", "string"},
        {"reason", "string"},
        {"status", "string"},
        {"type", "string"}},
       {"type", "status"}});
  out.push_back(
      {"ConfigMap",
       "ConfigMap holds configuration data for pods to consume.",
       {{"apiVersion", "string"},
        {"binaryData", "{}byte", "BinaryData contains the binary data."},
        {"data", "{}string", "Data contains the configuration data."},
        {"immutable", "boolean"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"}},
       {},
       "ConfigMap"});
  out.push_back(
      {"Secret",
       "Secret holds secret data of a certain type. The total bytes "
       "of the values in the Data field must be less than "
       "MaxSecretSize bytes.",
       {{"apiVersion", "string"},
        {"data", "{}byte", "Data contains the secret data."},
        {"immutable", "boolean"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"stringData", "{}string",
         "stringData allows specifying non-binary secret data in string form."},
        {"type", "string",
         "Used to facilitate programmatic handling of secret data."}},
       {},
       "Secret"});
  out.push_back(
      {"ServiceAccount",
       "ServiceAccount binds together: * a name, understood by users, "
       "and perhaps by peripheral systems, for an identity * a "
       "principal that can be authenticated and authorized * a set "
       "of secrets",
       {{"apiVersion", "string"},
        {"automountServiceAccountToken", "boolean"},
        {"imagePullSecrets", "[]LocalObjectReference"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"secrets", "[]ObjectReference@name"}},
       {},
       "ServiceAccount"});
  out.push_back(
      {"Node",
       "Node is a worker node in Kubernetes. Each node will have a "
       "unique identifier in the cache (i.e. in etcd).",
       {{"apiVersion", "string"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"spec", "NodeSpec", "Spec defines the behavior of a node."},
        {"status", "NodeStatus", "Most recently observed status of the node."}},
       {},
       "Node"});
  out.push_back(
      {"NodeSpec",
       "NodeSpec describes the attributes that a node is created with.",
       {{"configSource", "object"},
        {"externalID", "string"},
        {"podCIDR", "string"},
        {"podCIDRs", "[]string"},
        {"providerID", "string"},
        {"taints", "[]Taint"},
        {"unschedulable", "boolean"}}});
  out.push_back({"Taint",
                 "The node this Taint is attached to has the \"effect\" on any "
                 "pod that does not tolerate the Taint.",
                 {{"effect", "string"},
                  {"key", "string"},
                  {"timeAdded", "Time"},
                  {"value", "string"}},
                 {"key", "effect"}});
  out.push_back(
      {"NodeStatus",
       "NodeStatus is information about the current status of a node.",
       {{"addresses", "[]NodeAddress@type"},
        {"allocatable", "{}Quantity"},
        {"capacity", "{}Quantity"},
        {"conditions", "[]NodeCondition@type"},
        {"config", "object"},
        {"daemonEndpoints", "NodeDaemonEndpoints"},
        {"features", "object"},
        {"images", "[]ContainerImage"},
        {"nodeInfo", "NodeSystemInfo"},
        {"phase", "string"},
        {"runtimeHandlers", "[]object"},
        {"volumesAttached", "[]AttachedVolume"},
        {"volumesInUse", "[]string"}}});
  out.push_back({"NodeAddress",
                 "NodeAddress contains information for the node's address.",
                 {{"address", "string"}, {"type", "string"}},
                 {"type", "address"}});
  out.push_back({"NodeCondition",
                 "NodeCondition contains condition information for a node.",
                 {{"lastHeartbeatTime", "Time"},
                  {"lastTransitionTime", "Time"},
                  {"message", "string"},
                  {"reason", "string"},
                  {"status", "string"},
                  {"type", "string"}},
                 {"type", "status"}});
  out.push_back(
      {"NodeDaemonEndpoints",
       "NodeDaemonEndpoints lists ports opened by daemons running on the Node.",
       {{"kubeletEndpoint", "DaemonEndpoint"}}});
  out.push_back(
      {"DaemonEndpoint",
       "DaemonEndpoint contains information about a single Daemon endpoint.",
       {{"Port", "integer"}},
       {"Port"}});
  out.push_back({"ContainerImage",
                 "Describe a container image",
                 {{"names", "[]string"}, {"sizeBytes", "int64"}}});
  out.push_back(
      {"NodeSystemInfo",
       "NodeSystemInfo is a set of ids/uuids to uniquely identify the node.",
       {{"architecture", "string"},
        {"bootID", "string"},
        {"containerRuntimeVersion", "string"},
        {"kernelVersion", "string"},
        {"kubeProxyVersion", "string"},
        {"kubeletVersion", "string"},
        {"machineID", "string"},
        {"operatingSystem", "string"},
        {"osImage", "string"},
        {"swap", "object"},
        {"systemUUID", "string"}}});
  out.push_back({"AttachedVolume",
                 "AttachedVolume describes a volume attached to a node",
                 {{"devicePath", "string"}, {"name", "string"}},
                 {"name", "devicePath"}});
  out.push_back({"Event",
                 "Event is a report of an event somewhere in the cluster.",
                 {{"action", "string"},
                  {"apiVersion", "string"},
                  {"count", "integer"},
                  {"eventTime", "MicroTime"},
                  {"firstTimestamp", "Time"},
                  {"involvedObject", "ObjectReference",
                   "The object that this event is about."},
                  {"kind", "string"},
                  {"lastTimestamp", "Time"},
                  {"message", "string"},
                  {"metadata", "ObjectMeta"},
                  {"reason", "string"},
                  {"related", "ObjectReference"},
                  {"reportingComponent", "string"},
                  {"reportingInstance", "string"},
                  {"series", "EventSeries"},
                  {"source", "EventSource"},
                  {"type", "string"}},
                 {"metadata", "involvedObject"},
                 "Event"});
  out.push_back({"EventSeries",
                 "EventSeries contain information on series of events, i.e. "
                 "thing that was/is happening continuously for some time.",
                 {{"count", "integer"}, {"lastObservedTime", "MicroTime"}}});
  out.push_back({"EventSource",
                 "EventSource contains information for an event.",
                 {{"component", "string"}, {"host", "string"}}});
  out.push_back({"io.k8s.api.coordination.v1.Lease",
                 "Lease defines a lease concept.",
                 {{"apiVersion", "string"},
                  {"kind", "string"},
                  {"metadata", "ObjectMeta"},
                  {"spec", "io.k8s.api.coordination.v1.LeaseSpec",
                   "spec contains the specification of the Lease."}},
                 {},
                 "Lease",
                 "",
                 "",
                 "coordination.k8s.io"});
  out.push_back(
      {"io.k8s.api.coordination.v1.LeaseSpec",
       "LeaseSpec is a specification of a Lease.",
       {{"acquireTime", "MicroTime",
         "acquireTime is a time when the current lease was acquired."},
        {"holderIdentity", "string",
         "holderIdentity contains the identity of the holder of a current "
         "lease."},
        {"leaseDurationSeconds", "integer",
         "leaseDurationSeconds is a duration that candidates for a lease need "
         "to wait to force acquire it."},
        {"leaseTransitions", "integer",
         "leaseTransitions is the number of transitions of a lease between "
         "holders."},
        {"preferredHolder", "string",
         "PreferredHolder signals to a lease holder that the lease has a more "
         "optimal holder and should be given up."},
        {"renewTime", "MicroTime",
         "renewTime is a time when the current holder of a lease has last "
         "updated the lease."},
        {"strategy", "string",
         "Strategy indicates the strategy for picking the leader for "
         "coordinated leader election."}}});
  out.push_back(
      {"io.k8s.api.node.v1.RuntimeClass",
       "RuntimeClass defines a class of container runtime supported in the "
       "cluster.",
       {{"apiVersion", "string"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"handler", "string",
         "handler specifies the underlying runtime and configuration that the "
         "CRI implementation will use to handle pods of this class."},
        {"overhead", "io.k8s.api.node.v1.Overhead",
         "overhead represents the resource overhead associated with running "
         "a pod for a given RuntimeClass."},
        {"scheduling", "io.k8s.api.node.v1.Scheduling",
         "scheduling holds the scheduling constraints to ensure that pods "
         "running with this RuntimeClass are scheduled to nodes that support "
         "it."}},
       {"handler"},
       "RuntimeClass",
       "",
       "",
       "node.k8s.io"});
  out.push_back({"io.k8s.api.node.v1.Overhead",
                 "Overhead structure represents the resource overhead "
                 "associated with running a pod.",
                 {{"podFixed", "{}Quantity"}}});
  out.push_back(
      {"io.k8s.api.node.v1.Scheduling",
       "Scheduling specifies the scheduling constraints for nodes "
       "supporting a RuntimeClass.",
       {{"nodeSelector", "{}string"}, {"tolerations", "[]Toleration"}}});
}

}  // namespace berth::core
