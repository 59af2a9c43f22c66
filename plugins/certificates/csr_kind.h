// CsrKind: the cluster-scoped certificates.k8s.io/v1
// CertificateSigningRequest (`kubectl get csr`), as kube-apiserver's
// registry strategy has it:
//   - validation: spec.request a PEM certificate request with a valid
//     signature, spec.signerName "<domain>/<path>", spec.usages present,
//     spec.expirationSeconds >= 600; spec never changes after create;
//     Approved and Denied exclude each other and neither can be removed.
//   - the status subresource (the signer's status.certificate, Failed
//     conditions) and the approval subresource, which changes only
//     status.conditions (`kubectl certificate approve|deny`).
//   - condition defaults: status "True", lastUpdateTime and
//     lastTransitionTime now.
//   - columns NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION.
// spec.username/uid/groups are set from the requesting user by
// CsrRequestorAdmission, not here: a Kind does not see the user.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_KIND_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_KIND_H_

#include <chrono>
#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::certificates {

class CsrKind : public Kind {
 public:
  CsrKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  void MergeSubresourceUpdate(const std::string& subresource,
                              const Json& requested, Json& obj,
                              JsonAlloc& alloc) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;

 private:
  KindInfo info_;
};

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_KIND_H_
