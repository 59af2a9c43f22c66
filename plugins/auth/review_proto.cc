#include "review_proto.h"

#include "plugins/common/k8s_proto/core_v1_proto.h"
#include "plugins/common/k8s_proto/proto_fields.h"

namespace berth::auth {
namespace {

using ::berth::k8s_proto::kPtr;
using ::berth::k8s_proto::kRep;
using ::berth::k8s_proto::MakeSchema;
using ::berth::k8s_proto::Meta;
using ::berth::k8s_proto::Msg;
using ::berth::k8s_proto::Str;

// --- authorization.k8s.io/v1, authentication.k8s.io/v1 ----------------------

constexpr ProtoField kSelfSubjectAccessReview[] = {
    Meta(), Msg(2, "spec", "SelfSubjectAccessReviewSpec")};
constexpr ProtoField kSelfSubjectAccessReviewSpec[] = {
    Msg(1, "resourceAttributes", "ResourceAttributes", kPtr),
    Msg(2, "nonResourceAttributes", "NonResourceAttributes", kPtr),
};
constexpr ProtoField kResourceAttributes[] = {
    Str(1, "namespace"),
    Str(2, "verb"),
    Str(3, "group"),
    Str(4, "version"),
    Str(5, "resource"),
    Str(6, "subresource"),
    Str(7, "name"),
    Msg(8, "fieldSelector", "FieldSelectorAttributes", kPtr),
    Msg(9, "labelSelector", "LabelSelectorAttributes", kPtr),
};
// Also the shape of LabelSelectorAttributes.
constexpr ProtoField kFieldSelectorAttributes[] = {
    Str(1, "rawSelector"),
    Msg(2, "requirements", "LabelSelectorRequirement", kRep),
};
constexpr ProtoField kNonResourceAttributes[] = {Str(1, "path"),
                                                 Str(2, "verb")};
constexpr ProtoField kSelfSubjectRulesReview[] = {
    Meta(), Msg(2, "spec", "SelfSubjectRulesReviewSpec")};
constexpr ProtoField kSelfSubjectRulesReviewSpec[] = {Str(1, "namespace")};
// Its only other field is the server-filled status.
constexpr ProtoField kSelfSubjectReview[] = {Meta()};

constexpr ProtoMessage kMessages[] = {
    {"SelfSubjectAccessReview", kSelfSubjectAccessReview},
    {"SelfSubjectAccessReviewSpec", kSelfSubjectAccessReviewSpec},
    {"ResourceAttributes", kResourceAttributes},
    {"FieldSelectorAttributes", kFieldSelectorAttributes},
    {"NonResourceAttributes", kNonResourceAttributes},
    {"SelfSubjectRulesReview", kSelfSubjectRulesReview},
    {"SelfSubjectRulesReviewSpec", kSelfSubjectRulesReviewSpec},
    {"SelfSubjectReview", kSelfSubjectReview},
    {"LabelSelectorAttributes", kFieldSelectorAttributes},
};

}  // namespace

std::vector<ProtobufSchema> ReviewProtobufSchemas() {
  std::vector<ProtobufSchema> out;
  for (const char* kind :
       {"SelfSubjectAccessReview", "SelfSubjectRulesReview"}) {
    out.push_back(MakeSchema("authorization.k8s.io/v1", kind, {kMessages}));
  }
  out.push_back(
      MakeSchema("authentication.k8s.io/v1", "SelfSubjectReview", {kMessages}));
  return out;
}

}  // namespace berth::auth
