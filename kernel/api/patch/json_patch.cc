#include "kernel/api/patch/json_patch.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::patch {
namespace {

using rapidjson::SizeType;

// A parsed JSON pointer: the reference tokens, unescaped.
using Pointer = std::vector<std::string>;

StatusOr<Pointer> ParsePointer(std::string_view text) {
  Pointer tokens;
  if (text.empty()) return tokens;
  if (text.front() != '/') {
    return Status::BadRequest("JSON pointer \"" + std::string(text) +
                              "\" must be empty or start with '/'");
  }
  std::string cur;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      tokens.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    if (text[i] == '~') {
      char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return Status::BadRequest("JSON pointer \"" + std::string(text) +
                                  "\" has an invalid '~' escape");
      }
      cur += next == '0' ? '~' : '/';
      ++i;
      continue;
    }
    cur += text[i];
  }
  return tokens;
}

// RFC 6901 array index: "0" or digits without a leading zero.
std::optional<SizeType> ArrayIndex(const std::string& token) {
  if (token.empty() || token.size() > 9) return std::nullopt;
  if (token.size() > 1 && token[0] == '0') return std::nullopt;
  SizeType v = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<SizeType>(c - '0');
  }
  return v;
}

Json* Resolve(Json& root, const Pointer& ptr, size_t depth) {
  Json* cur = &root;
  for (size_t i = 0; i < depth; ++i) {
    const std::string& t = ptr[i];
    if (cur->IsObject()) {
      cur = Member(*cur, t);
    } else if (cur->IsArray()) {
      std::optional<SizeType> idx = ArrayIndex(t);
      cur = idx && *idx < cur->Size() ? &(*cur)[*idx] : nullptr;
    } else {
      cur = nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

Status Missing(std::string_view op, std::string_view path) {
  return Status::Invalid(std::string(op) +
                         " operation does not apply: doc is missing path: \"" +
                         std::string(path) + "\"");
}

// Inserts `value` at `ptr`, replacing an existing member (RFC "add").
Status Add(Json& root, const Pointer& ptr, std::string_view path, Json value,
           JsonAlloc& alloc) {
  if (ptr.empty()) {
    root = std::move(value);
    return Status::Ok();
  }
  Json* parent = Resolve(root, ptr, ptr.size() - 1);
  if (!parent) return Missing("add", path);
  const std::string& last = ptr.back();
  if (parent->IsObject()) {
    SetMember(*parent, last, std::move(value), alloc);
    return Status::Ok();
  }
  if (!parent->IsArray()) return Missing("add", path);
  SizeType size = parent->Size();
  std::optional<SizeType> idx =
      last == "-" ? std::optional<SizeType>(size) : ArrayIndex(last);
  if (!idx || *idx > size) {
    return Status::Invalid(
        "add operation does not apply: index out of "
        "bounds at \"" +
        std::string(path) + "\"");
  }
  parent->PushBack(Json(), alloc);
  for (SizeType i = size; i > *idx; --i)
    (*parent)[i] = std::move((*parent)[i - 1]);
  (*parent)[*idx] = std::move(value);
  return Status::Ok();
}

// Detaches and returns the value at `ptr`.
StatusOr<Json> Remove(Json& root, const Pointer& ptr, std::string_view op,
                      std::string_view path) {
  if (ptr.empty()) {
    return Status::Invalid(std::string(op) +
                           " operation does not apply: cannot remove the "
                           "document root");
  }
  Json* parent = Resolve(root, ptr, ptr.size() - 1);
  if (!parent) return Missing(op, path);
  const std::string& last = ptr.back();
  if (parent->IsObject()) {
    auto it = parent->FindMember(
        rapidjson::StringRef(last.data(), static_cast<SizeType>(last.size())));
    if (it == parent->MemberEnd()) return Missing(op, path);
    Json out = std::move(it->value);
    parent->EraseMember(it);
    return out;
  }
  if (parent->IsArray()) {
    std::optional<SizeType> idx = ArrayIndex(last);
    if (!idx || *idx >= parent->Size()) return Missing(op, path);
    Json out = std::move((*parent)[*idx]);
    parent->Erase(parent->Begin() + *idx);
    return out;
  }
  return Missing(op, path);
}

struct Operation {
  std::string op;
  std::string path;
  Pointer path_ptr;
  std::string from;
  Pointer from_ptr;
  const Json* value = nullptr;
};

StatusOr<Operation> DecodeOperation(const Json& v, size_t index) {
  std::string where = "operation " + std::to_string(index);
  if (!v.IsObject()) {
    return Status::BadRequest("invalid JSON patch: " + where +
                              " is not an object");
  }
  Operation o;
  const Json* op = Member(v, "op");
  const Json* path = Member(v, "path");
  if (!op || !op->IsString()) {
    return Status::BadRequest("invalid JSON patch: " + where +
                              " has no string \"op\"");
  }
  if (!path || !path->IsString()) {
    return Status::BadRequest("invalid JSON patch: " + where +
                              " has no string \"path\"");
  }
  o.op.assign(op->GetString(), op->GetStringLength());
  o.path.assign(path->GetString(), path->GetStringLength());
  if (o.op != "add" && o.op != "remove" && o.op != "replace" &&
      o.op != "move" && o.op != "copy" && o.op != "test") {
    return Status::BadRequest("invalid JSON patch: unexpected op \"" + o.op +
                              "\" in " + where);
  }
  StatusOr<Pointer> p = ParsePointer(o.path);
  if (!p.ok()) return p.status();
  o.path_ptr = std::move(p).value();
  if (o.op == "add" || o.op == "replace" || o.op == "test") {
    o.value = Member(v, "value");
    if (!o.value) {
      return Status::BadRequest("invalid JSON patch: " + where + " (" + o.op +
                                ") has no \"value\"");
    }
  }
  if (o.op == "move" || o.op == "copy") {
    const Json* from = Member(v, "from");
    if (!from || !from->IsString()) {
      return Status::BadRequest("invalid JSON patch: " + where + " (" + o.op +
                                ") has no string \"from\"");
    }
    o.from.assign(from->GetString(), from->GetStringLength());
    StatusOr<Pointer> f = ParsePointer(o.from);
    if (!f.ok()) return f.status();
    o.from_ptr = std::move(f).value();
  }
  return o;
}

bool IsProperPrefix(const Pointer& prefix, const Pointer& p) {
  if (prefix.size() >= p.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != p[i]) return false;
  }
  return true;
}

Status ApplyOperation(const Operation& o, Json& doc, JsonAlloc& alloc) {
  if (o.op == "add")
    return Add(doc, o.path_ptr, o.path, Json(*o.value, alloc), alloc);
  if (o.op == "remove")
    return Remove(doc, o.path_ptr, "remove", o.path).status();
  if (o.op == "replace") {
    Json* target = Resolve(doc, o.path_ptr, o.path_ptr.size());
    if (!target) return Missing("replace", o.path);
    target->CopyFrom(*o.value, alloc);
    return Status::Ok();
  }
  if (o.op == "test") {
    Json* target = Resolve(doc, o.path_ptr, o.path_ptr.size());
    if (!target || *target != *o.value) {
      return Status::Invalid("testing value " + o.path +
                             " failed: test failed");
    }
    return Status::Ok();
  }
  if (o.op == "copy") {
    Json* source = Resolve(doc, o.from_ptr, o.from_ptr.size());
    if (!source) return Missing("copy", o.from);
    return Add(doc, o.path_ptr, o.path, Json(*source, alloc), alloc);
  }
  // move
  if (o.from_ptr == o.path_ptr) {
    if (!Resolve(doc, o.from_ptr, o.from_ptr.size()))
      return Missing("move", o.from);
    return Status::Ok();
  }
  if (IsProperPrefix(o.from_ptr, o.path_ptr)) {
    return Status::Invalid("move operation does not apply: \"" + o.from +
                           "\" cannot be moved into its own child \"" + o.path +
                           "\"");
  }
  StatusOr<Json> value = Remove(doc, o.from_ptr, "move", o.from);
  if (!value.ok()) return value.status();
  return Add(doc, o.path_ptr, o.path, std::move(value).value(), alloc);
}

}  // namespace

Status ApplyJsonPatch(const Json& patch, Json& target, JsonAlloc& alloc) {
  if (!patch.IsArray()) {
    return Status::BadRequest(
        "invalid JSON patch: expected a list of operations");
  }
  std::vector<Operation> ops;
  for (SizeType i = 0; i < patch.Size(); ++i) {
    StatusOr<Operation> o = DecodeOperation(patch[i], i);
    if (!o.ok()) return o.status();
    ops.push_back(std::move(o).value());
  }
  Json work(target, alloc);
  for (const Operation& o : ops) {
    Status s = ApplyOperation(o, work, alloc);
    if (!s.ok()) return s;
  }
  target = std::move(work);
  return Status::Ok();
}

}  // namespace berth::patch
