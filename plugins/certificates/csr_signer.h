// CsrSigner: kube-controller-manager's csrsigning controller for the two
// client signers the API server trusts, kubernetes.io/kube-apiserver-client
// -kubelet and kubernetes.io/kube-apiserver-client. An approved request
// (not denied, not failed, not yet issued) of one of them is checked
// against its signer's rules and signed by the kernel's CA
// (Host::SignCertificate); the certificate goes to status.certificate
// (PEM, base64 in JSON). A request the signer refuses gets a Failed
// condition (reason SignerValidationFailure). Other signers are left alone.
//
// Thread safety: Reconcile may run concurrently for different requests; no
// state is kept between calls.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_SIGNER_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_SIGNER_H_

#include <string>

#include "berth/controller.h"
#include "berth/host.h"
#include "csr_status.h"

namespace berth::certificates {

class CsrSigner : public Controller {
 public:
  // `host` must outlive the controller.
  explicit CsrSigner(Host& host) : host_(host) {}

  std::string Name() const override { return "csrsigning"; }
  ResourceRef Primary() const override { return kCsrResource; }
  // Errors of the client or of Host::SignCertificate other than Invalid
  // are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Host& host_;
};

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_SIGNER_H_
