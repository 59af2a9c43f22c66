// ResourceService: updates, patches and the scale subresource (the
// read-modify-write loop).
#include <algorithm>
#include <optional>
#include <string_view>

#include "kernel/api/apply/field_manager.h"
#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/object_meta.h"
#include "kernel/api/server/patching.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/server/stamped_object.h"
#include "kernel/api/server/stored_object_ops.h"
#include "kernel/api/server/version_conversion.h"

namespace berth::api {
namespace {

using object_ops::CheckTypeMeta;
using object_ops::CompareAndWrite;
using object_ops::Copy;
using object_ops::Current;
using object_ops::FieldContext;
using object_ops::HasFinalizers;
using object_ops::IsRetry;
using object_ops::KeepSystemMetadata;
using object_ops::kMaxUpdateAttempts;
using object_ops::kModifiedDetail;
using object_ops::Parse;
using object_ops::SameObject;
using object_ops::SpecEqual;

}  // namespace

StatusOr<WriteResult> ResourceService::UpdateLoop(
    const Kind& kind, const std::string& ns, const std::string& name,
    const std::string& subresource, const Mutator& mutate,
    const WriteOptions& opts, bool applied, bool kind_mutated) {
  const KindInfo& info = kind.Info();
  const std::string key = Key(info, ns, name);
  std::optional<store::Object> newer;
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    auto cur = Current(store_, key, &newer);
    if (!cur.ok()) {
      if (cur.status().IsNotFound()) return NotFoundError(info, name);
      return cur.status();
    }
    auto old_or = Parse(*cur);
    if (!old_or.ok()) return old_or.status();
    const JsonDoc& old = *old_or;
    auto next_or = mutate(old);
    if (!next_or.ok()) return next_or.status();
    JsonDoc next = std::move(next_or).value();
    auto& a = next.GetAllocator();
    if (!next.IsObject())
      return Status::BadRequest("the object is not a JSON object");
    if (Status s = CheckTypeMeta(kind, next, a); !s.ok()) return s;
    WriteResult result;
    if (Status s = CheckFields(kind, next, opts.validation, &result.warnings);
        !s.ok()) {
      return s;
    }
    // Optimistic concurrency on the client's resourceVersion, if it sent one.
    std::string want_rv = GetString(next, {"metadata", "resourceVersion"});
    if (!want_rv.empty() && want_rv != std::to_string(cur->mod_revision)) {
      return ConflictError(info, name, kModifiedDetail);
    }
    std::string next_name = GetString(next, {"metadata", "name"});
    if (!next_name.empty() && next_name != name) {
      return Status::BadRequest("the name of the object (" + next_name +
                                ") does not match the name on the URL (" +
                                name + ")");
    }
    std::string next_ns = GetString(next, {"metadata", "namespace"});
    if (info.namespaced && !next_ns.empty() && next_ns != ns) {
      return Status::BadRequest(
          "the namespace of the provided object does not match the namespace "
          "sent on the request");
    }
    if (subresource == "status") {
      // Only status changes through the status subresource.
      JsonDoc merged = Copy(old);
      if (const Json* st = Member(next, "status")) {
        SetMember(merged, "status", Json(*st, merged.GetAllocator()),
                  merged.GetAllocator());
      } else {
        merged.RemoveMember("status");
      }
      if (const Json* mf = Find(next, {"metadata", "managedFields"});
          applied && mf) {
        SetMember(merged["metadata"], "managedFields",
                  Json(*mf, merged.GetAllocator()), merged.GetAllocator());
      }
      next = std::move(merged);
    } else if (!subresource.empty() &&
               std::find(info.update_subresources.begin(),
                         info.update_subresources.end(),
                         subresource) != info.update_subresources.end()) {
      // Only what the kind lets this subresource change.
      JsonDoc merged = Copy(old);
      kind.MergeSubresourceUpdate(subresource, next, merged,
                                  merged.GetAllocator());
      next = std::move(merged);
    } else {
      KeepSystemMetadata(old, next, a);
      if (info.status_subresource && !kind_mutated) {
        if (const Json* st = Member(old, "status")) {
          SetMember(next, "status", Json(*st, a), a);
        } else {
          next.RemoveMember("status");
        }
      }
    }
    auto& na = next.GetAllocator();
    kind.Default(next, na);
    std::vector<FieldCause> causes;
    ValidateMetadataMaps(next["metadata"], &causes);
    // After the kind's own hook, the object is judged as a whole (old =
    // itself) rather than as a client's change to the stored one.
    for (auto& c : kind.Validate(next, kind_mutated ? &next : &old)) {
      causes.push_back(std::move(c));
    }
    if (!causes.empty()) return InvalidError(info, name, std::move(causes));
    if (Status s = RunAdmission(kind, AdmissionRequest::Operation::kUpdate,
                                subresource, ns, name, opts.user, opts.dry_run,
                                &old, next);
        !s.ok()) {
      return s;
    }
    if (!SpecEqual(old, next)) {
      int64_t gen = GetInt(old, {"metadata", "generation"}, 1);
      SetMember(next["metadata"], "generation", Json(gen + 1), na);
    }
    if (!applied) {
      apply::RecordUpdate(&old, next, na,
                          FieldContext(kind, subresource, opts));
    }
    if (SameObject(old, next)) {
      result.object = std::move(cur).value();
      return result;
    }
    // A terminating object whose last finalizer went away is deleted.
    bool finish_delete =
        Find(next, {"metadata", "deletionTimestamp"}) && !HasFinalizers(next);
    if (finish_delete) {
      JsonDoc probe = Copy(next);
      finish_delete = kind.PrepareForDelete(probe, probe.GetAllocator()) ==
                      DeleteAction::kDelete;
    }
    if (opts.dry_run) {
      StampedObject stamped = StampedObject::Make(next, na);
      result.object.key = key;
      result.object.data =
          std::make_shared<const std::string>(stamped.Stamp(cur->mod_revision));
      return result;
    }
    store::Attrs attrs = AttrsFor(kind, next);
    StampedObject stamped = StampedObject::Make(next, na);
    const uint64_t seen = cur->mod_revision;
    auto written = CompareAndWrite(store_, key, seen, stamped, attrs, &newer);
    if (!written.ok()) {
      if (IsRetry(written.status())) continue;
      if (written.status().IsNotFound()) return NotFoundError(info, name);
      return written.status();
    }
    result.object = std::move(written).value();
    if (finish_delete) {
      DeleteOptions d;
      d.user = opts.user;
      auto deleted = Delete(kind, ns, name, d);
      if (deleted.ok()) result.object = std::move(deleted).value();
    }
    return result;
  }
  return ConflictError(info, name, kModifiedDetail);
}

