#include "kernel/api/apply/object_fields.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berth::apply {
namespace {

using patch::MergeKeyFn;

std::string Join(const std::string& dotted, const Json& name) {
  std::string n(name.GetString(), name.GetStringLength());
  return dotted.empty() ? n : dotted + "." + n;
}

std::string FieldElement(const Json& name) {
  return "f:" + std::string(name.GetString(), name.GetStringLength());
}

// "k:{"name":"x"}" for an item of a list keyed by `key`; nullopt when the
// item has no such key, which makes the list atomic.
std::optional<std::string> ItemElement(const std::string& key,
                                       const Json& item) {
  if (!item.IsObject()) return std::nullopt;
  const Json* v = Member(item, key);
  if (!v) return std::nullopt;
  JsonDoc k(rapidjson::kObjectType);
  k.AddMember(Json(key.c_str(), k.GetAllocator()), Json(*v, k.GetAllocator()),
              k.GetAllocator());
  return "k:" + ToJson(k);
}

std::string ValueElement(const Json& item) { return "v:" + ToJson(item); }

// How the list at `dotted` holds its items: by key ("name"), as a set of
// scalars (""), or atomically (nullopt, also when an item lacks the key).
std::optional<std::string> ListKey(const Json& list, const std::string& dotted,
                                   const MergeKeyFn& merge_key) {
  std::optional<std::string> key = merge_key ? merge_key(dotted) : std::nullopt;
  if (!key) return std::nullopt;
  for (auto& item : list.GetArray()) {
    if (key->empty() ? (item.IsObject() || item.IsArray())
                     : !ItemElement(*key, item)) {
      return std::nullopt;
    }
  }
  return key;
}

void ValueFields(const Json& v, const std::string& dotted, const MergeKeyFn& mk,
                 FieldSet& node);

void ObjectFields(const Json& obj, const std::string& dotted,
                  const MergeKeyFn& mk, FieldSet& node) {
  for (auto& m : obj.GetObject()) {
    FieldSet& child = node.Child(FieldElement(m.name));
    if (m.value.IsObject() && m.value.ObjectEmpty()) {
      child.set_member(true);
    } else {
      ValueFields(m.value, Join(dotted, m.name), mk, child);
    }
  }
}

void ValueFields(const Json& v, const std::string& dotted, const MergeKeyFn& mk,
                 FieldSet& node) {
  if (v.IsObject()) {
    ObjectFields(v, dotted, mk, node);
    return;
  }
  if (!v.IsArray()) {
    node.set_member(true);
    return;
  }
  std::optional<std::string> key = ListKey(v, dotted, mk);
  if (!key) {
    node.set_member(true);
    return;
  }
  for (auto& item : v.GetArray()) {
    if (key->empty()) {
      node.Child(ValueElement(item)).set_member(true);
      continue;
    }
    FieldSet& child = node.Child(*ItemElement(*key, item));
    child.set_member(true);
    ObjectFields(item, dotted, mk, child);
  }
}

// Every path at and beneath `v`, `v` itself included when `self`.
void AllFields(const Json& v, const std::string& dotted, const MergeKeyFn& mk,
               bool self, FieldSet& node) {
  if (self) node.set_member(true);
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      AllFields(m.value, Join(dotted, m.name), mk, true,
                node.Child(FieldElement(m.name)));
    }
    return;
  }
  if (!v.IsArray()) return;
  std::optional<std::string> key = ListKey(v, dotted, mk);
  if (!key) return;
  for (auto& item : v.GetArray()) {
    if (key->empty()) {
      node.Child(ValueElement(item)).set_member(true);
    } else {
      AllFields(item, dotted, mk, true, node.Child(*ItemElement(*key, item)));
    }
  }
}

// metadata, spec and status are structs present in every object (the
// apiserver compares against a zero object of the kind, which has them),
// so they are never added or removed as such; other top-level maps (a
// ConfigMap's data) are.
bool IsRootStruct(const Json::Member& m) {
  std::string_view n(m.name.GetString(), m.name.GetStringLength());
  return m.value.IsObject() &&
         (n == "metadata" || n == "spec" || n == "status");
}

// The changes beneath one path; children are attached to the parent only
// when they hold something, so unchanged parts of an object allocate
// nothing.
void Attach(FieldChanges& parent, const std::string& element,
            FieldChanges&& child) {
  if (!child.added.Empty())
    parent.added.Child(element) = std::move(child.added);
  if (!child.modified.Empty()) {
    parent.modified.Child(element) = std::move(child.modified);
  }
  if (!child.removed.Empty()) {
    parent.removed.Child(element) = std::move(child.removed);
  }
}

void Attach(FieldSet& parent, const std::string& element, FieldSet&& child) {
  if (!child.Empty()) parent.Child(element) = std::move(child);
}

void CompareValues(const Json& a, const Json& b, const std::string& dotted,
                   const MergeKeyFn& mk, FieldChanges& c);

