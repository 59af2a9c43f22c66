// ProtobufSchema: how the API server reads a kind's
// `application/vnd.kubernetes.protobuf` request bodies (kubectl 1.32 sends
// them for `create <generator>`, `auth can-i`, `certificate approve`...),
// given as data by the plugin that serves the kind, so the kernel names no
// kind. For each message: field number -> JSON name, value kind, nested
// message (by name), flags. The numbers are those of k8s.io/api and
// k8s.io/apimachinery generated.proto; the pointer flags follow the Go
// types (a pointer field is sent only when set, so it is kept in JSON even
// when zero). The kernel supplies the apimachinery meta messages
// (ObjectMeta, ManagedFieldsEntry, OwnerReference, LabelSelector,
// LabelSelectorRequirement); a schema carries every other message it
// reaches.
//
// Thread safety: plain data; the tables a schema points at must be
// immutable and outlive the process (static tables in the plugin, which is
// never unloaded).
#ifndef BERTH_SDK_PROTOBUF_SCHEMA_H_
#define BERTH_SDK_PROTOBUF_SCHEMA_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

enum class ProtoFieldKind : uint8_t {
  kString,
  kBytes,  // JSON: base64 string
  kBool,
  kInt32,
  kInt64,
  kMessage,      // JSON object described by ProtoField::message
  kTime,         // metav1.Time {1 seconds, 2 nanos} -> RFC 3339 string
  kIntOrString,  // intstr {1 type, 2 intVal, 3 strVal} -> number or string
  kQuantity,     // resource.Quantity {1 string} -> string
  kFieldsV1,     // metav1.FieldsV1 {1 Raw bytes} -> the JSON object Raw holds
};

enum ProtoFieldFlag : uint8_t {
  kProtoRepeated = 1,  // JSON array of the kind
  kProtoMap = 2,       // map<string, kind>: entries {1 key, 2 value}
  kProtoPointer = 4,   // Go pointer: kept when present even if zero
  kProtoInline = 8,    // Go embedded struct: its fields merge into the parent
};

struct ProtoField {
  int number;
  std::string_view json_name;
  ProtoFieldKind kind;
  uint8_t flags;
  std::string_view message;  // for kMessage (map values too); else empty
};

struct ProtoMessage {
  std::string_view name;
  std::span<const ProtoField> fields;
};

// The wire form of one kind's bodies: the envelope's TypeMeta
// (`api_version`, `kind`) selects it, and the message named `kind` in
// `messages` is the body's top level.
struct ProtobufSchema {
  std::string api_version;  // "apps/v1", "v1"
  std::string kind;         // "Deployment"
  std::vector<ProtoMessage> messages;
};

}  // namespace berth

#endif  // BERTH_SDK_PROTOBUF_SCHEMA_H_
