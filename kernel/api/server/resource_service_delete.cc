// ResourceService: deletion (grace periods, finalizers, propagation).
#include <chrono>
#include <optional>
#include <string_view>

#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/deletion_propagation.h"
#include "kernel/api/server/object_meta.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/server/stamped_object.h"
#include "kernel/api/server/stored_object_ops.h"
#include "kernel/api/server/version_conversion.h"

namespace berth::api {
namespace {

using object_ops::CompareAndWrite;
using object_ops::Current;
using object_ops::FinalizersOf;
using object_ops::IsRetry;
using object_ops::kMaxUpdateAttempts;
using object_ops::kModifiedDetail;
using object_ops::Parse;
using object_ops::SetFinalizers;

}  // namespace

StatusOr<store::Object> ResourceService::Delete(const Kind& kind,
                                                const std::string& ns,
                                                const std::string& name,
                                                const DeleteOptions& opts) {
  const KindInfo& info = kind.Info();
  const std::string key = Key(info, ns, name);
  auto propagation =
      ParsePropagation(opts.propagation_policy, opts.orphan_dependents);
  if (!propagation.ok()) return propagation.status();
  std::optional<store::Object> newer;
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    auto cur = Current(store_, key, &newer);
    if (!cur.ok()) {
      if (cur.status().IsNotFound()) return NotFoundError(info, name);
      return cur.status();
    }
    auto old_or = Parse(*cur);
    if (!old_or.ok()) return old_or.status();
    JsonDoc obj = std::move(old_or).value();
    if (!opts.precondition_uid.empty() &&
        opts.precondition_uid != GetString(obj, {"metadata", "uid"})) {
      return ConflictError(
          info, name,
          "Precondition failed: UID in precondition: " + opts.precondition_uid +
              ", UID in object meta: " + GetString(obj, {"metadata", "uid"}));
    }
    if (!opts.precondition_resource_version.empty() &&
        opts.precondition_resource_version !=
            std::to_string(cur->mod_revision)) {
      return ConflictError(
          info, name,
          "Precondition failed: ResourceVersion in precondition: " +
              opts.precondition_resource_version +
              ", ResourceVersion in object meta: " +
              std::to_string(cur->mod_revision));
    }
    if (Status s =
            RunAdmission(kind, AdmissionRequest::Operation::kDelete, "", ns,
                         name, opts.user, opts.dry_run, nullptr, obj);
        !s.ok()) {
      return s;
    }
    auto& a = obj.GetAllocator();
    const bool terminating = Find(obj, {"metadata", "deletionTimestamp"});
    // The propagation policy becomes the GC finalizers; on a terminating
    // object a new policy replaces the old one, as in Kubernetes.
    const std::vector<std::string> finalizers = FinalizersOf(obj);
    const std::vector<std::string> next_finalizers =
        FinalizersForDeletion(finalizers, *propagation);
    const bool finalizers_changed = next_finalizers != finalizers;
    if (finalizers_changed) SetFinalizers(obj, next_finalizers);
    const int64_t grace =
        kind.GracePeriodSeconds(obj, opts.grace_period_seconds);
    if (grace > 0) {
      // Graceful deletion: the object stays, terminating, until what runs
      // it deletes it with period 0. A repeated DELETE may only shorten the
      // period, counted from when it began (the apiserver's BeforeDelete).
      bool changed = finalizers_changed;
      Json& meta = obj["metadata"];
      const int64_t period =
          GetInt(obj, {"metadata", "deletionGracePeriodSeconds"}, -1);
      std::optional<std::chrono::system_clock::time_point> start =
          std::chrono::system_clock::now();
      if (terminating) {
        start = ParseTime(GetString(obj, {"metadata", "deletionTimestamp"}));
        if (start && period >= 0) *start -= std::chrono::seconds(period);
      }
      if (!terminating || (start && period >= 0 && grace < period)) {
        SetString(meta, "deletionTimestamp",
                  FormatTime(*start + std::chrono::seconds(grace)), a);
        SetMember(meta, "deletionGracePeriodSeconds", Json(grace), a);
        changed = true;
      }
      if (!changed || opts.dry_run) return std::move(cur).value();
      store::Attrs attrs = AttrsFor(kind, obj);
      StampedObject stamped = StampedObject::Make(obj, a);
      auto written = CompareAndWrite(store_, key, cur->mod_revision, stamped,
                                     attrs, &newer);
      if (!written.ok() && IsRetry(written.status())) continue;
      return written;
    }
    bool keep = !next_finalizers.empty();
    if (!keep)
      keep = kind.PrepareForDelete(obj, a) == DeleteAction::kMarkDeleting;
    // Deleting a terminating object again changes nothing, unless what held
    // it is gone (a Namespace whose spec.finalizers were emptied) or the
    // propagation policy changed.
    if (keep && terminating && !finalizers_changed) {
      return std::move(cur).value();
    }
    if (opts.dry_run) return std::move(cur).value();
    const uint64_t seen = cur->mod_revision;
    if (keep) {
      Json& meta = obj["metadata"];
      if (!terminating) {
        SetString(meta, "deletionTimestamp", NowRfc3339(), a);
        SetMember(meta, "deletionGracePeriodSeconds", Json(int64_t{0}), a);
      }
      store::Attrs attrs = AttrsFor(kind, obj);
      StampedObject stamped = StampedObject::Make(obj, a);
      auto written = CompareAndWrite(store_, key, seen, stamped, attrs, &newer);
      if (!written.ok() && IsRetry(written.status())) continue;
      return written;
    }
    auto deleted = store_->Delete(key,
                                  [&](const store::Object& current,
                                      uint64_t rev) -> StatusOr<std::string> {
                                    if (current.mod_revision != seen) {
                                      newer = current;
                                      return object_ops::RetryStatus();
                                    }
                                    return EncodeWithRevision(obj, a, rev);
                                  });
    if (!deleted.ok()) {
      if (IsRetry(deleted.status())) continue;
      if (deleted.status().IsNotFound()) return NotFoundError(info, name);
      return deleted.status();
    }
    kind.AfterDelete(obj);
    return deleted;
  }
  return ConflictError(info, name, kModifiedDetail);
}

}  // namespace berth::api
