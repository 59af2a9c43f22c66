// EndpointsKind: the core/v1 Endpoints resource — address and port checks
// and kubectl's ENDPOINTS column ("10.0.0.1:80,10.0.0.2:80 + 1 more...").
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_ENDPOINTS_KIND_H_
#define BERTH_PLUGINS_CORE_ENDPOINTS_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class EndpointsKind : public Kind {
 public:
  EndpointsKind();

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

// kubectl's formatEndpoints: up to three "ip:port" entries, then
// " + N more...", "<none>" when empty.
std::string FormatEndpoints(const Json& endpoints);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINTS_KIND_H_
