// ConfigMapKind: the core/v1 ConfigMap resource — key validation of data
// and binaryData, the immutable flag, and kubectl's columns.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_CONFIG_MAP_KIND_H_
#define BERTH_PLUGINS_CORE_CONFIG_MAP_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class ConfigMapKind : public Kind {
 public:
  ConfigMapKind();

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

// Causes for an object whose `immutable` was true in `old` and whose
// `data`/`binaryData` (or `immutable` itself) changed. Shared with Secret.
void ValidateImmutableData(const Json& obj, const Json* old,
                           std::vector<FieldCause>& causes);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_CONFIG_MAP_KIND_H_
