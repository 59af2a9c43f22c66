// NetworkPolicyKind: the namespaced networking.k8s.io/v1 NetworkPolicy
// resource (short name netpol). Defaulting as the apiserver's (a port's
// protocol TCP; policyTypes Ingress, plus Egress when egress rules are
// present), ValidateNetworkPolicy's checks and messages (selectors, ports
// with protocol/port/endPort, peers, ipBlock cidr and except as strict
// subsets, policyTypes), and kubectl's columns NAME POD-SELECTOR AGE.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_NETWORK_POLICY_NETWORK_POLICY_KIND_H_
#define BERTH_PLUGINS_NETWORK_POLICY_NETWORK_POLICY_KIND_H_

#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::policy {

class NetworkPolicyKind : public Kind {
 public:
  NetworkPolicyKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

}  // namespace berth::policy

#endif  // BERTH_PLUGINS_NETWORK_POLICY_NETWORK_POLICY_KIND_H_
