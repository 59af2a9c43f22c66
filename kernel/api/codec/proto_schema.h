// The protobuf schema pieces the kernel itself owns: the apimachinery
// meta/v1 messages every kind embeds (ObjectMeta, ManagedFieldsEntry,
// OwnerReference, LabelSelector, LabelSelectorRequirement). Kinds' own
// messages come from the plugins that serve them (berth/protobuf_schema.h,
// Registrar::AddProtobufSchema); the kernel names no kind.
//
// Thread safety: the tables are immutable; safe to read from any thread.
#ifndef BERTH_KERNEL_API_CODEC_PROTO_SCHEMA_H_
#define BERTH_KERNEL_API_CODEC_PROTO_SCHEMA_H_

#include <span>
#include <string_view>

#include "berth/protobuf_schema.h"

namespace berth::codec::proto {

// The meta/v1 message named `name`, or nullptr.
const ProtoMessage* FindMetaMessage(std::string_view name);

// The message named `name` in `schema`, else among the meta/v1 ones, or
// nullptr.
const ProtoMessage* FindMessage(const ProtobufSchema& schema,
                                std::string_view name);

// The meta/v1 messages, for consistency checks.
std::span<const ProtoMessage> MetaMessages();

}  // namespace berth::codec::proto

#endif  // BERTH_KERNEL_API_CODEC_PROTO_SCHEMA_H_
