#include "service_account_kind.h"

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {

ServiceAccountKind::ServiceAccountKind() {
  info_.version = "v1";
  info_.kind = "ServiceAccount";
  info_.plural = "serviceaccounts";
  info_.singular = "serviceaccount";
  info_.short_names = {"sa"};
  info_.schema_name = "io.k8s.api.core.v1.ServiceAccount";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

std::vector<PrinterColumn> ServiceAccountKind::Columns() const {
  return {NameColumn(),
          StringColumn("Secrets",
                       "Secrets is a list of the secrets in the same namespace "
                       "that pods running using this ServiceAccount are "
                       "allowed to use."),
          AgeColumn()};
}

void ServiceAccountKind::Cells(const Json& obj,
                               std::chrono::system_clock::time_point now,
                               Json& cells, JsonAlloc& alloc) const {
  const Json* secrets = Member(obj, "secrets");
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(
      cells,
      static_cast<int64_t>(secrets && secrets->IsArray() ? secrets->Size() : 0),
      alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

std::optional<std::string> ServiceAccountKind::MergeKey(
    const std::string& path) const {
  if (path == "secrets") return "name";
  return std::nullopt;
}

}  // namespace berth::core
