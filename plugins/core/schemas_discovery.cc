// The discovery.k8s.io/v1 types: EndpointSlice and what it holds.
#include "schema_registry.h"

namespace berth::core {

void AddDiscoverySchemas(std::vector<SchemaType>& out) {
  out.push_back(
      {"io.k8s.api.discovery.v1.EndpointSlice",
       "EndpointSlice represents a set of service endpoints. Most "
       "EndpointSlices are created by the EndpointSlice controller to "
       "represent the Pods selected by Service objects. For a given service "
       "there may be multiple EndpointSlice objects which must be joined to "
       "produce the full set of endpoints.",
       {{"addressType", "string",
         "addressType specifies the type of address carried by this "
         "EndpointSlice. All addresses in this slice must be the same type. "
         "This field is immutable after creation."},
        {"apiVersion", "string"},
        {"endpoints", "[]io.k8s.api.discovery.v1.Endpoint",
         "endpoints is a list of unique endpoints in this slice. Each slice "
         "may include a maximum of 1000 endpoints."},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"ports", "[]io.k8s.api.discovery.v1.EndpointPort",
         "ports specifies the list of network ports exposed by each endpoint "
         "in this slice."}},
       {"addressType", "endpoints"},
       "EndpointSlice",
       "",
       "",
       "discovery.k8s.io"});
  out.push_back(
      {"io.k8s.api.discovery.v1.Endpoint",
       "Endpoint represents a single logical \"backend\" implementing a "
       "service.",
       {{"addresses", "[]string",
         "addresses of this endpoint. For EndpointSlices of addressType IPv4 "
         "or IPv6, the values are IP addresses in canonical form."},
        {"conditions", "io.k8s.api.discovery.v1.EndpointConditions",
         "conditions contains information about the current status of the "
         "endpoint."},
        {"deprecatedTopology", "{}string"},
        {"hints", "io.k8s.api.discovery.v1.EndpointHints"},
        {"hostname", "string"},
        {"nodeName", "string",
         "nodeName represents the name of the Node hosting this endpoint."},
        {"targetRef", "ObjectReference",
         "targetRef is a reference to a Kubernetes object that represents "
         "this endpoint."},
        {"zone", "string"}},
       {"addresses"}});
  out.push_back(
      {"io.k8s.api.discovery.v1.EndpointConditions",
       "EndpointConditions represents the current condition of an endpoint.",
       {{"ready", "boolean",
         "ready indicates that this endpoint is ready to receive traffic, "
         "according to whatever system is managing the endpoint."},
        {"serving", "boolean"},
        {"terminating", "boolean"}}});
  out.push_back({"io.k8s.api.discovery.v1.EndpointHints",
                 "EndpointHints provides hints describing how an endpoint "
                 "should be consumed.",
                 {{"forNodes", "[]io.k8s.api.discovery.v1.ForNode"},
                  {"forZones", "[]io.k8s.api.discovery.v1.ForZone"}}});
  out.push_back({"io.k8s.api.discovery.v1.ForZone",
                 "ForZone provides information about which zones should "
                 "consume this endpoint.",
                 {{"name", "string"}},
                 {"name"}});
  out.push_back({"io.k8s.api.discovery.v1.ForNode",
                 "ForNode provides information about which nodes should "
                 "consume this endpoint.",
                 {{"name", "string"}},
                 {"name"}});
  out.push_back(
      {"io.k8s.api.discovery.v1.EndpointPort",
       "EndpointPort represents a Port used by an EndpointSlice",
       {{"appProtocol", "string"},
        {"name", "string", "name represents the name of this port."},
        {"port", "integer", "port represents the port number of the endpoint."},
        {"protocol", "string",
         "protocol represents the IP protocol for this port. Must be UDP, "
         "TCP, or SCTP. Default is TCP."}}});
}

}  // namespace berth::core
