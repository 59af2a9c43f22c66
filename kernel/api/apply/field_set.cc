#include "kernel/api/apply/field_set.h"

#include <utility>

namespace berth::apply {
namespace {

bool ValidElement(std::string_view e) {
  if (e.size() < 2 || e[1] != ':') return false;
  return e[0] == 'f' || e[0] == 'k' || e[0] == 'v' || e[0] == 'i';
}

void Encode(const FieldSet& set, Json& out, JsonAlloc& a) {
  out.SetObject();
  if (set.member() && !set.children().empty()) {
    out.AddMember(".", Json(rapidjson::kObjectType), a);
  }
  for (const auto& [element, child] : set.children()) {
    Json v;
    Encode(child, v, a);
    out.AddMember(Json(element.c_str(), a), std::move(v), a);
  }
}

StatusOr<FieldSet> Decode(const Json& fields) {
  if (!fields.IsObject()) {
    return Status::BadRequest("FieldsV1: a path element is not an object");
  }
  FieldSet set;
  if (fields.ObjectEmpty()) set.set_member(true);
  for (auto& m : fields.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == ".") {
      set.set_member(true);
      continue;
    }
    if (!ValidElement(name)) {
      return Status::BadRequest("FieldsV1: unexpected path element \"" +
                                std::string(name) + "\"");
    }
    auto child = Decode(m.value);
    if (!child.ok()) return child.status();
    set.Child(std::string(name)) = std::move(child).value();
  }
  return set;
}

// The printed form of a JSON value inside a path: strings quoted, the rest
// as their JSON text.
std::string ValueString(const Json& v) { return ToJson(v); }

}  // namespace

std::string PathElementString(std::string_view element) {
  if (element.size() < 2) return std::string(element);
  std::string_view body = element.substr(2);
  switch (element[0]) {
    case 'f':
      return "." + std::string(body);
    case 'i':
      return "[" + std::string(body) + "]";
    case 'v':
      return "[=" + std::string(body) + "]";
    case 'k': {
      auto doc = ParseJson(body);
      if (!doc.ok() || !doc->IsObject()) return "[" + std::string(body) + "]";
      std::string out = "[";
      bool first = true;
      for (auto& m : doc->GetObject()) {
        if (!first) out += ",";
        first = false;
        out += std::string(m.name.GetString(), m.name.GetStringLength()) + "=" +
               ValueString(m.value);
      }
      return out + "]";
    }
    default:
      return std::string(element);
  }
}

StatusOr<FieldSet> FieldSet::FromFieldsV1(const Json& fields) {
  auto set = Decode(fields);
  if (!set.ok()) return set.status();
  // The root is never a member: "{}" is the empty set.
  set->set_member(false);
  return set;
}

JsonDoc FieldSet::ToFieldsV1() const {
  JsonDoc d;
  ToFieldsV1(d, d.GetAllocator());
  return d;
}

void FieldSet::ToFieldsV1(Json& out, JsonAlloc& a) const {
  Encode(*this, out, a);
  // The root's own membership is never written.
  out.RemoveMember(".");
}

std::string FieldSet::ToFieldsV1String() const { return ToJson(ToFieldsV1()); }

const FieldSet* FieldSet::Find(std::string_view element) const {
  auto it = children_.find(element);
  return it == children_.end() ? nullptr : &it->second;
}

void FieldSet::Erase(std::string_view element) {
  auto it = children_.find(element);
  if (it != children_.end()) children_.erase(it);
}

void FieldSet::Prune() {
  for (auto it = children_.begin(); it != children_.end();) {
    it->second.Prune();
    if (it->second.Empty()) {
      it = children_.erase(it);
    } else {
      ++it;
    }
  }
}

void FieldSet::Insert(const std::vector<std::string>& elements) {
  FieldSet* node = this;
  for (const auto& e : elements) node = &node->Child(e);
  node->member_ = true;
}

bool FieldSet::Has(const std::vector<std::string>& elements) const {
  const FieldSet* node = this;
  for (const auto& e : elements) {
    node = node->Find(e);
    if (!node) return false;
  }
  return node->member_;
}

FieldSet FieldSet::Union(const FieldSet& other) const {
  FieldSet out = *this;
  out.member_ = member_ || other.member_;
  for (const auto& [element, child] : other.children_) {
    auto it = out.children_.find(element);
    if (it == out.children_.end()) {
      out.children_.emplace(element, child);
    } else {
      it->second = it->second.Union(child);
    }
  }
  return out;
}

FieldSet FieldSet::Difference(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && !other.member_;
  for (const auto& [element, child] : children_) {
    const FieldSet* o = other.Find(element);
    FieldSet c = o ? child.Difference(*o) : child;
    if (!c.Empty()) out.children_.emplace(element, std::move(c));
  }
  return out;
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [element, child] : children_) {
    const FieldSet* o = other.Find(element);
    if (!o) continue;
    FieldSet c = child.Intersection(*o);
    if (!c.Empty()) out.children_.emplace(element, std::move(c));
  }
  return out;
}

void FieldSet::Add(const FieldSet& other) {
  member_ = member_ || other.member_;
  for (const auto& [element, child] : other.children_) {
    children_[element].Add(child);
  }
}

void FieldSet::Subtract(const FieldSet& other) {
  if (other.member_) member_ = false;
  for (const auto& [element, child] : other.children_) {
    auto it = children_.find(element);
    if (it == children_.end()) continue;
    it->second.Subtract(child);
    if (it->second.Empty()) children_.erase(it);
  }
}

void FieldSet::CollectPaths(const std::string& prefix,
                            std::vector<std::string>* out) const {
  if (member_) out->push_back(prefix);
  for (const auto& [element, child] : children_) {
    child.CollectPaths(prefix + PathElementString(element), out);
  }
}

std::vector<std::string> FieldSet::PathStrings() const {
  std::vector<std::string> out;
  CollectPaths("", &out);
  return out;
}

}  // namespace berth::apply
