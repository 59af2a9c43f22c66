// PKCS#10 certificate requests, both ends of a node's TLS bootstrap: the
// node makes a key and a request naming its identity (CN=system:node:NAME,
// O=system:nodes), and the server signs an approved request with the
// cluster CA, as kube-controller-manager's csrsigning controller does. The
// CA key is read here and nowhere in a plugin.
//
// Thread safety: stateless functions, safe to call concurrently.
#ifndef BERTH_KERNEL_API_TLS_CERTIFICATE_REQUEST_H_
#define BERTH_KERNEL_API_TLS_CERTIFICATE_REQUEST_H_

#include <chrono>
#include <string>
#include <vector>

#include "berth/status.h"
#include "kernel/api/tls/pki.h"

namespace berth::tls {

// A new EC P-256 key and a request signed with it, subject O=<each group>,
// CN=<cn>. Both PEM; the caller owns the key. Invalid if `cn` is empty,
// Internal when OpenSSL fails.
StatusOr<CertAndKey> MakeCertificateRequest(
    const std::string& cn, const std::vector<std::string>& groups);

// A certificate for `csr_pem` signed by the CA of `pki`: the request's
// subject and subjectAltNames, digitalSignature and keyEncipherment key
// usage, the extended key usages Kubernetes' `usages` name ("client auth",
// "server auth"; the others add nothing), valid from five minutes ago for
// `duration` (zero or more than a year: one year). Returns the certificate
// PEM. Invalid when the request does not parse or its self-signature is
// wrong; NotFound/Internal when the CA cannot be read.
StatusOr<std::string> SignCertificateRequest(
    const PkiPaths& pki, const std::string& csr_pem,
    const std::vector<std::string>& usages, std::chrono::seconds duration);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_CERTIFICATE_REQUEST_H_
