#include "kernel/api/patch/strategic_merge_patch.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace berth::patch {
namespace {

using rapidjson::SizeType;

constexpr std::string_view kPatchDirective = "$patch";
constexpr std::string_view kRetainKeysDirective = "$retainKeys";
constexpr std::string_view kSetElementOrderPrefix = "$setElementOrder";
constexpr std::string_view kDeleteFromPrimitiveListPrefix =
    "$deleteFromPrimitiveList";

std::string_view Name(const Json& name) {
  return {name.GetString(), name.GetStringLength()};
}

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsDirectiveKey(std::string_view key) {
  return key == kPatchDirective || key == kRetainKeysDirective ||
         HasPrefix(key, kSetElementOrderPrefix) ||
         HasPrefix(key, kDeleteFromPrimitiveListPrefix);
}

bool IsString(const Json& v, std::string_view s) {
  return v.IsString() && Name(v) == s;
}

std::string ChildPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

void EraseMember(Json& obj, std::string_view key) {
  auto it = obj.FindMember(
      rapidjson::StringRef(key.data(), static_cast<SizeType>(key.size())));
  if (it != obj.MemberEnd()) obj.EraseMember(it);
}

// The list field named by "$setElementOrder/<key>": apimachinery requires
// exactly one "/" after the prefix.
StatusOr<std::string> DirectiveTarget(std::string_view directive,
                                      std::string_view prefix,
                                      const char* error) {
  size_t slash = directive.find('/');
  if (slash == std::string_view::npos || directive.substr(0, slash) != prefix) {
    return Status::BadRequest(error);
  }
  return std::string(directive.substr(slash + 1));
}

Status NoMergeKey(const Json& element, const std::string& key) {
  return Status::BadRequest("map: " + ToJson(element) +
                            " does not contain declared merge key: " + key);
}

// Drops what a value freshly taken from the patch must not carry:
// maps holding `$patch` (apimachinery's removeDirectives) and directive keys.
// Returns false when `v` itself is such a map.
bool RemoveDirectives(Json& v) {
  if (v.IsObject()) {
    if (Member(v, kPatchDirective)) return false;
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      if (IsDirectiveKey(Name(it->name)) || !RemoveDirectives(it->value)) {
        it = v.EraseMember(it);
      } else {
        ++it;
      }
    }
  } else if (v.IsArray()) {
    for (auto it = v.Begin(); it != v.End();) {
      it = RemoveDirectives(*it) ? it + 1 : v.Erase(it);
    }
  }
  return true;
}

// Removes directive keys anywhere in `v`, keeping the maps that held them:
// what a typed decode of apimachinery's result would drop.
void StripDirectiveKeys(Json& v) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      if (IsDirectiveKey(Name(it->name))) {
        it = v.EraseMember(it);
      } else {
        StripDirectiveKeys(it->value);
        ++it;
      }
    }
  } else if (v.IsArray()) {
    for (Json& e : v.GetArray()) StripDirectiveKeys(e);
  }
}

void DiscardNulls(Json& v) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      if (it->value.IsNull()) {
        it = v.EraseMember(it);
      } else {
        DiscardNulls(it->value);
        ++it;
      }
    }
  } else if (v.IsArray()) {
    for (Json& e : v.GetArray()) DiscardNulls(e);
  }
}

enum class Shape { kObject, kArray, kScalar };

Shape ShapeOf(const Json& v) {
  if (v.IsObject()) return Shape::kObject;
  if (v.IsArray()) return Shape::kArray;
  return Shape::kScalar;
}

// What identifies a list element: its merge key's value, or the element
// itself in a list of primitives (empty key).
StatusOr<const Json*> Identity(const Json& element, const std::string& key) {
  if (key.empty()) return &element;
  if (!element.IsObject()) {
    return Status::BadRequest("expected a map in the list merged by key \"" +
                              key + "\", got " + ToJson(element));
  }
  const Json* id = Member(element, key);
  if (!id) return NoMergeKey(element, key);
  return id;
}

StatusOr<std::vector<const Json*>> Identities(const Json& list,
                                              const std::string& key) {
  std::vector<const Json*> ids;
  for (const Json& e : list.GetArray()) {
    StatusOr<const Json*> id = Identity(e, key);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  return ids;
}

// Position of `id` in `ids`, or -1.
int IndexOf(const std::vector<const Json*>& ids, const Json* id) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (*ids[i] == *id) return static_cast<int>(i);
  }
  return -1;
}

// Deep copies of identities, which survive the list being rewritten.
Json IdentityCopies(const std::vector<const Json*>& ids, JsonAlloc& alloc) {
  Json out(rapidjson::kArrayType);
  for (const Json* id : ids) out.PushBack(Json(*id, alloc), alloc);
  return out;
}

