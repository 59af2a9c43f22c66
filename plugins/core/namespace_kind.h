// NamespaceKind: the core/v1 Namespace resource. A Namespace is created
// with the "kubernetes" finalizer in spec.finalizers; DELETE then only marks
// it Terminating, and the namespace controller empties it, drops the
// finalizer and deletes it for good.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_NAMESPACE_KIND_H_
#define BERTH_PLUGINS_CORE_NAMESPACE_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class NamespaceKind : public Kind {
 public:
  NamespaceKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  // kMarkDeleting (and status.phase=Terminating) while spec.finalizers is
  // non-empty, else kDelete.
  DeleteAction PrepareForDelete(Json& obj, JsonAlloc& alloc) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::vector<std::string> SelectableFields() const override;
  std::map<std::string, std::string> FieldValues(
      const Json& obj) const override;
  std::optional<std::string> MergeKey(const std::string& path) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NAMESPACE_KIND_H_