void CompareMaps(const Json& a, const Json& b, const std::string& dotted,
                 const MergeKeyFn& mk, FieldChanges& c,
                 bool members_are_fields) {
  for (auto& m : b.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    const Json* old = Member(a, name);
    if (old && *old == m.value) continue;
    std::string e = FieldElement(m.name);
    if (!old) {
      FieldSet added;
      AllFields(m.value, Join(dotted, m.name), mk,
                members_are_fields || !IsRootStruct(m), added);
      Attach(c.added, e, std::move(added));
    } else {
      FieldChanges sub;
      CompareValues(*old, m.value, Join(dotted, m.name), mk, sub);
      Attach(c, e, std::move(sub));
    }
  }
  for (auto& m : a.GetObject()) {
    if (Member(b, std::string_view(m.name.GetString(),
                                   m.name.GetStringLength()))) {
      continue;
    }
    FieldSet removed;
    AllFields(m.value, Join(dotted, m.name), mk,
              members_are_fields || !IsRootStruct(m), removed);
    Attach(c.removed, FieldElement(m.name), std::move(removed));
  }
}

void CompareLists(const Json& a, const Json& b, const std::string& key,
                  const std::string& dotted, const MergeKeyFn& mk,
                  FieldChanges& c) {
  auto element = [&key](const Json& item) {
    return key.empty() ? ValueElement(item) : *ItemElement(key, item);
  };
  std::map<std::string, const Json*> before;
  for (auto& item : a.GetArray()) before.emplace(element(item), &item);
  std::map<std::string, const Json*> after;
  for (auto& item : b.GetArray()) after.emplace(element(item), &item);
  for (auto& [e, item] : after) {
    auto it = before.find(e);
    if (it == before.end()) {
      AllFields(*item, dotted, mk, true, c.added.Child(e));
    } else if (!key.empty() && !(*it->second == *item)) {
      FieldChanges sub;
      CompareMaps(*it->second, *item, dotted, mk, sub, true);
      Attach(c, e, std::move(sub));
    }
  }
  for (auto& [e, item] : before) {
    if (!after.count(e)) AllFields(*item, dotted, mk, true, c.removed.Child(e));
  }
}

void CompareValues(const Json& a, const Json& b, const std::string& dotted,
                   const MergeKeyFn& mk, FieldChanges& c) {
  if (a.IsObject() && b.IsObject()) {
    CompareMaps(a, b, dotted, mk, c, true);
    return;
  }
  if (a.IsArray() && b.IsArray()) {
    std::optional<std::string> ka = ListKey(a, dotted, mk);
    std::optional<std::string> kb = ListKey(b, dotted, mk);
    if (ka && kb) {
      CompareLists(a, b, *ka, dotted, mk, c);
      return;
    }
  }
  if (a == b) return;
  // A scalar, an atomic list, or a change of type: the field itself
  // changed; what was beneath it is gone and what is beneath it now is new.
  c.modified.set_member(true);
  AllFields(a, dotted, mk, false, c.removed);
  AllFields(b, dotted, mk, false, c.added);
}

// The item of `list` that the "k:" or "v:" element names, or -1.
int FindItem(const Json& list, std::string_view element) {
  auto want = ParseJson(element.substr(2));
  if (!want.ok()) return -1;
  int index = 0;
  for (auto& item : list.GetArray()) {
    if (element[0] == 'v') {
      if (item == *want) return index;
    } else if (element[0] == 'k' && item.IsObject() && want->IsObject()) {
      bool match = true;
      for (auto& k : want->GetObject()) {
        const Json* v = Member(
            item,
            std::string_view(k.name.GetString(), k.name.GetStringLength()));
        if (!v || !(*v == k.value)) {
          match = false;
          break;
        }
      }
      if (match) return index;
    }
    ++index;
  }
  return -1;
}

void Remove(Json& v, const FieldSet& remove, const FieldSet* keep) {
  for (const auto& [element, child] : remove.children()) {
    const FieldSet* kept = keep ? keep->Find(element) : nullptr;
    const bool drop = child.member() && (!kept || kept->Empty());
    if (element[0] == 'f' && v.IsObject()) {
      std::string_view name = std::string_view(element).substr(2);
      Json* m = Member(v, name);
      if (!m) continue;
      if (drop) {
        v.RemoveMember(Json(rapidjson::StringRef(name.data(), name.size())));
      } else {
        Remove(*m, child, kept);
      }
    } else if ((element[0] == 'k' || element[0] == 'v') && v.IsArray()) {
      int i = FindItem(v, element);
      if (i < 0) continue;
      if (drop) {
        v.Erase(v.Begin() + i);
      } else {
        Remove(v[i], child, kept);
      }
    }
  }
}

}  // namespace

FieldSet FieldsOf(const Json& obj, const MergeKeyFn& merge_key) {
  FieldSet set;
  if (obj.IsObject()) ObjectFields(obj, "", merge_key, set);
  set.Prune();
  return set;
}

FieldChanges CompareObjects(const Json& before, const Json& after,
                            const MergeKeyFn& merge_key) {
  FieldChanges changes;
  static const Json kEmpty(rapidjson::kObjectType);
  CompareMaps(before.IsObject() ? before : kEmpty,
              after.IsObject() ? after : kEmpty, "", merge_key, changes, false);
  changes.added.Prune();
  changes.modified.Prune();
  changes.removed.Prune();
  return changes;
}

void RemoveFields(Json& obj, const FieldSet& remove, const FieldSet& keep) {
  Remove(obj, remove, &keep);
}

}  // namespace berth::apply
