// The CA certificate hash a joining node is given to trust the cluster CA
// it fetches over an unauthenticated connection: "sha256:" and the hex
// SHA-256 of the CA's DER SubjectPublicKeyInfo, kubeadm's
// --discovery-token-ca-cert-hash format (so `openssl x509 -pubkey | openssl
// pkey -pubin -outform der | sha256sum` gives the same value).
//
// Thread safety: stateless functions.
#ifndef BERTH_KERNEL_API_TLS_CA_CERT_HASH_H_
#define BERTH_KERNEL_API_TLS_CA_CERT_HASH_H_

#include <string>

#include "berth/status.h"

namespace berth::tls {

// The hash of the first certificate in `ca_pem`. Invalid when it does not
// parse.
StatusOr<std::string> CaCertHash(const std::string& ca_pem);

// Whether `ca_pem`'s hash equals `want` ("sha256:<64 hex digits>", hex in
// either case). Invalid when `want` is not of that form.
StatusOr<bool> CaCertHashMatches(const std::string& ca_pem,
                                 const std::string& want);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_CA_CERT_HASH_H_
