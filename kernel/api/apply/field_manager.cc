#include "kernel/api/apply/field_manager.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "kernel/api/apply/managed_fields.h"
#include "kernel/api/apply/object_fields.h"

namespace berth::apply {
namespace {

constexpr char kLastAppliedAnnotation[] =
    "kubectl.kubernetes.io/last-applied-configuration";

// Metadata the server sets; the apiserver strips these from every field set.
constexpr const char* kServerMetadata[] = {"name",
                                           "namespace",
                                           "uid",
                                           "generation",
                                           "resourceVersion",
                                           "creationTimestamp",
                                           "selfLink",
                                           "managedFields",
                                           "deletionTimestamp",
                                           "deletionGracePeriodSeconds"};

JsonDoc Copy(const Json& v) {
  JsonDoc d;
  d.CopyFrom(v, d.GetAllocator());
  return d;
}

ManagedFieldsEntry* FindEntry(ManagedFields& entries,
                              const ManagedFieldsEntry& who) {
  for (auto& e : entries) {
    if (e.SameManager(who)) return &e;
  }
  return nullptr;
}

ManagedFieldsEntry Identity(const WriteContext& ctx, const char* operation) {
  ManagedFieldsEntry e;
  e.manager = ctx.manager;
  e.operation = operation;
  e.api_version = ctx.api_version;
  if (ctx.subresource == "status" || ctx.subresource == "scale") {
    e.subresource = ctx.subresource;
  }
  return e;
}

ManagedFields DecodeOrEmpty(const Json* obj) {
  if (!obj) return {};
  auto entries = DecodeManagedFields(*obj);
  return entries.ok() ? std::move(entries).value() : ManagedFields{};
}

// How a conflict names the other manager: an applier by name, an updater
// with the version it wrote through.
std::string ManagerLabel(const ManagedFieldsEntry& e) {
  std::string label = "\"" + e.manager + "\"";
  if (e.operation == kOperationUpdate) label += " using " + e.api_version;
  return label;
}

Status ConflictStatus(
    const std::vector<std::pair<std::string, std::string>>& conflicts) {
  std::vector<FieldCause> causes;
  for (const auto& [label, path] : conflicts) {
    causes.push_back({"FieldManagerConflict", path, "conflict with " + label});
  }
  std::string message;
  if (conflicts.size() == 1) {
    message = "Apply failed with 1 conflict: conflict with " +
              conflicts[0].first + ": " + conflicts[0].second;
  } else {
    std::map<std::string, std::vector<std::string>> by_manager;
    for (const auto& [label, path] : conflicts) {
      by_manager[label].push_back(path);
    }
    message = "Apply failed with " + std::to_string(conflicts.size()) +
              " conflicts: ";
    bool first = true;
    for (const auto& [label, paths] : by_manager) {
      message +=
          (first ? "" : "\n") + std::string("conflicts with ") + label + ":";
      first = false;
      for (const auto& p : paths) message += "\n- " + p;
    }
  }
  Status s = Status::Conflict(message);
  s.set_causes(std::move(causes));
  return s;
}

// The fields kubectl's server-side apply may take over without a
// conflict, as the apiserver's lastAppliedManager allows: those of the
// client-side apply annotation whose live value is still the one it
// recorded. Empty unless the applier is kubectl's default manager and the
// object carries the annotation.
FieldSet UpgradableFields(const Json& live, const WriteContext& ctx) {
  if (ctx.manager != "kubectl") return {};
  const Json* annotations = Find(live, {"metadata", "annotations"});
  const Json* text =
      annotations ? Member(*annotations, kLastAppliedAnnotation) : nullptr;
  if (!text || !text->IsString()) return {};
  auto last_applied =
      ParseJson(std::string_view(text->GetString(), text->GetStringLength()));
  if (!last_applied.ok() || !last_applied->IsObject()) return {};
  FieldSet fields = TrackedFields(FieldsOf(*last_applied, ctx.merge_key), ctx);
  // A field someone changed since stays theirs.
  JsonDoc recorded = Copy(live);
  if (!patch::ApplyStrategicMergePatch(*last_applied, recorded,
                                       recorded.GetAllocator(), ctx.merge_key)
           .ok()) {
    return {};
  }
  FieldChanges changed = CompareObjects(live, recorded, ctx.merge_key);
  fields.Subtract(changed.modified);
  fields.Subtract(changed.added);
  return fields;
}

}  // namespace

FieldSet TrackedFields(FieldSet fields, const WriteContext& ctx) {
  fields.Erase("f:apiVersion");
  fields.Erase("f:kind");
  if (fields.Find("f:metadata")) {
    FieldSet& meta = fields.Child("f:metadata");
    meta.set_member(false);
    for (const char* f : kServerMetadata) meta.Erase(std::string("f:") + f);
  }
  if (ctx.subresource == "status") {
    FieldSet only;
    if (const FieldSet* st = fields.Find("f:status")) {
      only.Child("f:status") = *st;
    }
    fields = std::move(only);
  } else if (ctx.status_subresource && ctx.subresource.empty()) {
    fields.Erase("f:status");
  }
  fields.Prune();
  return fields;
}

void RecordUpdate(const Json* before, Json& after, JsonAlloc& a,
                  const WriteContext& ctx) {
  static const Json kEmpty(rapidjson::kObjectType);
  FieldChanges changes =
      CompareObjects(before ? *before : kEmpty, after, ctx.merge_key);
  changes.added.Add(changes.modified);
  FieldSet touched = TrackedFields(std::move(changes.added), ctx);
  FieldSet removed = TrackedFields(std::move(changes.removed), ctx);
  const Json* had =
      before ? Find(*before, {"metadata", "managedFields"}) : nullptr;
  Json* sent = Find(after, {"metadata", "managedFields"});
  if (touched.Empty() && removed.Empty() && (!sent || (had && *sent == *had))) {
    // Nobody's ownership moves: keep the entries as they are, unparsed.
    if (had && !sent) {
      SetMember(EnsureObject(after, "metadata", a), "managedFields",
                Json(*had, a), a);
    }
    return;
  }
  ManagedFields entries = DecodeOrEmpty(&after);
  if (entries.empty() || !ctx.subresource.empty()) {
    entries = DecodeOrEmpty(before);
  }
  ManagedFieldsEntry who = Identity(ctx, kOperationUpdate);
  for (auto& e : entries) {
    if (e.SameManager(who)) continue;
    e.fields.Subtract(touched);
    e.fields.Subtract(removed);
  }
  ManagedFieldsEntry* self = FindEntry(entries, who);
  if (!self && !touched.Empty()) {
    entries.push_back(who);
    self = &entries.back();
  }
  if (self) {
    FieldSet next = self->fields;
    next.Subtract(removed);
    next.Add(touched);
    // As the apiserver does: the time of an update is the last time it
    // changed something.
    if (!touched.Empty() || !(next == self->fields) || self->time.empty()) {
      self->fields = std::move(next);
      self->time = ctx.now;
    }
  }
  EncodeManagedFields(std::move(entries), after, a);
}

Status CheckAppliedConfig(const Json& config, const WriteContext& ctx) {
  if (!config.IsObject()) {
    return Status::BadRequest("the applied configuration is not an object");
  }
  std::string version = GetString(config, {"apiVersion"});
  if (!version.empty() && version != ctx.api_version) {
    return Status::BadRequest(
        "Incorrect version specified in apply patch. Specified patch "
        "version: " +
        version + ", expected: " + ctx.api_version);
  }
  if (const Json* mf = Find(config, {"metadata", "managedFields"});
      mf && !mf->IsNull()) {
    return Status::BadRequest("metadata.managedFields must be nil");
  }
  return {};
}

JsonDoc AppliedConfig(const Json& config) {
  JsonDoc applied = Copy(config);
  if (Json* meta = Member(applied, "metadata"); meta && meta->IsObject()) {
    for (const char* f : {"managedFields", "uid", "creationTimestamp",
                          "generation", "resourceVersion", "selfLink"}) {
      meta->RemoveMember(f);
    }
  }
  return applied;
}

void RecordApplyCreate(const Json& config, Json& obj, JsonAlloc& a,
                       const WriteContext& ctx) {
  ManagedFieldsEntry e = Identity(ctx, kOperationApply);
  e.fields = TrackedFields(FieldsOf(config, ctx.merge_key), ctx);
  e.time = ctx.now;
  ManagedFields entries;
  entries.push_back(std::move(e));
  EncodeManagedFields(std::move(entries), obj, a);
}

StatusOr<JsonDoc> ApplyConfig(const Json& live, const Json& config,
                              const WriteContext& ctx, bool force) {
  if (Status s = CheckAppliedConfig(config, ctx); !s.ok()) return s;
  ManagedFields entries = DecodeOrEmpty(&live);
  JsonDoc merged = Copy(live);
  if (Status s = patch::ApplyStrategicMergePatch(
          config, merged, merged.GetAllocator(), ctx.merge_key);
      !s.ok()) {
    return s;
  }

  ManagedFieldsEntry who = Identity(ctx, kOperationApply);
  ManagedFieldsEntry* self = FindEntry(entries, who);
  const bool is_new = self == nullptr;
  if (is_new) {
    entries.push_back(who);
    self = &entries.back();
  }
  FieldSet last = std::move(self->fields);
  self->fields = TrackedFields(FieldsOf(config, ctx.merge_key), ctx);

  // What the applier let go of goes away, unless someone still owns it.
  FieldSet owned;
  for (const auto& e : entries) owned = owned.Union(e.fields);
  FieldSet dropped = last.Difference(owned);
  if (!dropped.Empty()) RemoveFields(merged, dropped, owned);

  FieldChanges changes = CompareObjects(live, merged, ctx.merge_key);
  FieldSet touched = TrackedFields(changes.added.Union(changes.modified), ctx);
  std::vector<std::pair<ManagedFieldsEntry*, FieldSet>> taken;
  for (auto& e : entries) {
    if (e.SameManager(who)) continue;
    FieldSet theirs = e.fields.Intersection(touched);
    if (!theirs.Empty()) taken.emplace_back(&e, std::move(theirs));
  }
  if (!force && !taken.empty()) {
    const FieldSet allowed = UpgradableFields(live, ctx);
    std::vector<std::pair<std::string, std::string>> conflicts;
    for (const auto& [e, theirs] : taken) {
      FieldSet left = theirs;
      left.Subtract(allowed);
      for (auto& path : left.PathStrings()) {
        conflicts.emplace_back(ManagerLabel(*e), std::move(path));
      }
    }
    if (!conflicts.empty()) {
      std::stable_sort(conflicts.begin(), conflicts.end());
      return ConflictStatus(conflicts);
    }
  }
  for (auto& [e, theirs] : taken) e->fields.Subtract(theirs);
  // Entries may have moved: find the applier again.
  self = FindEntry(entries, who);
  const bool object_changed = !changes.added.Empty() ||
                              !changes.modified.Empty() ||
                              !changes.removed.Empty();
  if (is_new || object_changed || !(self->fields == last)) {
    self->time = ctx.now;
  }
  EncodeManagedFields(std::move(entries), merged, merged.GetAllocator());
  return merged;
}

}  // namespace berth::apply
