// The Service and Endpoints types of core/v1.
#include "schema_registry.h"

namespace berth::core {

void AddServiceSchemas(std::vector<SchemaType>& out) {
  out.push_back(
      {"Service",
       "Service is a named abstraction of software service (for "
       "example, mysql) consisting of local port (for example 3306) "
       "that the proxy listens on, and the selector that determines "
       "which pods will answer requests sent through the proxy.",
       {{"apiVersion", "string"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"spec", "ServiceSpec", "Spec defines the behavior of a service."},
        {"status", "ServiceStatus",
         "Most recently observed status of the service."}},
       {},
       "Service"});
  out.push_back(
      {"ServiceSpec",
       "ServiceSpec describes the attributes that a user creates on a service.",
       {{"allocateLoadBalancerNodePorts", "boolean"},
        {"clusterIP", "string", "clusterIP is the IP address of the service."},
        {"clusterIPs", "[]string"},
        {"externalIPs", "[]string"},
        {"externalName", "string"},
        {"externalTrafficPolicy", "string"},
        {"healthCheckNodePort", "integer"},
        {"internalTrafficPolicy", "string"},
        {"ipFamilies", "[]string"},
        {"ipFamilyPolicy", "string"},
        {"loadBalancerClass", "string"},
        {"loadBalancerIP", "string"},
        {"loadBalancerSourceRanges", "[]string"},
        {"ports", "[]ServicePort@port,protocol",
         "The list of ports that are exposed by this service."},
        {"publishNotReadyAddresses", "boolean"},
        {"selector", "{}string",
         "Route service traffic to pods with label keys and values matching "
         "this selector."},
        {"sessionAffinity", "string"},
        {"sessionAffinityConfig", "SessionAffinityConfig"},
        {"trafficDistribution", "string"},
        {"type", "string", "type determines how the Service is exposed."}}});
  out.push_back(
      {"ServicePort",
       "ServicePort contains information on service's port.",
       {{"appProtocol", "string"},
        {"name", "string"},
        {"nodePort", "integer"},
        {"port", "integer", "The port that will be exposed by this service."},
        {"protocol", "string"},
        {"targetPort", "IntOrString",
         "Number or name of the port to access on the pods targeted by the "
         "service."}},
       {"port"}});
  out.push_back({"SessionAffinityConfig",
                 "SessionAffinityConfig represents the configurations of "
                 "session affinity.",
                 {{"clientIP", "ClientIPConfig"}}});
  out.push_back({"ClientIPConfig",
                 "ClientIPConfig represents the configurations of Client IP "
                 "based session affinity.",
                 {{"timeoutSeconds", "integer"}}});
  out.push_back({"ServiceStatus",
                 "ServiceStatus represents the current status of a service.",
                 {{"conditions", "[]Condition@type"},
                  {"loadBalancer", "LoadBalancerStatus"}}});
  out.push_back({"LoadBalancerStatus",
                 "LoadBalancerStatus represents the status of a load-balancer.",
                 {{"ingress", "[]LoadBalancerIngress"}}});
  out.push_back({"LoadBalancerIngress",
                 "LoadBalancerIngress represents the status of a load-balancer "
                 "ingress point.",
                 {{"hostname", "string"},
                  {"ip", "string"},
                  {"ipMode", "string"},
                  {"ports", "[]PortStatus"}}});
  out.push_back(
      {"PortStatus",
       "PortStatus represents the error condition of a service port",
       {{"error", "string"}, {"port", "integer"}, {"protocol", "string"}},
       {"port", "protocol"}});
  out.push_back(
      {"Condition",
       "Condition contains details for one aspect of the current state of this "
       "API Resource.",
       {{"lastTransitionTime", "Time"},
        {"message", "string"},
        {"observedGeneration", "int64"},
        {"reason", "string"},
        {"status", "string"},
        {"type", "string"}},
       {"type", "status", "lastTransitionTime", "reason", "message"}});
  out.push_back({"Endpoints",
                 "Endpoints is a collection of endpoints that implement the "
                 "actual service.",
                 {{"apiVersion", "string"},
                  {"kind", "string"},
                  {"metadata", "ObjectMeta"},
                  {"subsets", "[]EndpointSubset",
                   "The set of all endpoints is the union of all subsets."}},
                 {},
                 "Endpoints"});
  out.push_back(
      {"EndpointSubset",
       "EndpointSubset is a group of addresses with a common set of ports.",
       {{"addresses", "[]EndpointAddress"},
        {"notReadyAddresses", "[]EndpointAddress"},
        {"ports", "[]EndpointPort"}}});
  out.push_back({"EndpointAddress",
                 "EndpointAddress is a tuple that describes single IP address.",
                 {{"hostname", "string"},
                  {"ip", "string"},
                  {"nodeName", "string"},
                  {"targetRef", "ObjectReference"}},
                 {"ip"}});
  out.push_back({"EndpointPort",
                 "EndpointPort is a tuple that describes a single port.",
                 {{"appProtocol", "string"},
                  {"name", "string"},
                  {"port", "integer"},
                  {"protocol", "string"}},
                 {"port"}});
  out.push_back({"ObjectReference",
                 "ObjectReference contains enough information to let you "
                 "inspect or modify the referred object.",
                 {{"apiVersion", "string"},
                  {"fieldPath", "string"},
                  {"kind", "string"},
                  {"name", "string"},
                  {"namespace", "string"},
                  {"resourceVersion", "string"},
                  {"uid", "string"}}});
}

}  // namespace berth::core
