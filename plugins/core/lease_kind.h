// LeaseKind: the namespaced coordination.k8s.io/v1 Lease resource — what
// nodes renew in kube-node-lease to say they are alive, and what leader
// election holds. Validation of the spec numbers, kubectl's columns
// (NAME HOLDER AGE) and the OpenAPI schema.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_LEASE_KIND_H_
#define BERTH_PLUGINS_CORE_LEASE_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class LeaseKind : public Kind {
 public:
  LeaseKind();

  const KindInfo& Info() const override { return info_; }
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

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_LEASE_KIND_H_
