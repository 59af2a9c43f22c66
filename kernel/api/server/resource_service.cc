#include "kernel/api/server/resource_service.h"

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "kernel/api/apply/field_manager.h"
#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/deletion_propagation.h"
#include "kernel/api/server/object_meta.h"
#include "kernel/api/server/patching.h"
#include "kernel/api/server/selection.h"
#include "kernel/api/server/selection_exit_watcher.h"
#include "kernel/api/server/stamped_object.h"
#include "kernel/api/server/version_conversion.h"

namespace berth::api {
namespace {

constexpr int kMaxUpdateAttempts = 16;
// Marks a lost compare-and-swap inside UpdateLoop (retried, never returned).
const char kRetryMarker[] = "berth: object changed during update";

const char kModifiedDetail[] =
    "the object has been modified; please apply your changes to the latest "
    "version and try again";

JsonDoc Copy(const Json& v) {
  JsonDoc d;
  d.CopyFrom(v, d.GetAllocator());
  return d;
}

StatusOr<JsonDoc> Parse(const store::Object& o) {
  JsonDoc d;
  d.Parse(o.data->data(), o.data->size());
  if (d.HasParseError() || !d.IsObject()) {
    return Status::Internal("stored object " + o.key + " is not valid JSON");
  }
  return d;
}

// Whether objects a and b have equal members, not counting those in `skip`.
bool MembersEqualExcept(const Json& a, const Json& b,
                        std::initializer_list<std::string_view> skip) {
  auto skipped = [&skip](const Json& name) {
    std::string_view n(name.GetString(), name.GetStringLength());
    for (auto s : skip) {
      if (s == n) return true;
    }
    return false;
  };
  size_t in_a = 0, in_b = 0;
  for (auto& m : a.GetObject()) {
    if (skipped(m.name)) continue;
    ++in_a;
    const Json* other = Member(
        b, std::string_view(m.name.GetString(), m.name.GetStringLength()));
    if (!other || !(*other == m.value)) return false;
  }
  for (auto& m : b.GetObject()) {
    if (!skipped(m.name)) ++in_b;
  }
  return in_a == in_b;
}

// The members other than metadata and status: what `generation` tracks.
bool SpecEqual(const Json& a, const Json& b) {
  return MembersEqualExcept(a, b, {"metadata", "status"});
}

// Equal apart from resourceVersion. managedFields count: an apply that
// only takes ownership is a write, and a write that changes nothing leaves
// them alone.
bool SameObject(const Json& a, const Json& b) {
  if (!MembersEqualExcept(a, b, {"metadata"})) return false;
  const Json* ma = Member(a, "metadata");
  const Json* mb = Member(b, "metadata");
  if (!ma || !mb) return ma == mb;
  if (!ma->IsObject() || !mb->IsObject()) return *ma == *mb;
  return MembersEqualExcept(*ma, *mb, {"resourceVersion"});
}

apply::WriteContext FieldContext(const Kind& kind,
                                 const std::string& subresource,
                                 const WriteOptions& opts) {
  apply::WriteContext ctx;
  ctx.manager = opts.field_manager;
  // managedFields name the version the client wrote in, as in Kubernetes.
  ctx.api_version = ApiVersionOf(kind.Info(), opts.version);
  ctx.subresource = subresource;
  ctx.status_subresource = kind.Info().status_subresource;
  ctx.merge_key = [&kind](const std::string& path) {
    return kind.MergeKey(path);
  };
  ctx.now = NowRfc3339();
  return ctx;
}

bool HasFinalizers(const Json& obj) {
  const Json* f = Find(obj, {"metadata", "finalizers"});
  return f && f->IsArray() && !f->Empty();
}

std::vector<std::string> FinalizersOf(const Json& obj) {
  std::vector<std::string> out;
  const Json* f = Find(obj, {"metadata", "finalizers"});
  if (!f || !f->IsArray()) return out;
  for (auto& v : f->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// Replaces metadata.finalizers; an empty list removes the member.
void SetFinalizers(JsonDoc& obj, const std::vector<std::string>& finalizers) {
  auto& a = obj.GetAllocator();
  Json& meta = EnsureObject(obj, "metadata", a);
  if (finalizers.empty()) {
    meta.RemoveMember("finalizers");
    return;
  }
  Json list(rapidjson::kArrayType);
  for (const auto& f : finalizers) {
    list.PushBack(Json(f.data(), static_cast<rapidjson::SizeType>(f.size()), a),
                  a);
  }
  SetMember(meta, "finalizers", std::move(list), a);
}

// The metadata a client cannot change on update.
void KeepSystemMetadata(const Json& old, Json& obj, JsonAlloc& a) {
  Json& meta = EnsureObject(obj, "metadata", a);
  for (const char* f :
       {"uid", "creationTimestamp", "generation", "deletionTimestamp",
        "deletionGracePeriodSeconds", "namespace", "name"}) {
    const Json* v = Find(old, {"metadata", f});
    if (v) {
      SetMember(meta, f, Json(*v, a), a);
    } else {
      meta.RemoveMember(f);
    }
  }
}

Status CheckTypeMeta(const Kind& kind, Json& obj, JsonAlloc& a) {
  const KindInfo& info = kind.Info();
  std::string api_version = GetString(obj, {"apiVersion"});
  std::string k = GetString(obj, {"kind"});
  if (!api_version.empty() && api_version != info.ApiVersion()) {
    return Status::BadRequest("the API version in the data (" + api_version +
                              ") does not match the expected API version (" +
                              info.ApiVersion() + ")");
  }
  if (!k.empty() && k != info.kind) {
    return Status::BadRequest("the kind in the data (" + k +
                              ") does not match the expected kind (" +
                              info.kind + ")");
  }
  SetString(obj, "apiVersion", info.ApiVersion(), a);
  SetString(obj, "kind", info.kind, a);
  return {};
}

// Writes `stamped` over `key` if nobody wrote it since revision `seen`;
// otherwise fails with the retry marker and leaves the newer state in
// `*newer`, so the caller's next attempt starts from it.
StatusOr<store::Object> CompareAndWrite(store::Store* store,
                                        const std::string& key, uint64_t seen,
                                        const StampedObject& stamped,
                                        const store::Attrs& attrs,
                                        std::optional<store::Object>* newer) {
  return store->GuaranteedUpdate(
      key,
      [&](const store::Object& current,
          uint64_t rev) -> StatusOr<store::NewValue> {
        if (current.mod_revision != seen) {
          *newer = current;
          return Status::Conflict(kRetryMarker);
        }
        store::NewValue v;
        v.data = stamped.Stamp(rev);
        v.attrs = attrs;
        return v;
      });
}

bool IsRetry(const Status& s) {
  return s.IsConflict() && s.message() == kRetryMarker;
}

// The state an update attempt starts from: what the last lost
// compare-and-swap saw, else the store's read cache. The cache holds only
// committed writes, so while another write waits for its group commit a
// fresh Get would return the same stale revision on every attempt and the
// loop would use up its attempts in microseconds. The newer state may not
// be durable yet, but a write queued behind it commits after it or fails
// with it, so nothing built on it is acknowledged alone.
StatusOr<store::Object> Current(store::Store* store, const std::string& key,
                                std::optional<store::Object>* newer) {
  if (!*newer) return store->Get(key);
  store::Object o = std::move(**newer);
  newer->reset();
  return o;
}

}  // namespace

ResourceService::ResourceService(store::Store* store) : store_(store) {}

std::string ResourceService::Prefix(const KindInfo& info,
                                    const std::string& ns) {
  std::string p = "/registry/" + (info.group.empty() ? "core" : info.group) +
                  "/" + info.plural + "/";
  if (info.namespaced && !ns.empty()) p += ns + "/";
  return p;
}

std::pair<std::string, std::string> ResourceService::GroupResourceOfKey(
    std::string_view key) {
  constexpr std::string_view kRoot = "/registry/";
  if (key.substr(0, kRoot.size()) != kRoot) return {};
  key.remove_prefix(kRoot.size());
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return {};
  std::string group(key.substr(0, slash));
  if (group == "core") group.clear();
  key.remove_prefix(slash + 1);
  return {group, std::string(key.substr(0, key.find('/')))};
}

std::string ResourceService::Key(const KindInfo& info, const std::string& ns,
                                 const std::string& name) {
  return Prefix(info, info.namespaced ? ns : "") + name;
}

store::Attrs ResourceService::AttrsFor(const Kind& kind, const Json& obj) {
  store::Attrs attrs;
  if (const Json* labels = Find(obj, {"metadata", "labels"});
      labels && labels->IsObject()) {
    for (auto& m : labels->GetObject()) {
      if (m.value.IsString()) {
        attrs.labels.emplace(m.name.GetString(), m.value.GetString());
      }
    }
  }
  attrs.fields["metadata.name"] = GetString(obj, {"metadata", "name"});
  attrs.fields["metadata.namespace"] =
      GetString(obj, {"metadata", "namespace"});
  for (auto& [k, v] : kind.FieldValues(obj)) attrs.fields[k] = v;
  return attrs;
}

Status ResourceService::CheckFields(const Kind& kind, const Json& obj,
                                    FieldValidation validation,
                                    std::vector<std::string>* warnings) const {
  if (validation == FieldValidation::kIgnore || !unknown_fields_) return {};
  std::vector<std::string> unknown = unknown_fields_(kind, obj);
  if (unknown.empty()) return {};
  if (validation == FieldValidation::kWarn) {
    for (auto& f : unknown) warnings->push_back("unknown field \"" + f + "\"");
    return {};
  }
  std::string msg = kind.Info().kind + " in version \"" + kind.Info().version +
                    "\" cannot be handled as a " + kind.Info().kind +
                    ": strict decoding error: ";
  for (size_t i = 0; i < unknown.size(); ++i) {
    msg +=
        (i ? ", " : "") + std::string("unknown field \"") + unknown[i] + "\"";
  }
  return Status::BadRequest(msg);
}

Status ResourceService::RunAdmission(const Kind& kind,
                                     AdmissionRequest::Operation op,
                                     const std::string& subresource,
                                     const std::string& ns,
                                     const std::string& name,
                                     const UserInfo& user, bool dry_run,
                                     const Json* old, JsonDoc& obj) {
  if (admissions_.empty()) return {};
  const KindInfo& info = kind.Info();
  AdmissionRequest req;
  req.operation = op;
  req.resource = {info.group, info.version, info.plural};
  req.kind = info.kind;
  req.subresource = subresource;
  req.ns = ns;
  req.name = name;
  req.dry_run = dry_run;
  req.user = user;
  req.old_object = old;
  for (auto& adm : admissions_) {
    Status s = adm->Admit(req, obj, obj.GetAllocator());
    if (!s.ok()) return s;
  }
  return {};
}

const AlwaysAllowAuthorizer ResourceService::kAlwaysAllow;

StatusOr<WriteResult> ResourceService::Review(const Kind& kind,
                                              const std::string& ns,
                                              JsonDoc obj,
                                              const WriteOptions& opts,
                                              WriteResult result) {
  auto& a = obj.GetAllocator();
  Json& meta = EnsureObject(obj, "metadata", a);
  // A review is answered, not kept: no identity, no version, and the
  // creationTimestamp the apiserver leaves null.
  for (const char* f : {"uid", "resourceVersion", "generation", "managedFields",
                        "creationTimestamp"}) {
    meta.RemoveMember(f);
  }
  if (kind.Info().namespaced) SetString(meta, "namespace", ns, a);
  SetMember(meta, "creationTimestamp", Json(rapidjson::kNullType), a);
  kind.Default(obj, a);
  std::vector<FieldCause> causes = kind.Validate(obj, nullptr);
  if (!causes.empty()) {
    return InvalidError(kind.Info(), GetString(meta, {"name"}),
                        std::move(causes));
  }
  if (Status s = kind.Review(obj, a, opts.user, *authorizer_); !s.ok()) {
    return s;
  }
  result.object.data = std::make_shared<const std::string>(ToJson(obj));
  result.created = true;
  return result;
}

StatusOr<WriteResult> ResourceService::Create(const Kind& kind,
                                              const std::string& ns,
                                              JsonDoc obj,
                                              const WriteOptions& opts) {
  return CreateObject(kind, ns, std::move(obj), opts, nullptr);
}

StatusOr<WriteResult> ResourceService::CreateObject(const Kind& kind,
                                                    const std::string& ns,
                                                    JsonDoc obj,
                                                    const WriteOptions& opts,
                                                    const Json* applied) {
  const KindInfo& info = kind.Info();
  auto& a = obj.GetAllocator();
  if (!obj.IsObject())
    return Status::BadRequest("the object is not a JSON object");
  if (Status s = ConvertIn(kind, opts.version, obj, a); !s.ok()) return s;
  if (Status s = CheckTypeMeta(kind, obj, a); !s.ok()) return s;
  WriteResult result;
  if (Status s = CheckFields(kind, obj, opts.validation, &result.warnings);
      !s.ok()) {
    return s;
  }
  if (!info.stored) return Review(kind, ns, std::move(obj), opts, result);
  Json& meta = EnsureObject(obj, "metadata", a);
  std::string obj_ns = GetString(meta, {"namespace"});
  if (info.namespaced) {
    if (ns.empty()) {
      return Status::BadRequest("the namespace of the object must be set");
    }
    if (!obj_ns.empty() && obj_ns != ns) {
      return Status::BadRequest(
          "the namespace of the provided object does not match the namespace "
          "sent on the request");
    }
    SetString(meta, "namespace", ns, a);
  } else {
    meta.RemoveMember("namespace");
  }
  std::string generate = GetString(meta, {"generateName"});
  std::string name = GetString(meta, {"name"});
  if (name.empty() && generate.empty()) {
    return InvalidError(
        info, "",
        {field::Required("metadata.name", "name or generateName is required")});
  }
  // System metadata: whatever the client sent is replaced.
  for (const char* f : {"uid", "resourceVersion", "deletionTimestamp",
                        "deletionGracePeriodSeconds", "managedFields"}) {
    meta.RemoveMember(f);
  }
  SetString(meta, "uid", NewUid(), a);
  SetString(meta, "creationTimestamp", NowRfc3339(), a);
  SetMember(meta, "generation", Json(int64_t{1}), a);
  if (info.status_subresource) obj.RemoveMember("status");
  kind.Default(obj, a);
  apply::WriteContext fields = FieldContext(kind, "", opts);
  if (applied) {
    apply::RecordApplyCreate(*applied, obj, a, fields);
  } else {
    apply::RecordUpdate(nullptr, obj, a, fields);
  }

  const bool generated = name.empty();
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (generated) {
      name = GenerateName(generate);
      SetString(obj["metadata"], "name", name, a);
    }
    std::vector<FieldCause> causes;
    ValidateDnsSubdomain(name, "metadata.name", &causes);
    ValidateMetadataMaps(obj["metadata"], &causes);
    for (auto& c : kind.Validate(obj, nullptr)) causes.push_back(std::move(c));
    if (!causes.empty()) return InvalidError(info, name, std::move(causes));
    if (Status s =
            RunAdmission(kind, AdmissionRequest::Operation::kCreate, "", ns,
                         name, opts.user, opts.dry_run, nullptr, obj);
        !s.ok()) {
      return s;
    }
    std::string key = Key(info, ns, name);
    if (opts.dry_run) {
      if (store_->Get(key).ok()) return AlreadyExistsError(info, name);
      StampedObject stamped = StampedObject::Make(obj, a);
      store::Object o;
      o.key = key;
      o.data = std::make_shared<const std::string>(stamped.Unstamped());
      result.object = std::move(o);
      result.created = true;
      return result;
    }
    JsonDoc prepared = Copy(obj);
    if (Status s = kind.PrepareForCreate(prepared, prepared.GetAllocator());
        !s.ok()) {
      return s;
    }
    store::Attrs attrs = AttrsFor(kind, prepared);
    StampedObject stamped =
        StampedObject::Make(prepared, prepared.GetAllocator());
    auto created =
        store_->Create(key, [&](uint64_t rev) -> StatusOr<store::NewValue> {
          store::NewValue v;
          v.data = stamped.Stamp(rev);
          v.attrs = attrs;
          return v;
        });
    if (created.ok()) {
      result.object = std::move(created).value();
      result.created = true;
      return result;
    }
    // Release what PrepareForCreate took.
    kind.AfterDelete(prepared);
    if (!created.status().IsAlreadyExists()) return created.status();
    if (!generated) return AlreadyExistsError(info, name);
  }
  return AlreadyExistsError(info, name);
}

StatusOr<store::Object> ResourceService::Get(const Kind& kind,
                                             const std::string& ns,
                                             const std::string& name) const {
  auto o = store_->Get(Key(kind.Info(), ns, name));
  if (!o.ok() && o.status().IsNotFound()) {
    return NotFoundError(kind.Info(), name);
  }
  return o;
}

StatusOr<store::Predicate> ResourceService::MakePredicate(
    const Kind& kind, const ListOptions& opts) const {
  return MakeSelectionPredicate(kind, opts.label_selector, opts.field_selector);
}

StatusOr<store::ListResult> ResourceService::List(
    const Kind& kind, const std::string& ns, const ListOptions& opts) const {
  auto pred = MakePredicate(kind, opts);
  if (!pred.ok()) return pred.status();
  return store_->List(Prefix(kind.Info(), ns), *pred, opts.limit,
                      opts.continue_token);
}

StatusOr<std::unique_ptr<store::Watcher>> ResourceService::Watch(
    const Kind& kind, const std::string& ns, const ListOptions& opts,
    const std::string& resource_version) const {
  auto pred = MakePredicate(kind, opts);
  if (!pred.ok()) return pred.status();
  uint64_t from = 0;
  if (!resource_version.empty()) {
    try {
      size_t used = 0;
      from = std::stoull(resource_version, &used);
      if (used != resource_version.size()) throw std::invalid_argument("rv");
    } catch (const std::exception&) {
      return Status::BadRequest("invalid resource version: " +
                                resource_version);
    }
  }
  auto watcher = store_->Watch(Prefix(kind.Info(), ns), from, *pred);
  if (!watcher.ok() || !*pred) return watcher;
  return WrapSelectionExits(std::move(watcher).value());
}

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
                                      return Status::Conflict(kRetryMarker);
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
