// CsrStatusAdmission: what kube-apiserver's CSR status strategy does to an
// update through `/status` (the signer's way in): the Approved and Denied
// conditions stay as they were, since only `/approval` may change them. When
// the request keeps as many of each as the stored object has, the stored
// ones are put back (a changed reason or status is dropped); one that adds
// an Approved or Denied condition is refused with Kubernetes' 422
// "updates may not add a condition of type". Removing one is refused by
// the kind's own validation before admission runs.
//
// Thread safety: stateless; Admit may run on many threads at once.
#ifndef BERTH_PLUGINS_CERTIFICATES_CSR_STATUS_ADMISSION_H_
#define BERTH_PLUGINS_CERTIFICATES_CSR_STATUS_ADMISSION_H_

#include <string>

#include "berth/admission.h"

namespace berth::certificates {

class CsrStatusAdmission : public Admission {
 public:
  std::string Name() const override {
    return "CertificateSigningRequestStatus";
  }
  // Invalid (422) when the update adds an Approved or Denied condition.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;
};

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_CSR_STATUS_ADMISSION_H_
