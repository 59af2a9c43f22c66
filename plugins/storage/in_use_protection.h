// StorageObjectInUseProtection: the admission that puts the
// kubernetes.io/pvc-protection finalizer on every new PersistentVolumeClaim
// and kubernetes.io/pv-protection on every new PersistentVolume, as the
// apiserver's plugin of the same name does. The binder (volume_binder.h)
// removes them once a deleted claim is used by no pod and a deleted volume
// is no longer Bound, so storage in use is never pulled from under a pod.
//
// Thread safety: stateless; Admit may be called concurrently.
#ifndef BERTH_PLUGINS_STORAGE_IN_USE_PROTECTION_H_
#define BERTH_PLUGINS_STORAGE_IN_USE_PROTECTION_H_

#include <string>

#include "berth/admission.h"

namespace berth::storage {

inline constexpr char kPvcProtectionFinalizer[] =
    "kubernetes.io/pvc-protection";
inline constexpr char kPvProtectionFinalizer[] = "kubernetes.io/pv-protection";

// True when metadata.finalizers of `obj` holds `finalizer`.
bool HasFinalizer(const Json& obj, const char* finalizer);
// Removes `finalizer` from metadata.finalizers; true when it was there.
bool RemoveFinalizer(Json& obj, const char* finalizer);

class InUseProtection : public Admission {
 public:
  std::string Name() const override { return "StorageObjectInUseProtection"; }
  // Never fails.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;
};

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_IN_USE_PROTECTION_H_
