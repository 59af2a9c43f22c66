// Decoding of `application/vnd.kubernetes.protobuf` request bodies, which
// kubectl 1.32 sends for `create <generator>`, `create token`, `auth can-i`
// and `auth whoami`. The body is the magic "k8s\0" followed by a
// runtime.Unknown {1 TypeMeta{1 apiVersion, 2 kind}, 2 raw, 3
// contentEncoding, 4 contentType}; `raw` is the object's message, read with
// the field tables the kind's plugin registered (berth/protobuf_schema.h)
// and the kernel's meta/v1 ones (proto_schema.h).
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

#include <functional>
#include <string_view>

#include "berth/json.h"
#include "berth/protobuf_schema.h"
#include "berth/status.h"

namespace berth::codec {

// The media type these bodies carry.
inline constexpr std::string_view kProtobufMediaType =
    "application/vnd.kubernetes.protobuf";

// The schema registered for an apiVersion and kind, or nullptr. The
// schema must outlive the decoding.
using ProtobufSchemaLookup = std::function<const ProtobufSchema*(
    std::string_view api_version, std::string_view kind)>;

// Decodes one protobuf body into a new document (which owns its memory).
// Fails with UnsupportedMediaType when `lookup` has no schema for the kind
// or the body is compressed, naming the kind; with BadRequest when the
// bytes are not a well-formed envelope or message.
StatusOr<JsonDoc> DecodeKubernetesProtobuf(std::string_view body,
                                           const ProtobufSchemaLookup& lookup);

}  // namespace berth::codec

#endif  // BERTH_KERNEL_API_CODEC_PROTOBUF_CODEC_H_
