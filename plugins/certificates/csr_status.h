// Reading a certificates.k8s.io/v1 CertificateSigningRequest (JSON): its
// conditions, its usages, its decoded request, and the one-word state
// `kubectl get csr` prints, so the kind, the approver and the signer agree
// on what "approved" means.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_STATUS_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_STATUS_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"
#include "berth/status.h"
#include "x509_request.h"

namespace berth::certificates {

inline const ResourceRef kCsrResource{"certificates.k8s.io", "v1",
                                      "certificatesigningrequests"};
inline constexpr char kKubeletClientSigner[] =
    "kubernetes.io/kube-apiserver-client-kubelet";
inline constexpr char kApiServerClientSigner[] =
    "kubernetes.io/kube-apiserver-client";

// Whether status.conditions has a condition of `type` ("Approved",
// "Denied", "Failed") whose status is not "False".
bool HasCondition(const Json& csr, const char* type);

// The printer's CONDITION cell: "Denied", else "Approved", else "Pending";
// then ",Failed" when failed and ",Issued" when status.certificate is set.
std::string ConditionSummary(const Json& csr);

std::vector<std::string> Usages(const Json& csr);
std::vector<std::string> Groups(const Json& csr);  // spec.groups

// spec.request decoded and parsed; Invalid with the reason otherwise.
StatusOr<X509Request> RequestOf(const Json& csr);

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_STATUS_H_
