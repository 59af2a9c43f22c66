// The protobuf schemas of the Kubernetes kinds Berth accepts as
// `application/vnd.kubernetes.protobuf` bodies, as data: for each message,
// field number -> JSON name, value kind, nested message, flags. The numbers
// are those of k8s.io/api and k8s.io/apimachinery generated.proto; the
// pointer flags follow the Go types (a pointer field is sent only when set,
// so it is kept in JSON even when zero). Adding a kind is adding its
// messages to the tables in proto_schema.cc and one line to the kind list.
//
// Thread safety: the tables are immutable; safe to read from any thread.
#ifndef BERTH_KERNEL_API_CODEC_PROTO_SCHEMA_H_
#define BERTH_KERNEL_API_CODEC_PROTO_SCHEMA_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace berth::codec::proto {

enum class FieldKind : uint8_t {
  kString,
  kBytes,  // JSON: base64 string
  kBool,
  kInt32,
  kInt64,
  kMessage,      // JSON object described by FieldSpec::message
  kTime,         // metav1.Time {1 seconds, 2 nanos} -> RFC 3339 string
  kIntOrString,  // intstr {1 type, 2 intVal, 3 strVal} -> number or string
  kQuantity,     // resource.Quantity {1 string} -> string
  kFieldsV1,     // metav1.FieldsV1 {1 Raw bytes} -> the JSON object Raw holds
};

enum FieldFlag : uint8_t {
  kRepeated = 1,  // JSON array of the kind
  kMap = 2,       // map<string, kind>: entries {1 key, 2 value}; JSON object
  kPointer = 4,   // Go pointer: kept when present even if zero
  kInline = 8,    // Go embedded struct: its fields merge into the parent
};

struct FieldSpec {
  int number;
  std::string_view json_name;
  FieldKind kind;
  uint8_t flags;
  std::string_view message;  // for kMessage (map values too); else empty
};

struct MessageSpec {
  std::string_view name;
  std::span<const FieldSpec> fields;
};

// The message named `name`, or nullptr.
const MessageSpec* FindMessage(std::string_view name);

// The top-level message for a kind, or nullptr when Berth has no protobuf
// schema for it.
const MessageSpec* FindKindMessage(std::string_view api_version,
                                   std::string_view kind);

// Every message in the tables, for consistency checks.
std::span<const MessageSpec> AllMessages();

}  // namespace berth::codec::proto

#endif  // BERTH_KERNEL_API_CODEC_PROTO_SCHEMA_H_
