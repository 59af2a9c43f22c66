// The protobuf wire schema (berth/protobuf_schema.h) of
// authentication.k8s.io/v1 TokenRequest, which `kubectl create token`
// (1.32) posts to serviceaccounts/token as protobuf.
//
// Thread safety: immutable static tables; safe from any thread.
#ifndef BERTH_PLUGINS_AUTH_TOKEN_REQUEST_PROTO_H_
#define BERTH_PLUGINS_AUTH_TOKEN_REQUEST_PROTO_H_

#include "berth/protobuf_schema.h"

namespace berth::auth {

// The TokenRequest schema; its tables live as long as the process.
ProtobufSchema TokenRequestProtobufSchema();

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_TOKEN_REQUEST_PROTO_H_
