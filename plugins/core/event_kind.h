// EventKind: the core/v1 Event resource — kubectl's event columns (LAST
// SEEN, TYPE, REASON, OBJECT, MESSAGE, and the wide ones) and the field
// selectors `kubectl describe` uses (involvedObject.*).
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_EVENT_KIND_H_
#define BERTH_PLUGINS_CORE_EVENT_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class EventKind : public Kind {
 public:
  EventKind();

  const KindInfo& Info() const override { return info_; }
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  // As kubectl prints events, the name column comes last and only with -o
  // wide.
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::vector<std::string> SelectableFields() const override;
  std::map<std::string, std::string> FieldValues(
      const Json& obj) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_EVENT_KIND_H_
