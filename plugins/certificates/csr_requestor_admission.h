// CsrRequestorAdmission: stamps who asked for a CertificateSigningRequest
// into spec.username, spec.uid and spec.groups on create, from the
// authenticated user, replacing whatever the client wrote, as
// kube-apiserver's CSR strategy does. The approver trusts these fields, so
// they must come from the server.
//
// Thread safety: stateless; Admit may run on many threads at once.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_REQUESTOR_ADMISSION_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_REQUESTOR_ADMISSION_H_

#include <string>

#include "berth/admission.h"

namespace berth::certificates {

class CsrRequestorAdmission : public Admission {
 public:
  std::string Name() const override { return "CertificateSigningRequestUser"; }
  // Never refuses.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;
};

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_REQUESTOR_ADMISSION_H_
