#include "kernel/gc/ownership.h"

#include "kernel/api/server/deletion_propagation.h"

namespace berth::gc {
namespace {

bool GetBool(const Json& v, std::string_view key) {
  const Json* m = Member(v, key);
  return m && m->IsBool() && m->GetBool();
}

}  // namespace

std::string OwnerReference::Group() const {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

std::string OwnerReference::Version() const {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? api_version
                                    : api_version.substr(slash + 1);
}

const OwnerReference* Ownership::RefTo(std::string_view owner_uid) const {
  for (const auto& r : owners) {
    if (r.uid == owner_uid) return &r;
  }
  return nullptr;
}

Ownership ParseOwnership(const Json& obj) {
  Ownership o;
  const Json* meta = Member(obj, "metadata");
  if (!meta || !meta->IsObject()) return o;
  o.uid = GetString(*meta, {"uid"});
  o.ns = GetString(*meta, {"namespace"});
  o.name = GetString(*meta, {"name"});
  const Json* ts = Member(*meta, "deletionTimestamp");
  o.being_deleted = ts && !ts->IsNull();
  if (const Json* fins = Member(*meta, "finalizers"); fins && fins->IsArray()) {
    for (auto& f : fins->GetArray()) {
      if (!f.IsString()) continue;
      std::string_view s(f.GetString(), f.GetStringLength());
      if (s == api::kOrphanFinalizer) o.orphan_finalizer = true;
      if (s == api::kForegroundDeletionFinalizer) o.foreground_finalizer = true;
    }
  }
  const Json* refs = Member(*meta, "ownerReferences");
  if (!refs || !refs->IsArray()) return o;
  for (auto& r : refs->GetArray()) {
    if (!r.IsObject()) continue;
    OwnerReference ref;
    ref.uid = GetString(r, {"uid"});
    if (ref.uid.empty()) continue;
    ref.api_version = GetString(r, {"apiVersion"});
    ref.kind = GetString(r, {"kind"});
    ref.name = GetString(r, {"name"});
    ref.controller = GetBool(r, "controller");
    ref.block_owner_deletion = GetBool(r, "blockOwnerDeletion");
    o.owners.push_back(std::move(ref));
  }
  return o;
}

Ownership ParseOwnership(std::string_view json) {
  JsonDoc d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return {};
  return ParseOwnership(d);
}

}  // namespace berth::gc
