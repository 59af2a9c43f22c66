#include "token_request_proto.h"

#include "plugins/common/k8s_proto/core_v1_proto.h"
#include "plugins/common/k8s_proto/proto_fields.h"

namespace berth::auth {
namespace {

using ::berth::k8s_proto::I64;
using ::berth::k8s_proto::kPtr;
using ::berth::k8s_proto::kRep;
using ::berth::k8s_proto::MakeSchema;
using ::berth::k8s_proto::Meta;
using ::berth::k8s_proto::Msg;
using ::berth::k8s_proto::Str;
using ::berth::k8s_proto::Time;

// k8s.io/api/authentication/v1/generated.proto.
constexpr ProtoField kTokenRequest[] = {
    Meta(),
    Msg(2, "spec", "TokenRequestSpec"),
    Msg(3, "status", "TokenRequestStatus"),
};
constexpr ProtoField kTokenRequestSpec[] = {
    Str(1, "audiences", kRep),
    Msg(3, "boundObjectRef", "BoundObjectReference", kPtr),
    I64(4, "expirationSeconds", kPtr),
};
constexpr ProtoField kBoundObjectReference[] = {
    Str(1, "kind"),
    Str(2, "apiVersion"),
    Str(3, "name"),
    Str(4, "uid"),
};
constexpr ProtoField kTokenRequestStatus[] = {
    Str(1, "token"),
    Time(2, "expirationTimestamp"),
};

constexpr ProtoMessage kMessages[] = {
    {"TokenRequest", kTokenRequest},
    {"TokenRequestSpec", kTokenRequestSpec},
    {"BoundObjectReference", kBoundObjectReference},
    {"TokenRequestStatus", kTokenRequestStatus},
};

}  // namespace

ProtobufSchema TokenRequestProtobufSchema() {
  return MakeSchema("authentication.k8s.io/v1", "TokenRequest", {kMessages});
}

}  // namespace berth::auth
