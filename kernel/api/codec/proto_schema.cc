#include "kernel/api/codec/proto_schema.h"

namespace berth::codec::proto {
namespace {

using K = ProtoFieldKind;

constexpr ProtoField Str(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kString, flags, {}};
}
constexpr ProtoField Bool(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kBool, flags, {}};
}
constexpr ProtoField I64(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kInt64, flags, {}};
}
constexpr ProtoField Time(int n, std::string_view json, uint8_t flags = 0) {
  return {n, json, K::kTime, flags, {}};
}
constexpr ProtoField FieldsV1(int n, std::string_view json) {
  return {n, json, K::kFieldsV1, 0, {}};
}
constexpr ProtoField Msg(int n, std::string_view json, std::string_view message,
                         uint8_t flags = 0) {
  return {n, json, K::kMessage, flags, message};
}
constexpr uint8_t kRep = kProtoRepeated;
constexpr uint8_t kPtr = kProtoPointer;
constexpr uint8_t kMap = kProtoMap;

// --- k8s.io/apimachinery meta/v1 ---------------------------------------------

constexpr ProtoField kObjectMeta[] = {
    Str(1, "name"),
    Str(2, "generateName"),
    Str(3, "namespace"),
    Str(4, "selfLink"),
    Str(5, "uid"),
    Str(6, "resourceVersion"),
    I64(7, "generation"),
    Time(8, "creationTimestamp"),
    Time(9, "deletionTimestamp", kPtr),
    I64(10, "deletionGracePeriodSeconds", kPtr),
    Str(11, "labels", kMap),
    Str(12, "annotations", kMap),
    Msg(13, "ownerReferences", "OwnerReference", kRep),
    Str(14, "finalizers", kRep),
    Msg(17, "managedFields", "ManagedFieldsEntry", kRep),
};
constexpr ProtoField kManagedFieldsEntry[] = {
    Str(1, "manager"),     Str(2, "operation"),  Str(3, "apiVersion"),
    Time(4, "time", kPtr), Str(6, "fieldsType"), FieldsV1(7, "fieldsV1"),
    Str(8, "subresource"),
};
constexpr ProtoField kOwnerReference[] = {
    Str(5, "apiVersion"),
    Str(1, "kind"),
    Str(3, "name"),
    Str(4, "uid"),
    Bool(6, "controller", kPtr),
    Bool(7, "blockOwnerDeletion", kPtr),
};
constexpr ProtoField kLabelSelector[] = {
    Str(1, "matchLabels", kMap),
    Msg(2, "matchExpressions", "LabelSelectorRequirement", kRep),
};
// Also the shape of FieldSelectorRequirement.
constexpr ProtoField kLabelSelectorRequirement[] = {
    Str(1, "key"),
    Str(2, "operator"),
    Str(3, "values", kRep),
};

constexpr ProtoMessage kMessages[] = {
    {"ObjectMeta", kObjectMeta},
    {"ManagedFieldsEntry", kManagedFieldsEntry},
    {"OwnerReference", kOwnerReference},
    {"LabelSelector", kLabelSelector},
    {"LabelSelectorRequirement", kLabelSelectorRequirement},
};

}  // namespace

const ProtoMessage* FindMetaMessage(std::string_view name) {
  for (const ProtoMessage& m : kMessages) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const ProtoMessage* FindMessage(const ProtobufSchema& schema,
                                std::string_view name) {
  for (const ProtoMessage& m : schema.messages) {
    if (m.name == name) return &m;
  }
  return FindMetaMessage(name);
}

std::span<const ProtoMessage> MetaMessages() { return kMessages; }

}  // namespace berth::codec::proto
