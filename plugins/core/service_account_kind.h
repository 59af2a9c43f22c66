// ServiceAccountKind: the core/v1 ServiceAccount resource — names, schema
// and kubectl's columns (NAME, SECRETS, AGE).
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_KIND_H_
#define BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class ServiceAccountKind : public Kind {
 public:
  ServiceAccountKind();

  const KindInfo& Info() const override { return info_; }
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::optional<std::string> MergeKey(const std::string& path) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_KIND_H_
