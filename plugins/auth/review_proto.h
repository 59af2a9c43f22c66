// The protobuf wire schemas (berth/protobuf_schema.h) of the review kinds:
// `kubectl auth can-i` posts a SelfSubjectAccessReview (or, with --list, a
// SelfSubjectRulesReview) and `kubectl auth whoami` a SelfSubjectReview,
// all as protobuf.
//
// Thread safety: immutable static tables; safe from any thread.
#ifndef BERTH_PLUGINS_AUTH_REVIEW_PROTO_H_
#define BERTH_PLUGINS_AUTH_REVIEW_PROTO_H_

#include <vector>

#include "berth/protobuf_schema.h"

namespace berth::auth {

// The three review kinds; the tables live as long as the process.
std::vector<ProtobufSchema> ReviewProtobufSchemas();

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_REVIEW_PROTO_H_
