#include "secret_kind.h"

#include <rapidjson/error/error.h>

#include "age.h"
#include "base64.h"
#include "config_map_kind.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr const char* kRedacted = "<secret contents redacted>";

// Go's base64 error: the offset of the first byte that cannot be decoded.
std::string Base64Error(const std::string& text) {
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                    c == '\r' || c == '\n';
    if (!ok) break;
  }
  if (i < text.size() && text[i] == '=') i = text.size() - text.size() % 4;
  return "illegal base64 data at input byte " + std::to_string(i);
}

// Checks data[key] exists and, when `json`, that it decodes to JSON.
void RequireKey(const Json* data, const char* key, bool json,
                std::vector<FieldCause>& causes) {
  const std::string path = Key("data", key);
  const Json* v = data ? Member(*data, key) : nullptr;
  if (!v) {
    causes.push_back(field::Required(path));
    return;
  }
  if (!json) return;
  auto decoded = Base64Decode(Str(v));
  if (!decoded) return;  // reported by the base64 check
  std::string err = JsonSyntaxError(*decoded);
  if (!err.empty()) causes.push_back(field::Invalid(path, kRedacted, err));
}

}  // namespace

std::string JsonSyntaxError(const std::string& text) {
  JsonDoc d;
  d.Parse(text.data(), text.size());
  if (!d.HasParseError()) return "";
  size_t off = d.GetErrorOffset();
  while (off < text.size() && (text[off] == ' ' || text[off] == '\n' ||
                               text[off] == '\t' || text[off] == '\r')) {
    ++off;
  }
  if (off >= text.size()) return "unexpected end of JSON input";
  const std::string ch = std::string("invalid character '") + text[off] + "' ";
  switch (d.GetParseError()) {
    case rapidjson::kParseErrorObjectMissName:
      return ch + "looking for beginning of object key string";
    case rapidjson::kParseErrorObjectMissColon:
      return ch + "after object key";
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
      return ch + "after object key:value pair";
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
      return ch + "after array element";
    case rapidjson::kParseErrorDocumentRootNotSingular:
      return ch + "after top-level value";
    default:
      return ch + "looking for beginning of value";
  }
}

SecretKind::SecretKind() {
  info_.version = "v1";
  info_.kind = "Secret";
  info_.plural = "secrets";
  info_.singular = "secret";
  info_.schema_name = "io.k8s.api.core.v1.Secret";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

void SecretKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  SetDefaultString(obj, "type", "Opaque", a);
  Json* string_data = Member(obj, "stringData");
  if (!string_data) return;
  if (string_data->IsObject() && string_data->MemberCount() > 0) {
    Json& data = EnsureObject(obj, "data", a);
    for (auto it = string_data->MemberBegin(); it != string_data->MemberEnd();
         ++it) {
      SetString(data, it->name.GetString(), Base64Encode(Str(&it->value)), a);
    }
  }
  obj.RemoveMember("stringData");
}

std::vector<FieldCause> SecretKind::Validate(const Json& obj,
                                             const Json* old) const {
  std::vector<FieldCause> causes;
  const Json* data = Member(obj, "data");
  if (data && data->IsObject()) {
    for (auto it = data->MemberBegin(); it != data->MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      const std::string path = Key("data", key);
      AddInvalid(causes, path, key, IsConfigMapKey(key));
      const std::string value = Str(&it->value);
      if (!it->value.IsString() || !Base64Decode(value)) {
        causes.push_back(field::Invalid(path, kRedacted, Base64Error(value)));
      }
    }
  }
  const std::string type = Str(Member(obj, "type"));
  if (type == "kubernetes.io/dockerconfigjson") {
    RequireKey(data, ".dockerconfigjson", true, causes);
  } else if (type == "kubernetes.io/dockercfg") {
    RequireKey(data, ".dockercfg", true, causes);
  } else if (type == "kubernetes.io/basic-auth") {
    if (!data || (!Member(*data, "username") && !Member(*data, "password"))) {
      causes.push_back(field::Required("data[username]"));
      causes.push_back(field::Required("data[password]"));
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    RequireKey(data, "ssh-privatekey", false, causes);
  } else if (type == "kubernetes.io/tls") {
    RequireKey(data, "tls.key", false, causes);
    RequireKey(data, "tls.crt", false, causes);
  }
  if (old) {
    const std::string old_type = Str(Member(*old, "type"));
    if (old_type != type) {
      causes.push_back(field::Invalid("type", type, "field is immutable"));
    }
  }
  ValidateImmutableData(obj, old, causes);
  return causes;
}

std::vector<PrinterColumn> SecretKind::Columns() const {
  return {NameColumn(),
          StringColumn("Type",
                       "Used to facilitate programmatic handling of secret "
                       "data."),
          StringColumn("Data",
                       "Data contains the secret data. Each key must consist "
                       "of alphanumeric characters, '-', '_' or '.'."),
          AgeColumn()};
}

void SecretKind::Cells(const Json& obj,
                       std::chrono::system_clock::time_point now, Json& cells,
                       JsonAlloc& alloc) const {
  const Json* data = Member(obj, "data");
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, Str(Member(obj, "type")), alloc);
  AppendCell(
      cells,
      static_cast<int64_t>(data && data->IsObject() ? data->MemberCount() : 0),
      alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

std::vector<std::string> SecretKind::SelectableFields() const {
  return {"type"};
}

std::map<std::string, std::string> SecretKind::FieldValues(
    const Json& obj) const {
  return {{"type", Str(Member(obj, "type"))}};
}

}  // namespace berth::core
