// RuntimeClassKind: the cluster-scoped node.k8s.io/v1 RuntimeClass — a
// name pods give in spec.runtimeClassName and the `handler` (the container
// runtime's name on the node: "runc", "crun", "process") the node agent
// runs them with. Validation (handler required, a DNS label, immutable),
// kubectl's columns (NAME HANDLER AGE) and the OpenAPI schema.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_RUNTIME_CLASS_KIND_H_
#define BERTH_PLUGINS_CORE_RUNTIME_CLASS_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class RuntimeClassKind : public Kind {
 public:
  RuntimeClassKind();

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

#endif  // BERTH_PLUGINS_CORE_RUNTIME_CLASS_KIND_H_
