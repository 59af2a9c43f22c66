#include "kernel/api/codec/protobuf_codec.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <utility>

#include "kernel/api/codec/proto_schema.h"

namespace berth::codec {
namespace {

using FieldKind = ProtoFieldKind;
using FieldSpec = ProtoField;
using MessageSpec = ProtoMessage;

constexpr std::string_view kMagic("k8s\0", 4);
// Kubernetes objects nest about 10 deep; anything far deeper is hostile.
constexpr int kMaxDepth = 64;

enum WireType { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

Status Malformed(const std::string& what) {
  return Status::BadRequest("malformed protobuf body: " + what);
}

// Reads protobuf wire format from a byte range it does not own.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool done() const { return pos_ >= data_.size(); }

  bool ReadVarint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *out = v;
        return true;
      }
    }
    return false;
  }

  bool ReadTag(int* field, int* wire_type) {
    uint64_t tag;
    if (!ReadVarint(&tag)) return false;
    *field = static_cast<int>(tag >> 3);
    *wire_type = static_cast<int>(tag & 7);
    return *field > 0 && tag >> 3 <= 0x1fffffff;
  }

  bool ReadBytes(std::string_view* out) {
    uint64_t len;
    if (!ReadVarint(&len) || len > data_.size() - pos_) return false;
    *out = data_.substr(pos_, len);
    pos_ += len;
    return true;
  }

  bool Skip(int wire_type) {
    uint64_t ignored;
    std::string_view bytes;
    switch (wire_type) {
      case kVarint:
        return ReadVarint(&ignored);
      case kFixed64:
        return Advance(8);
      case kLengthDelimited:
        return ReadBytes(&bytes);
      case kFixed32:
        return Advance(4);
      default:  // groups are not used by Kubernetes
        return false;
    }
  }

 private:
  bool Advance(size_t n) {
    if (n > data_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

std::string Base64(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16 |
                 static_cast<uint8_t>(in[i + 1]) << 8 |
                 static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16 |
                 static_cast<uint8_t>(in[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// metav1.Time marshals as RFC 3339 in UTC with whole seconds.
std::string Rfc3339(int64_t seconds) {
  time_t t = static_cast<time_t>(seconds);
  struct tm tm;
  if (!gmtime_r(&t, &tm)) return "";
  char buf[64];
  size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

Json StringValue(std::string_view s, JsonAlloc& alloc) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

std::string FieldName(const MessageSpec& message, const FieldSpec& field) {
  return std::string(message.name) + "." + std::string(field.json_name) +
         " (field " + std::to_string(field.number) + ")";
}

class Decoder {
 public:
  // Nested messages are looked up in `schema`, then among the meta ones.
  Decoder(const ProtobufSchema& schema, JsonAlloc& alloc)
      : schema_(schema), alloc_(alloc) {}

  // Appends the fields of one `message` encoded in `bytes` to the object
  // `out`.
  Status DecodeMessage(const MessageSpec& message, std::string_view bytes,
                       Json* out, int depth) {
    if (depth > kMaxDepth) return Malformed("messages nested too deeply");
    WireReader reader(bytes);
    while (!reader.done()) {
      int number, wire_type;
      if (!reader.ReadTag(&number, &wire_type)) {
        return Malformed("bad field tag in " + std::string(message.name));
      }
      const FieldSpec* field = nullptr;
      for (const FieldSpec& f : message.fields) {
        if (f.number == number) {
          field = &f;
          break;
        }
      }
      if (!field) {
        if (!reader.Skip(wire_type)) {
          return Malformed("truncated field " + std::to_string(number) +
                           " in " + std::string(message.name));
        }
        continue;
      }
      Status s = DecodeField(message, *field, wire_type, &reader, out, depth);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  Status DecodeField(const MessageSpec& message, const FieldSpec& field,
                     int wire_type, WireReader* reader, Json* out, int depth) {
    if (field.flags & kProtoMap) {
      return DecodeMapEntry(message, field, wire_type, reader, out, depth);
    }
    if ((field.flags & kProtoRepeated) && wire_type == kLengthDelimited &&
        IsVarintKind(field.kind)) {
      return DecodePacked(message, field, reader, out);
    }
    Json value;
    bool zero = false;
    Status s =
        DecodeValue(message, field, wire_type, reader, &value, &zero, depth);
    if (!s.ok()) return s;
    if (field.flags & kProtoRepeated) {
      ArrayMember(out, field.json_name).PushBack(std::move(value), alloc_);
      return Status::Ok();
    }
    if (field.flags & kProtoInline) {
      for (auto& m : value.GetObject()) {
        SetMember(*out, {m.name.GetString(), m.name.GetStringLength()},
                  std::move(m.value), alloc_);
      }
      return Status::Ok();
    }
    if (zero && !(field.flags & kProtoPointer)) {
      return Status::Ok();
    }
    SetMember(*out, field.json_name, std::move(value), alloc_);
    return Status::Ok();
  }

  static bool IsVarintKind(FieldKind kind) {
    return kind == FieldKind::kBool || kind == FieldKind::kInt32 ||
           kind == FieldKind::kInt64;
  }

  Json& ArrayMember(Json* out, std::string_view name) {
    Json* existing = Member(*out, name);
    if (existing && existing->IsArray()) return *existing;
    SetMember(*out, name, Json(rapidjson::kArrayType), alloc_);
    return *Member(*out, name);
  }

  Status DecodePacked(const MessageSpec& message, const FieldSpec& field,
                      WireReader* reader, Json* out) {
    std::string_view bytes;
    if (!reader->ReadBytes(&bytes)) {
      return Malformed("truncated " + FieldName(message, field));
    }
    Json& array = ArrayMember(out, field.json_name);
    WireReader packed(bytes);
    while (!packed.done()) {
      uint64_t v;
      if (!packed.ReadVarint(&v)) {
        return Malformed("bad packed value in " + FieldName(message, field));
      }
      array.PushBack(VarintValue(field.kind, v), alloc_);
    }
    return Status::Ok();
  }

  static Json VarintValue(FieldKind kind, uint64_t v) {
    switch (kind) {
      case FieldKind::kBool:
        return Json(v != 0);
      case FieldKind::kInt32:
        return Json(static_cast<int32_t>(static_cast<int64_t>(v)));
      default:
        return Json(static_cast<int64_t>(v));
    }
  }

  Status DecodeMapEntry(const MessageSpec& message, const FieldSpec& field,
                        int wire_type, WireReader* reader, Json* out,
                        int depth) {
    std::string_view entry;
    if (wire_type != kLengthDelimited || !reader->ReadBytes(&entry)) {
      return Malformed("bad map entry in " + FieldName(message, field));
    }
    std::string_view key;
    Json value;
    bool have_value = false;
    WireReader entry_reader(entry);
    while (!entry_reader.done()) {
      int number, entry_wire;
      if (!entry_reader.ReadTag(&number, &entry_wire)) {
        return Malformed("bad map entry in " + FieldName(message, field));
      }
      if (number == 1) {
        if (entry_wire != kLengthDelimited || !entry_reader.ReadBytes(&key)) {
          return Malformed("bad map key in " + FieldName(message, field));
        }
      } else if (number == 2) {
        bool zero;
        Status s = DecodeValue(message, field, entry_wire, &entry_reader,
                               &value, &zero, depth);
        if (!s.ok()) return s;
        have_value = true;
      } else if (!entry_reader.Skip(entry_wire)) {
        return Malformed("bad map entry in " + FieldName(message, field));
      }
    }
    // A value equal to its zero may be left out of the entry.
    if (!have_value) value = ZeroValue(field);
    Json* map = Member(*out, field.json_name);
    if (!map || !map->IsObject()) {
      SetMember(*out, field.json_name, Json(rapidjson::kObjectType), alloc_);
      map = Member(*out, field.json_name);
    }
    SetMember(*map, key, std::move(value), alloc_);
    return Status::Ok();
  }

  Json ZeroValue(const FieldSpec& field) {
    switch (field.kind) {
      case FieldKind::kBool:
        return Json(false);
      case FieldKind::kInt32:
      case FieldKind::kInt64:
      case FieldKind::kIntOrString:
        return Json(0);
      case FieldKind::kMessage:
        return Json(rapidjson::kObjectType);
      default:
        return StringValue("", alloc_);
    }
  }

  // One value of `field`'s kind. *zero says whether it is the Go zero value.
  Status DecodeValue(const MessageSpec& message, const FieldSpec& field,
                     int wire_type, WireReader* reader, Json* value, bool* zero,
                     int depth) {
    if (IsVarintKind(field.kind)) {
      uint64_t v;
      if (wire_type != kVarint || !reader->ReadVarint(&v)) {
        return Malformed("expected a varint for " + FieldName(message, field));
      }
      *value = VarintValue(field.kind, v);
      *zero = field.kind == FieldKind::kInt32 ? static_cast<int32_t>(v) == 0
                                              : v == 0;
      return Status::Ok();
    }
    std::string_view bytes;
    if (wire_type != kLengthDelimited || !reader->ReadBytes(&bytes)) {
      return Malformed("expected length-delimited bytes for " +
                       FieldName(message, field));
    }
    switch (field.kind) {
      case FieldKind::kString:
        *value = StringValue(bytes, alloc_);
        *zero = bytes.empty();
        return Status::Ok();
      case FieldKind::kBytes:
        *value = StringValue(Base64(bytes), alloc_);
        *zero = bytes.empty();
        return Status::Ok();
      case FieldKind::kMessage: {
        const MessageSpec* nested = proto::FindMessage(schema_, field.message);
        if (!nested) {
          return Status::Internal("codec has no table for message " +
                                  std::string(field.message));
        }
        value->SetObject();
        Status s = DecodeMessage(*nested, bytes, value, depth + 1);
        *zero = value->MemberCount() == 0;
        return s;
      }
      case FieldKind::kTime:
        return DecodeTime(message, field, bytes, value, zero);
      case FieldKind::kIntOrString:
        return DecodeIntOrString(message, field, bytes, value, zero);
      case FieldKind::kQuantity:
        return DecodeQuantity(message, field, bytes, value, zero);
      case FieldKind::kFieldsV1:
        return DecodeFieldsV1(message, field, bytes, value, zero);
      default:
        return Status::Internal("unhandled field kind");
    }
  }

  Status DecodeTime(const MessageSpec& message, const FieldSpec& field,
                    std::string_view bytes, Json* value, bool* zero) {
    uint64_t seconds = 0, nanos = 0;
    WireReader r(bytes);
    while (!r.done()) {
      int number, wire_type;
      bool ok = r.ReadTag(&number, &wire_type);
      if (ok && number == 1 && wire_type == kVarint) {
        ok = r.ReadVarint(&seconds);
      } else if (ok && number == 2 && wire_type == kVarint) {
        ok = r.ReadVarint(&nanos);
      } else {
        ok = ok && r.Skip(wire_type);
      }
      if (!ok) return Malformed("bad time in " + FieldName(message, field));
    }
    *zero = seconds == 0 && nanos == 0;
    *value = StringValue(Rfc3339(static_cast<int64_t>(seconds)), alloc_);
    return Status::Ok();
  }

  Status DecodeIntOrString(const MessageSpec& message, const FieldSpec& field,
                           std::string_view bytes, Json* value, bool* zero) {
    uint64_t type = 0, int_val = 0;
    std::string_view str_val;
    WireReader r(bytes);
    while (!r.done()) {
      int number, wire_type;
      bool ok = r.ReadTag(&number, &wire_type);
      if (ok && number == 1 && wire_type == kVarint) {
        ok = r.ReadVarint(&type);
      } else if (ok && number == 2 && wire_type == kVarint) {
        ok = r.ReadVarint(&int_val);
      } else if (ok && number == 3 && wire_type == kLengthDelimited) {
        ok = r.ReadBytes(&str_val);
      } else {
        ok = ok && r.Skip(wire_type);
      }
      if (!ok) {
        return Malformed("bad int-or-string in " + FieldName(message, field));
      }
    }
    if (type == 1) {
      *value = StringValue(str_val, alloc_);
      *zero = str_val.empty();
    } else {
      int32_t n = static_cast<int32_t>(static_cast<int64_t>(int_val));
      *value = Json(n);
      *zero = n == 0;
    }
    return Status::Ok();
  }

  Status DecodeQuantity(const MessageSpec& message, const FieldSpec& field,
                        std::string_view bytes, Json* value, bool* zero) {
    std::string_view text;
    WireReader r(bytes);
    while (!r.done()) {
      int number, wire_type;
      bool ok = r.ReadTag(&number, &wire_type);
      if (ok && number == 1 && wire_type == kLengthDelimited) {
        ok = r.ReadBytes(&text);
      } else {
        ok = ok && r.Skip(wire_type);
      }
      if (!ok) return Malformed("bad quantity in " + FieldName(message, field));
    }
    *value = StringValue(text, alloc_);
    *zero = text.empty();
    return Status::Ok();
  }

  // FieldsV1 carries its JSON encoding as raw bytes; JSON clients see the
  // object itself.
  Status DecodeFieldsV1(const MessageSpec& message, const FieldSpec& field,
                        std::string_view bytes, Json* value, bool* zero) {
    std::string_view raw;
    WireReader r(bytes);
    while (!r.done()) {
      int number, wire_type;
      bool ok = r.ReadTag(&number, &wire_type);
      if (ok && number == 1 && wire_type == kLengthDelimited) {
        ok = r.ReadBytes(&raw);
      } else {
        ok = ok && r.Skip(wire_type);
      }
      if (!ok) return Malformed("bad FieldsV1 in " + FieldName(message, field));
    }
    JsonDoc doc;
    doc.Parse(raw.data(), raw.size());
    if (raw.empty()) doc.SetObject();
    if (doc.HasParseError() || !doc.IsObject()) {
      return Malformed("FieldsV1 in " + FieldName(message, field) +
                       " is not a JSON object");
    }
    value->CopyFrom(doc, alloc_);
    *zero = raw.empty();
    return Status::Ok();
  }

  const ProtobufSchema& schema_;
  JsonAlloc& alloc_;
};

struct Envelope {
  std::string_view api_version;
  std::string_view kind;
  std::string_view raw;
  std::string_view content_encoding;
};

Status ParseEnvelope(std::string_view body, Envelope* env) {
  if (body.substr(0, kMagic.size()) != kMagic) {
    return Status::BadRequest(
        "malformed protobuf body: missing the Kubernetes prefix \"k8s\\0\"");
  }
  WireReader unknown(body.substr(kMagic.size()));
  while (!unknown.done()) {
    int number, wire_type;
    std::string_view bytes;
    if (!unknown.ReadTag(&number, &wire_type)) {
      return Malformed("bad field tag in runtime.Unknown");
    }
    if (wire_type != kLengthDelimited) {
      if (!unknown.Skip(wire_type)) return Malformed("truncated envelope");
      continue;
    }
    if (!unknown.ReadBytes(&bytes)) return Malformed("truncated envelope");
    switch (number) {
      case 1: {
        WireReader type_meta(bytes);
        while (!type_meta.done()) {
          int tm_number, tm_wire;
          std::string_view s;
          if (!type_meta.ReadTag(&tm_number, &tm_wire)) {
            return Malformed("bad TypeMeta");
          }
          if (tm_wire != kLengthDelimited) {
            if (!type_meta.Skip(tm_wire)) return Malformed("bad TypeMeta");
            continue;
          }
          if (!type_meta.ReadBytes(&s)) return Malformed("bad TypeMeta");
          if (tm_number == 1) env->api_version = s;
          if (tm_number == 2) env->kind = s;
        }
        break;
      }
      case 2:
        env->raw = bytes;
        break;
      case 3:
        env->content_encoding = bytes;
        break;
      default:
        break;
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<JsonDoc> DecodeKubernetesProtobuf(std::string_view body,
                                           const ProtobufSchemaLookup& lookup) {
  Envelope env;
  Status s = ParseEnvelope(body, &env);
  if (!s.ok()) return s;
  std::string what = "kind \"" + std::string(env.kind) + "\" of apiVersion \"" +
                     std::string(env.api_version) + "\"";
  if (!env.content_encoding.empty()) {
    return Status::UnsupportedMediaType(
        "the protobuf body of " + what + " uses content encoding \"" +
        std::string(env.content_encoding) + "\", which is not supported");
  }
  const ProtobufSchema* schema = lookup(env.api_version, env.kind);
  const MessageSpec* message =
      schema ? proto::FindMessage(*schema, env.kind) : nullptr;
  if (!message) {
    return Status::UnsupportedMediaType(
        "the body of the request was in an unknown format - accepted media "
        "types include: application/json, application/yaml (no protobuf "
        "decoding for " +
        what + ")");
  }
  JsonDoc doc;
  doc.SetObject();
  JsonAlloc& alloc = doc.GetAllocator();
  SetString(doc, "apiVersion", env.api_version, alloc);
  SetString(doc, "kind", env.kind, alloc);
  Decoder decoder(*schema, alloc);
  s = decoder.DecodeMessage(*message, env.raw, &doc, 0);
  if (!s.ok()) return s;
  return doc;
}

}  // namespace berth::codec
