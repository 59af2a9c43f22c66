// Builders for the protobuf field tables of berth/protobuf_schema.h, so a
// table reads like the generated.proto it mirrors: Str(1, "name"),
// Msg(2, "spec", "PodSpec"), flags kRep / kMap / kPtr.
//
// Thread safety: constexpr functions and constants only.
#ifndef BERTH_PLUGINS_COMMON_K8S_PROTO_PROTO_FIELDS_H_
#define BERTH_PLUGINS_COMMON_K8S_PROTO_PROTO_FIELDS_H_

#include <cstdint>
#include <string_view>

#include "berth/protobuf_schema.h"

namespace berth::k8s_proto {

inline constexpr uint8_t kRep = kProtoRepeated;
inline constexpr uint8_t kMap = kProtoMap;
inline constexpr uint8_t kPtr = kProtoPointer;

constexpr ProtoField Str(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kString, flags, {}};
}
constexpr ProtoField Bytes(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kBytes, flags, {}};
}
constexpr ProtoField Bool(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kBool, flags, {}};
}
constexpr ProtoField I32(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kInt32, flags, {}};
}
constexpr ProtoField I64(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kInt64, flags, {}};
}
constexpr ProtoField Time(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kTime, flags, {}};
}
constexpr ProtoField IntStr(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kIntOrString, flags, {}};
}
constexpr ProtoField Qty(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kQuantity, flags, {}};
}
constexpr ProtoField Msg(int n, std::string_view json, std::string_view message,
                         uint8_t flags = 0) {
  return {n, json, ProtoFieldKind::kMessage, flags, message};
}
// Go embedded structs: the JSON name is unused.
constexpr ProtoField Inline(int n, std::string_view message) {
  return {n, "", ProtoFieldKind::kMessage, kProtoInline, message};
}
// Field 1 of every kind's top-level message.
constexpr ProtoField Meta() { return Msg(1, "metadata", "ObjectMeta"); }

}  // namespace berth::k8s_proto

#endif  // BERTH_PLUGINS_COMMON_K8S_PROTO_PROTO_FIELDS_H_
