#include "runtime_class_kind.h"

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {

RuntimeClassKind::RuntimeClassKind() {
  info_.group = "node.k8s.io";
  info_.version = "v1";
  info_.kind = "RuntimeClass";
  info_.plural = "runtimeclasses";
  info_.singular = "runtimeclass";
  info_.namespaced = false;
  info_.schema_name = "io.k8s.api.node.v1.RuntimeClass";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

// The apiserver's ValidateRuntimeClass: a handler that is a DNS label and
// never changes.
std::vector<FieldCause> RuntimeClassKind::Validate(const Json& obj,
                                                   const Json* old) const {
  std::vector<FieldCause> causes;
  const Json* handler = Member(obj, "handler");
  if (!handler || !handler->IsString() || handler->GetStringLength() == 0) {
    causes.push_back(field::Required("handler"));
    return causes;
  }
  const std::string value = handler->GetString();
  for (const auto& msg : IsDns1123Label(value)) {
    causes.push_back(field::Invalid("handler", value, msg));
  }
  if (old) {
    const Json* was = Member(*old, "handler");
    if (was && was->IsString() && value != was->GetString()) {
      causes.push_back(field::Invalid("handler", value, "field is immutable"));
    }
  }
  return causes;
}

std::vector<PrinterColumn> RuntimeClassKind::Columns() const {
  return {NameColumn(),
          StringColumn("Handler",
                       "handler specifies the underlying runtime and "
                       "configuration that the CRI implementation will use "
                       "to handle pods of this class."),
          AgeColumn()};
}

void RuntimeClassKind::Cells(const Json& obj,
                             std::chrono::system_clock::time_point now,
                             Json& cells, JsonAlloc& alloc) const {
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, Str(Find(obj, {"handler"})), alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

}  // namespace berth::core
