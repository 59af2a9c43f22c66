#include "lease_kind.h"

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {

LeaseKind::LeaseKind() {
  info_.group = "coordination.k8s.io";
  info_.version = "v1";
  info_.kind = "Lease";
  info_.plural = "leases";
  info_.singular = "lease";
  info_.schema_name = "io.k8s.api.coordination.v1.Lease";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

// The apiserver's ValidateLeaseSpec: durations and counts are positive.
std::vector<FieldCause> LeaseKind::Validate(const Json& obj,
                                            const Json* old) const {
  std::vector<FieldCause> causes;
  const Json* spec = Member(obj, "spec");
  if (!spec || !spec->IsObject()) return causes;
  if (const Json* d = Member(*spec, "leaseDurationSeconds");
      d && d->IsInt64() && d->GetInt64() <= 0) {
    causes.push_back(field::InvalidNumber(
        "spec.leaseDurationSeconds", d->GetInt64(), "must be greater than 0"));
  }
  if (const Json* t = Member(*spec, "leaseTransitions");
      t && t->IsInt64() && t->GetInt64() < 0) {
    causes.push_back(
        field::InvalidNumber("spec.leaseTransitions", t->GetInt64(),
                             "must be greater than or equal to 0"));
  }
  return causes;
}

std::vector<PrinterColumn> LeaseKind::Columns() const {
  return {NameColumn(),
          StringColumn("Holder",
                       "holderIdentity contains the identity of the holder of "
                       "a current lease."),
          AgeColumn()};
}

void LeaseKind::Cells(const Json& obj,
                      std::chrono::system_clock::time_point now, Json& cells,
                      JsonAlloc& alloc) const {
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, Str(Find(obj, {"spec", "holderIdentity"})), alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

}  // namespace berth::core