std::vector<const Json*> Pointers(const Json& list) {
  std::vector<const Json*> out;
  for (const Json& e : list.GetArray()) out.push_back(&e);
  return out;
}

// apimachinery's normalizeElementOrder: elements named in `patch_order` come
// in that order, the others keep their order in `server_order`, and the two
// runs interleave so that a server-only element stays in front of a patch
// element it preceded in `server_order`. `patch_order` and `server_order`
// hold identities. Elements missing from the order they are sorted by keep
// their relative order after the found ones (apimachinery's comparator is
// not a strict order there; it cannot happen for lists it produced).
Status Reorder(Json& list, const std::vector<const Json*>& patch_order,
               const std::vector<const Json*>& server_order,
               const std::string& key, JsonAlloc& alloc) {
  StatusOr<std::vector<const Json*>> ids = Identities(list, key);
  if (!ids.ok()) return ids.status();
  std::vector<SizeType> patch_items, server_only;
  for (SizeType i = 0; i < list.Size(); ++i) {
    (IndexOf(patch_order, (*ids)[i]) >= 0 ? patch_items : server_only)
        .push_back(i);
  }
  auto sort_by = [&](std::vector<SizeType>& items,
                     const std::vector<const Json*>& order) {
    std::stable_sort(items.begin(), items.end(), [&](SizeType a, SizeType b) {
      int ia = IndexOf(order, (*ids)[a]);
      int ib = IndexOf(order, (*ids)[b]);
      if (ia < 0) return false;
      return ib < 0 || ia < ib;
    });
  };
  sort_by(patch_items, patch_order);
  sort_by(server_only, server_order);
  std::vector<SizeType> merged;
  size_t i = 0, j = 0;
  while (i < server_only.size() || j < patch_items.size()) {
    if (j >= patch_items.size()) {
      merged.push_back(server_only[i++]);
    } else if (i >= server_only.size()) {
      merged.push_back(patch_items[j++]);
    } else {
      int li = IndexOf(server_order, (*ids)[server_only[i]]);
      int ri = IndexOf(server_order, (*ids)[patch_items[j]]);
      if (li >= 0 && ri >= 0 && li < ri) {
        merged.push_back(server_only[i++]);
      } else {
        merged.push_back(patch_items[j++]);
      }
    }
  }
  Json out(rapidjson::kArrayType);
  out.Reserve(list.Size(), alloc);
  for (SizeType idx : merged) out.PushBack(std::move(list[idx]), alloc);
  list = std::move(out);
  return Status::Ok();
}

class Merger {
 public:
  Merger(JsonAlloc& alloc, const MergeKeyFn& merge_key)
      : alloc_(alloc), merge_key_(merge_key) {}

