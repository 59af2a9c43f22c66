// The protobuf wire schema (berth/protobuf_schema.h) of
// CertificateSigningRequest, which `kubectl certificate approve|deny` puts
// to the approval subresource as protobuf.
//
// Thread safety: immutable static tables; safe from any thread.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_PROTO_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_PROTO_H_

#include "berth/protobuf_schema.h"

namespace berth::certificates {

// The table lives as long as the process.
ProtobufSchema CsrProtobufSchema();

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_PROTO_H_