StatusOr<WriteResult> ResourceService::Update(
    const Kind& kind, const std::string& ns, const std::string& name,
    const std::string& subresource, JsonDoc obj, const WriteOptions& opts) {
  if (!obj.IsObject())
    return Status::BadRequest("the object is not a JSON object");
  if (GetString(obj, {"metadata", "name"}).empty()) {
    return InvalidError(kind.Info(), name,
                        {field::Required("metadata.name", "name is required")});
  }
  if (Status s = ConvertIn(kind, opts.version, obj, obj.GetAllocator());
      !s.ok()) {
    return s;
  }
  return UpdateLoop(
      kind, ns, name, subresource,
      [&](const Json&) -> StatusOr<JsonDoc> { return Copy(obj); }, opts);
}

StatusOr<WriteResult> ResourceService::Patch(
    const Kind& kind, const std::string& ns, const std::string& name,
    const std::string& subresource, PatchType type, std::string_view body,
    const WriteOptions& opts) {
  auto patch = ParsePatchBody(type, body);
  if (!patch.ok()) return patch.status();
  if (type == PatchType::kApply) {
    const apply::WriteContext fields = FieldContext(kind, subresource, opts);
    if (Status s = apply::CheckAppliedConfig(*patch, fields); !s.ok()) {
      return s;
    }
    const JsonDoc config = apply::AppliedConfig(*patch);
    auto existing = store_->Get(Key(kind.Info(), ns, name));
    // Only the object itself is created on apply; a subresource of a
    // missing object is NotFound, as in the apiserver.
    if (!existing.ok() && existing.status().IsNotFound() &&
        subresource.empty()) {
      JsonDoc obj = Copy(config);
      std::string applied_name = GetString(obj, {"metadata", "name"});
      if (applied_name.empty()) {
        SetString(EnsureObject(obj, "metadata", obj.GetAllocator()), "name",
                  name, obj.GetAllocator());
      } else if (applied_name != name) {
        return Status::BadRequest("the name of the object (" + applied_name +
                                  ") does not match the name on the URL (" +
                                  name + ")");
      }
      return CreateObject(kind, ns, std::move(obj), opts, &config);
    }
    return UpdateLoop(
        kind, ns, name, subresource,
        [&](const Json& old) -> StatusOr<JsonDoc> {
          // The configuration is merged in the client's version.
          JsonDoc served = Copy(old);
          ConvertOut(kind, opts.version, served, served.GetAllocator());
          auto next = apply::ApplyConfig(served, config, fields, opts.force);
          if (!next.ok()) return next;
          if (Status s =
                  ConvertIn(kind, opts.version, *next, next->GetAllocator());
              !s.ok()) {
            return s;
          }
          return next;
        },
        opts, /*applied=*/true);
  }
  return UpdateLoop(
      kind, ns, name, subresource,
      [&](const Json& old) -> StatusOr<JsonDoc> {
        // The patch applies to the object as the client sees it.
        JsonDoc target = Copy(old);
        ConvertOut(kind, opts.version, target, target.GetAllocator());
        Status s = ApplyPatch(kind, type, *patch, target);
        if (!s.ok()) return s;
        s = ConvertIn(kind, opts.version, target, target.GetAllocator());
        if (!s.ok()) return s;
        return target;
      },
      opts);
}

