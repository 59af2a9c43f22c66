#include "csr_proto.h"

#include "plugins/common/k8s_proto/core_v1_proto.h"
#include "plugins/common/k8s_proto/proto_fields.h"

namespace berth::certificates {
namespace {

using ::berth::k8s_proto::Bytes;
using ::berth::k8s_proto::I32;
using ::berth::k8s_proto::kPtr;
using ::berth::k8s_proto::kRep;
using ::berth::k8s_proto::MakeSchema;
using ::berth::k8s_proto::Meta;
using ::berth::k8s_proto::Msg;
using ::berth::k8s_proto::Str;
using ::berth::k8s_proto::Time;

// certificates.k8s.io/v1: `kubectl certificate approve|deny` puts the
// whole object to /approval as protobuf. spec.extra (map of ExtraValue
// lists) is not described: Berth never sets it, so kubectl never echoes it.
constexpr ProtoField kCertificateSigningRequest[] = {
    Meta(),
    Msg(2, "spec", "CertificateSigningRequestSpec"),
    Msg(3, "status", "CertificateSigningRequestStatus"),
};
constexpr ProtoField kCertificateSigningRequestSpec[] = {
    Bytes(1, "request"),
    Str(7, "signerName"),
    I32(8, "expirationSeconds", kPtr),
    Str(5, "usages", kRep),
    Str(2, "username"),
    Str(3, "uid"),
    Str(4, "groups", kRep),
};
constexpr ProtoField kCertificateSigningRequestStatus[] = {
    Msg(1, "conditions", "CertificateSigningRequestCondition", kRep),
    Bytes(2, "certificate"),
};
constexpr ProtoField kCertificateSigningRequestCondition[] = {
    Str(1, "type"),    Str(6, "status"),          Str(2, "reason"),
    Str(3, "message"), Time(4, "lastUpdateTime"), Time(5, "lastTransitionTime"),
};

constexpr ProtoMessage kMessages[] = {
    {"CertificateSigningRequest", kCertificateSigningRequest},
    {"CertificateSigningRequestSpec", kCertificateSigningRequestSpec},
    {"CertificateSigningRequestStatus", kCertificateSigningRequestStatus},
    {"CertificateSigningRequestCondition", kCertificateSigningRequestCondition},
};

}  // namespace

ProtobufSchema CsrProtobufSchema() {
  return MakeSchema("certificates.k8s.io/v1", "CertificateSigningRequest",
                    {kMessages});
}

}  // namespace berth::certificates
