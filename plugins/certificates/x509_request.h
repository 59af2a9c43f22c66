// X509Request: what the approver and the validation need to know of a
// CertificateSigningRequest's spec.request (a PEM PKCS#10 request, base64
// in the JSON): its subject and whether it asks for any subjectAltName.
// The kernel signs; this only reads.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CERTIFICATES_X509_REQUEST_H_
#define BERTH_PLUGINS_CERTIFICATES_X509_REQUEST_H_

#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::certificates {

struct X509Request {
  std::string pem;
  std::string common_name;
  std::vector<std::string> organizations;
  // DNS names, IP addresses, emails or URIs requested.
  bool has_alt_names = false;
};

// Parses `pem` (the decoded spec.request). Invalid with kube-apiserver's
// wording when it is not one PEM "CERTIFICATE REQUEST" block whose
// signature checks out.
StatusOr<X509Request> ParseX509Request(const std::string& pem);

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_X509_REQUEST_H_
