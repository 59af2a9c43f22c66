// The networking.k8s.io/v1 NetworkPolicy types as Kubernetes 1.32 serves
// them, in the core schema registry's compact form.
#include "network_policy_schemas.h"

#include <vector>

#include "schema_registry.h"

namespace berth::policy {

using core::SchemaType;

std::string NetworkPolicySchemasJson() {
  const std::vector<SchemaType> types = {
      {"io.k8s.api.networking.v1.NetworkPolicy",
       "NetworkPolicy describes what network traffic is allowed for a set of "
       "Pods",
       {{"apiVersion", "string"},
        {"kind", "string"},
        {"metadata", "ObjectMeta"},
        {"spec", "io.k8s.api.networking.v1.NetworkPolicySpec",
         "spec represents the specification of the desired behavior for this "
         "NetworkPolicy."}},
       {},
       "NetworkPolicy",
       "",
       "",
       "networking.k8s.io"},
      {"io.k8s.api.networking.v1.NetworkPolicySpec",
       "NetworkPolicySpec provides the specification of a NetworkPolicy",
       {{"egress", "[]io.k8s.api.networking.v1.NetworkPolicyEgressRule",
         "egress is a list of egress rules to be applied to the selected "
         "pods. Outgoing traffic is allowed if there are no NetworkPolicies "
         "selecting the pod (and cluster policy otherwise allows the "
         "traffic), OR if the traffic matches at least one egress rule "
         "across all of the NetworkPolicy objects whose podSelector matches "
         "the pod."},
        {"ingress", "[]io.k8s.api.networking.v1.NetworkPolicyIngressRule",
         "ingress is a list of ingress rules to be applied to the selected "
         "pods. Traffic is allowed to a pod if there are no NetworkPolicies "
         "selecting the pod (and cluster policy otherwise allows the "
         "traffic), OR if the traffic source is the pod's local node, OR if "
         "the traffic matches at least one ingress rule across all of the "
         "NetworkPolicy objects whose podSelector matches the pod."},
        {"podSelector", "LabelSelector",
         "podSelector selects the pods to which this NetworkPolicy object "
         "applies. The array of ingress rules is applied to any pods "
         "selected by this field. An empty selector matches all pods in "
         "this namespace."},
        {"policyTypes", "[]string",
         "policyTypes is a list of rule types that the NetworkPolicy relates "
         "to. Valid options are [\"Ingress\"], [\"Egress\"], or "
         "[\"Ingress\", \"Egress\"]."}}},
      {"io.k8s.api.networking.v1.NetworkPolicyIngressRule",
       "NetworkPolicyIngressRule describes a particular set of traffic that "
       "is allowed to the pods matched by a NetworkPolicySpec's podSelector. "
       "The traffic must match both ports and from.",
       {{"from", "[]io.k8s.api.networking.v1.NetworkPolicyPeer",
         "from is a list of sources which should be able to access the pods "
         "selected for this rule."},
        {"ports", "[]io.k8s.api.networking.v1.NetworkPolicyPort",
         "ports is a list of ports which should be made accessible on the "
         "pods selected for this rule."}}},
      {"io.k8s.api.networking.v1.NetworkPolicyEgressRule",
       "NetworkPolicyEgressRule describes a particular set of traffic that "
       "is allowed out of pods matched by a NetworkPolicySpec's podSelector. "
       "The traffic must match both ports and to.",
       {{"ports", "[]io.k8s.api.networking.v1.NetworkPolicyPort",
         "ports is a list of destination ports for outgoing traffic."},
        {"to", "[]io.k8s.api.networking.v1.NetworkPolicyPeer",
         "to is a list of destinations for outgoing traffic of pods selected "
         "for this rule."}}},
      {"io.k8s.api.networking.v1.NetworkPolicyPeer",
       "NetworkPolicyPeer describes a peer to allow traffic to/from. Only "
       "certain combinations of fields are allowed",
       {{"ipBlock", "io.k8s.api.networking.v1.IPBlock",
         "ipBlock defines policy on a particular IPBlock."},
        {"namespaceSelector", "LabelSelector",
         "namespaceSelector selects namespaces using cluster-scoped labels."},
        {"podSelector", "LabelSelector",
         "podSelector is a label selector which selects pods."}}},
      {"io.k8s.api.networking.v1.NetworkPolicyPort",
       "NetworkPolicyPort describes a port to allow traffic on",
       {{"endPort", "integer",
         "endPort indicates that the range of ports from port to endPort if "
         "set, inclusive, should be allowed by the policy."},
        {"port", "IntOrString",
         "port represents the port on the given protocol. This can either be "
         "a numerical or named port on a pod."},
        {"protocol", "string",
         "protocol represents the protocol (TCP, UDP, or SCTP) which traffic "
         "must match. If not specified, this field defaults to TCP."}}},
      {"io.k8s.api.networking.v1.IPBlock",
       "IPBlock describes a particular CIDR (Ex. \"192.168.1.0/24\",\"2001:"
       "db8::/64\") that is allowed to the pods matched by a "
       "NetworkPolicySpec's podSelector.",
       {{"cidr", "string",
         "cidr is a string representing the IPBlock Valid examples are "
         "\"192.168.1.0/24\" or \"2001:db8::/64\""},
        {"except", "[]string",
         "except is a slice of CIDRs that should not be included within an "
         "IPBlock Valid examples are \"192.168.1.0/24\" or \"2001:db8::/64\" "
         "Except values will be rejected if they are outside the cidr range"}},
       {"cidr"}},
  };
  return core::SchemaClosureJson({"io.k8s.api.networking.v1.NetworkPolicy"},
                                 types);
}

}  // namespace berth::policy