StatusOr<std::string> ResourceService::GetScale(const Kind& kind,
                                                const std::string& ns,
                                                const std::string& name) const {
  auto o = Get(kind, ns, name);
  if (!o.ok()) return o.status();
  auto d = Parse(*o);
  if (!d.ok()) return d.status();
  return BuildScale(*d);
}

StatusOr<std::string> ResourceService::UpdateScale(
    const Kind& kind, const std::string& ns, const std::string& name,
    std::optional<PatchType> type, std::string_view body,
    const WriteOptions& opts) {
  auto result = UpdateLoop(
      kind, ns, name, "scale",
      [&](const Json& old) -> StatusOr<JsonDoc> {
        auto scale_json = BuildScale(old);
        JsonDoc scale;
        if (type) {
          scale.Parse(scale_json.data(), scale_json.size());
          auto patch = ParsePatchBody(*type, body);
          if (!patch.ok()) return patch.status();
          if (Status s = ApplyPatch(kind, *type, *patch, scale); !s.ok()) {
            return s;
          }
        } else {
          scale.Parse(body.data(), body.size());
          if (scale.HasParseError() || !scale.IsObject()) {
            return Status::BadRequest("the body is not a valid Scale object");
          }
          std::string rv = GetString(scale, {"metadata", "resourceVersion"});
          std::string old_rv = GetString(old, {"metadata", "resourceVersion"});
          if (!rv.empty() && rv != old_rv) {
            return ConflictError(kind.Info(), name, kModifiedDetail);
          }
        }
        const Json* replicas = Find(scale, {"spec", "replicas"});
        if (!replicas || !replicas->IsInt64() || replicas->GetInt64() < 0) {
          return Status::Invalid(
              "Scale.autoscaling \"" + name +
                  "\" is invalid: spec.replicas: "
                  "Invalid value: must be greater than or equal to 0",
              {field::InvalidNumber("spec.replicas", -1,
                                    "must be greater than or equal to 0")});
        }
        JsonDoc next = Copy(old);
        Json& spec = EnsureObject(next, "spec", next.GetAllocator());
        SetMember(spec, "replicas", Json(replicas->GetInt64()),
                  next.GetAllocator());
        return next;
      },
      opts);
  if (!result.ok()) return result.status();
  auto d = Parse(result->object);
  if (!d.ok()) return d.status();
  return BuildScale(*d);
}

}  // namespace berth::api
