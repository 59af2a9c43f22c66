// Decoding of `application/vnd.kubernetes.protobuf` request bodies, which
// kubectl 1.32 sends for `create <generator>`, `create token`, `auth can-i`
// and `auth whoami`. The body is the magic "k8s\0" followed by a
// runtime.Unknown {1 TypeMeta{1 apiVersion, 2 kind}, 2 raw, 3
// contentEncoding, 4 contentType}; `raw` is the object's message, read with
// the field tables of proto_schema.h.
//
// The result is the JSON kubectl would have sent for the same object:
// apiVersion and kind first, then the fields in wire order. Non-pointer
// fields at their zero value ("", 0, false, empty message) are omitted, as
// Go's `omitempty` would; pointer fields are kept when present, so
// `spec.replicas: 0` survives. Fields Berth has no table entry for (status,
// managedFields, rarely used spec fields) are skipped.
//
// Thread safety: pure functions; safe to call concurrently.
#ifndef BERTH_KERNEL_API_CODEC_PROTOBUF_CODEC_H_
#define BERTH_KERNEL_API_CODEC_PROTOBUF_CODEC_H_

#include <string_view>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::codec {

// The media type these bodies carry.
inline constexpr std::string_view kProtobufMediaType =
    "application/vnd.kubernetes.protobuf";

// Decodes one protobuf body into a new document (which owns its memory).
// Fails with UnsupportedMediaType when the kind has no schema in Berth or
// the body is compressed, naming the kind; with BadRequest when the bytes
// are not a well-formed envelope or message.
StatusOr<JsonDoc> DecodeKubernetesProtobuf(std::string_view body);

}  // namespace berth::codec

#endif  // BERTH_KERNEL_API_CODEC_PROTOBUF_CODEC_H_
