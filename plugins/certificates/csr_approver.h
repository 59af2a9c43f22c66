// CsrApprover: kube-controller-manager's csrapproving controller. Each
// CertificateSigningRequest that is neither approved nor denied is judged
// by DecideApproval (kubelet_client_policy.h); an approved one gets an
// Approved condition (reason AutoApproved) through the approval
// subresource. Requests it does not approve stay Pending for an admin.
//
// Thread safety: Reconcile may run concurrently for different requests; no
// state is kept between calls.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_APPROVER_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_APPROVER_H_

#include <string>

#include "berth/controller.h"
#include "berth/host.h"
#include "csr_status.h"

namespace berth::certificates {

class CsrApprover : public Controller {
 public:
  // `host` must outlive the controller.
  explicit CsrApprover(Host& host) : host_(host) {}

  std::string Name() const override { return "csrapproving"; }
  ResourceRef Primary() const override { return kCsrResource; }
  // Client errors other than NotFound are returned for retry (a Conflict
  // too: the next try reads the request again).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Host& host_;
};

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_APPROVER_H_
