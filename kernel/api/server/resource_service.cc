#include "kernel/api/server/resource_service.h"

#include <string_view>

#include "kernel/api/apply/field_manager.h"
#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/object_meta.h"
#include "kernel/api/server/selection.h"
#include "kernel/api/server/selection_exit_watcher.h"
#include "kernel/api/server/stamped_object.h"
#include "kernel/api/server/stored_object_ops.h"
#include "kernel/api/server/version_conversion.h"

namespace berth::api {
namespace {

using object_ops::CheckTypeMeta;
using object_ops::Copy;
using object_ops::FieldContext;

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

}  // namespace berth::api
