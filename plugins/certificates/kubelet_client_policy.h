// KubeletClientPolicy: which CertificateSigningRequests are kubelet client
// certificates, and which of those the approver signs off on its own, as
// kube-controller-manager's csrapproving controller and the
// kube-apiserver-client-kubelet signer's validation decide.
//
// A kubelet client request asks for CN=system:node:<name> in exactly
// O=system:nodes, no subjectAltNames, and usages among "digital
// signature", "key encipherment" and "client auth", with "client auth".
// It is auto-approved when the requestor is either
//   - in group system:bootstrappers (a machine joining with a bootstrap
//     token; Kubernetes asks RBAC for certificatesigningrequests/nodeclient,
//     which kubeadm grants that group), or
//   - the node itself renewing: spec.username is the CN and the requestor
//     is in system:nodes (selfnodeclient).
// Anything else is left for an admin (`kubectl certificate approve`).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CERTIFICATES_KUBELET_CLIENT_POLICY_H_
#define BERTH_PLUGINS_CERTIFICATES_KUBELET_CLIENT_POLICY_H_

#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"
#include "x509_request.h"

namespace berth::certificates {

// OK when `req` with `usages` is a kubelet client request; Invalid saying
// what is wrong otherwise.
Status ValidateKubeletClientRequest(const X509Request& req,
                                    const std::vector<std::string>& usages);

// OK when `usages` fit signer kubernetes.io/kube-apiserver-client (client
// auth, optionally digital signature and key encipherment).
Status ValidateApiServerClientUsages(const std::vector<std::string>& usages);

struct ApprovalDecision {
  bool approve = false;
  std::string message;  // the Approved condition's message, or why not
};

// The approver's decision on one CSR (JSON) that is neither approved nor
// denied yet.
ApprovalDecision DecideApproval(const Json& csr);

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_KUBELET_CLIENT_POLICY_H_
