// PersistentVolumeClaimResize: the admission that lets a bound claim's
// spec.resources.requests.storage grow only when its StorageClass has
// allowVolumeExpansion: true, as the apiserver's plugin of the same name
// does. (Nothing expands the volume itself yet; the claim's status keeps
// the volume's capacity.)
//
// Thread safety: Admit is safe to call concurrently (reads through Client).
#ifndef BERTH_PLUGINS_STORAGE_CLAIM_RESIZE_H_
#define BERTH_PLUGINS_STORAGE_CLAIM_RESIZE_H_

#include <string>

#include "berth/admission.h"
#include "berth/client.h"

namespace berth::storage {

class ClaimResize : public Admission {
 public:
  // `client` must outlive the admission.
  explicit ClaimResize(Client* client) : client_(client) {}
  std::string Name() const override { return "PersistentVolumeClaimResize"; }
  // Forbidden (with Kubernetes' message) for growth the class does not
  // allow; other writes pass.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;

 private:
  Client* client_;
};

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_CLAIM_RESIZE_H_
