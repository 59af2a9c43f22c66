// EndpointSliceKind: the namespaced discovery.k8s.io/v1 EndpointSlice
// resource — the endpoints of a Service in slices of at most 100 (as the
// endpointslice controller writes them) or made by hand. Defaulting and
// validation as the apiserver's (addressType IPv4/IPv6/FQDN and immutable,
// addresses of that type, nodeName, hostname, unique port names,
// protocols, appProtocol), and kubectl's columns NAME ADDRESSTYPE PORTS
// ENDPOINTS AGE.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_ENDPOINT_SLICE_KIND_H_
#define BERTH_PLUGINS_CORE_ENDPOINT_SLICE_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class EndpointSliceKind : public Kind {
 public:
  EndpointSliceKind();

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

// kubectl's formatDiscoveryPorts and formatDiscoveryEndpoints: up to three
// ports (number, else name, else "*") or addresses, then " + N more...";
// "<unset>" when there are none.
std::string FormatSlicePorts(const Json& slice);
std::string FormatSliceEndpoints(const Json& slice);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINT_SLICE_KIND_H_