  // Merges `patch` into `original`, both objects; `patch` is consumed.
  Status MergeMap(Json& original, Json& patch, const std::string& path) {
    if (const Json* d = Member(patch, kPatchDirective)) {
      if (IsString(*d, "replace")) {
        EraseMember(patch, kPatchDirective);
        original = std::move(patch);
        return Status::Ok();
      }
      if (IsString(*d, "delete")) {
        original.SetObject();
        return Status::Ok();
      }
      if (!IsString(*d, "merge")) {
        return Status::BadRequest("unknown patch type: " + ToJson(*d) +
                                  " in map: " + ToJson(patch));
      }
      EraseMember(patch, kPatchDirective);
    }
    if (Status s = ApplyRetainKeys(original, patch); !s.ok()) return s;
    if (Status s = MergeOrderedLists(original, patch, path); !s.ok()) return s;

    for (auto& m : patch.GetObject()) {
      std::string key(Name(m.name));
      bool delete_list = HasPrefix(key, kDeleteFromPrimitiveListPrefix);
      if (delete_list) {
        StatusOr<std::string> target =
            DirectiveTarget(key, kDeleteFromPrimitiveListPrefix,
                            "invalid patch format of primitive list");
        if (!target.ok()) return target.status();
        key = std::move(target).value();
      }
      Json& pv = m.value;
      if (pv.IsNull()) {
        EraseMember(original, key);
        continue;
      }
      Json* ov = Member(original, key);
      if (!ov || ShapeOf(*ov) != ShapeOf(pv)) {
        if (delete_list) continue;
        DiscardNulls(pv);
        if (!RemoveDirectives(pv)) {
          EraseMember(original, key);
        } else {
          SetMember(original, key, std::move(pv), alloc_);
        }
        continue;
      }
      std::string child = ChildPath(path, key);
      Status s;
      if (ov->IsObject()) {
        s = MergeMap(*ov, pv, child);
      } else if (ov->IsArray()) {
        std::optional<std::string> mk = merge_key_(child);
        if (mk || delete_list) {
          s = MergeList(*ov, pv, mk.value_or(""), delete_list, child);
        } else {
          *ov = std::move(pv);
        }
      } else if (!delete_list) {
        *ov = std::move(pv);
      }
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  // `$retainKeys: [..]` clears every original key not listed; each key the
  // patch sets must be listed.
  Status ApplyRetainKeys(Json& original, Json& patch) {
    Json* retain = Member(patch, kRetainKeysDirective);
    if (!retain) return Status::Ok();
    Status bad = Status::BadRequest("invalid patch format of retainKeys");
    if (!retain->IsArray()) return bad;
    std::vector<std::string> keep;
    for (const Json& k : retain->GetArray()) {
      if (k.IsString()) keep.emplace_back(Name(k));
    }
    EraseMember(patch, kRetainKeysDirective);
    auto kept = [&](std::string_view k) {
      return std::find(keep.begin(), keep.end(), k) != keep.end();
    };
    for (const auto& m : patch.GetObject()) {
      std::string_view k = Name(m.name);
      if (m.value.IsNull() || HasPrefix(k, kDeleteFromPrimitiveListPrefix) ||
          HasPrefix(k, kSetElementOrderPrefix)) {
        continue;
      }
      if (!kept(k)) return bad;
    }
    for (auto it = original.MemberBegin(); it != original.MemberEnd();) {
      it = kept(Name(it->name)) ? it + 1 : original.EraseMember(it);
    }
    return Status::Ok();
  }

  // Handles every `$setElementOrder/<key>` of `patch`: merges patch[key]
  // into original[key] and orders the result by the directive's list.
  // Consumes the directive and patch[key].
  Status MergeOrderedLists(Json& original, Json& patch,
                           const std::string& path) {
    std::vector<std::string> directives;
    for (const auto& m : patch.GetObject()) {
      if (HasPrefix(Name(m.name), kSetElementOrderPrefix)) {
        directives.emplace_back(Name(m.name));
      }
    }
    const char* kBadFormat = "invalid patch format of setElementOrder list";
    for (const std::string& directive : directives) {
      Json order = std::move(*Member(patch, directive));
      EraseMember(patch, directive);
      if (!order.IsArray()) return Status::BadRequest(kBadFormat);
      StatusOr<std::string> target =
          DirectiveTarget(directive, kSetElementOrderPrefix, kBadFormat);
      if (!target.ok()) return target.status();
      const std::string& key = *target;
      std::string child = ChildPath(path, key);
      Json* ol = Member(original, key);
      Json* pl = Member(patch, key);
      if ((ol && !ol->IsArray()) || (pl && !pl->IsArray())) {
        return Status::BadRequest(kBadFormat);
      }
      if (!ol && !pl) continue;
      std::optional<std::string> mk = merge_key_(child);
      std::string merge_key = mk.value_or("");
      if (pl) {
        if (Status s = CheckOrder(*pl, order, merge_key); !s.ok()) return s;
      }
      Json server_order(rapidjson::kArrayType);
      if (ol) server_order.CopyFrom(*ol, alloc_);
      if (ol && pl) {
        if (mk) {
          Status s = MergeList(*ol, *pl, merge_key, false, child);
          if (!s.ok()) return s;
        } else {
          *ol = std::move(*pl);
        }
      } else if (pl) {
        RemoveDirectives(*pl);
        SetMember(original, key, std::move(*pl), alloc_);
        ol = Member(original, key);
      }
      EraseMember(patch, key);
      if (ol->Empty()) continue;
      StatusOr<std::vector<const Json*>> order_ids =
          Identities(order, merge_key);
      if (!order_ids.ok()) return order_ids.status();
      StatusOr<std::vector<const Json*>> server_ids =
          Identities(server_order, merge_key);
      if (!server_ids.ok()) return server_ids.status();
      Status s = Reorder(*ol, *order_ids, *server_ids, merge_key, alloc_);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  // The patch list, minus `$patch: delete` elements, must name its elements
  // in the order the `$setElementOrder` list gives them.
  Status CheckOrder(const Json& patch_list, const Json& order,
                    const std::string& key) {
    if (order.Empty() || patch_list.Empty()) return Status::Ok();
    std::vector<const Json*> items;
    for (const Json& e : patch_list.GetArray()) {
      const Json* d = Member(e, kPatchDirective);
      if (!key.empty() && d && IsString(*d, "delete")) continue;
      items.push_back(&e);
    }
    size_t pi = 0, oi = 0;
    while (pi < items.size() && oi < order.Size()) {
      if (Member(*items[pi], kPatchDirective)) {
        ++pi;
        continue;
      }
      StatusOr<const Json*> a = Identity(*items[pi], key);
      if (!a.ok()) return a.status();
      StatusOr<const Json*> b = Identity(order[oi], key);
      if (!b.ok()) return b.status();
      if (**a == **b) ++pi;
      ++oi;
    }
    if (pi < items.size()) {
      return Status::BadRequest(
          "The order in patch list:\n" + ToJson(patch_list) +
          "\n doesn't match $setElementOrder list:\n" + ToJson(order) + "\n");
    }
    return Status::Ok();
  }

  // Merges list `patch` into list `original` by `key` ("" for primitives).
  // `delete_list`: `patch` lists primitives to remove from `original`.
  Status MergeList(Json& original, Json& patch, const std::string& key,
                   bool delete_list, const std::string& path) {
    if (original.Empty() && patch.Empty()) return Status::Ok();
    bool has_object = false, has_other = false;
    for (const Json* list : {&original, &patch}) {
      for (const Json& e : list->GetArray()) {
        if (e.IsArray())
          return Status::Invalid("lists of lists are not supported");
        (e.IsObject() ? has_object : has_other) = true;
      }
    }
    if (has_object && has_other) {
      return Status::BadRequest("list element types are not identical in " +
                                path);
    }
    if (!has_object) return MergePrimitiveList(original, patch, delete_list);
    if (key.empty()) {
      return Status::BadRequest("cannot merge lists without merge key for " +
                                path);
    }

    Json plain(rapidjson::kArrayType);
    bool replace = false;
    for (Json& e : patch.GetArray()) {
      const Json* d = Member(e, kPatchDirective);
      if (!d) {
        plain.PushBack(std::move(e), alloc_);
      } else if (IsString(*d, "delete")) {
        const Json* id = Member(e, key);
        if (!id) return NoMergeKey(e, key);
        for (auto it = original.Begin(); it != original.End();) {
          const Json* oid = Member(*it, key);
          it = oid && *oid == *id ? original.Erase(it) : it + 1;
        }
      } else if (IsString(*d, "replace")) {
        replace = true;
      } else if (!IsString(*d, "merge")) {
        return Status::BadRequest("unknown patch type: " + ToJson(*d) +
                                  " in map: " + ToJson(e));
      }
    }
    if (replace) {
      original = std::move(plain);
      plain.SetArray();
    }
    StatusOr<std::vector<const Json*>> plain_ids = Identities(plain, key);
    if (!plain_ids.ok()) return plain_ids.status();
    Json patch_order = IdentityCopies(*plain_ids, alloc_);
    StatusOr<std::vector<const Json*>> original_ids = Identities(original, key);
    if (!original_ids.ok()) return original_ids.status();
    Json server_order = IdentityCopies(*original_ids, alloc_);

    for (Json& e : plain.GetArray()) {
      const Json* id = Member(e, key);
      Json* match = nullptr;
      for (Json& o : original.GetArray()) {
        const Json* oid = Member(o, key);
        if (oid && *oid == *id) {
          match = &o;
          break;
        }
      }
      if (match) {
        if (Status s = MergeMap(*match, e, path); !s.ok()) return s;
      } else {
        original.PushBack(std::move(e), alloc_);
      }
    }
    return Reorder(original, Pointers(patch_order), Pointers(server_order), key,
                   alloc_);
  }

  Status MergePrimitiveList(Json& original, Json& patch, bool delete_list) {
    auto contains = [](const Json& list, const Json& v) {
      for (const Json& e : list.GetArray()) {
        if (e == v) return true;
      }
      return false;
    };
    if (delete_list) {
      for (auto it = original.Begin(); it != original.End();) {
        it = contains(patch, *it) ? original.Erase(it) : it + 1;
      }
      return Status::Ok();
    }
    Json server_order(original, alloc_);
    Json merged(rapidjson::kArrayType);
    for (Json* list : {&original, &patch}) {
      for (Json& e : list->GetArray()) {
        if (!contains(merged, e)) merged.PushBack(Json(e, alloc_), alloc_);
      }
    }
    original = std::move(merged);
    return Reorder(original, Pointers(patch), Pointers(server_order), "",
                   alloc_);
  }

  JsonAlloc& alloc_;
  const MergeKeyFn& merge_key_;
};

}  // namespace

Status ApplyStrategicMergePatch(const Json& patch, Json& target,
                                JsonAlloc& alloc, const MergeKeyFn& merge_key) {
  if (!patch.IsObject()) {
    return Status::BadRequest("strategic merge patch must be a JSON object");
  }
  if (!target.IsObject()) {
    return Status::BadRequest("strategic merge patch target must be an object");
  }
  Json work(target, alloc);
  Json p(patch, alloc);
  Merger merger(alloc, merge_key);
  if (Status s = merger.MergeMap(work, p, ""); !s.ok()) return s;
  StripDirectiveKeys(work);
  target = std::move(work);
  return Status::Ok();
}

}  // namespace berth::patch
