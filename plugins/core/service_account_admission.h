// ServiceAccountAdmission: the apiserver's ServiceAccount admission plugin
// for new Pods. A pod without spec.serviceAccountName runs as `default`; a
// pod naming a ServiceAccount that does not exist is refused (403 "error
// looking up service account NS/NAME"), the `default` one being looked up
// again for a while first because a controller makes it just after its
// namespace appears. Unless automountServiceAccountToken is false on the
// pod (or, the pod saying nothing, on its ServiceAccount), every container
// and init container that mounts nothing at
// /var/run/secrets/kubernetes.io/serviceaccount gets the projected volume
// kube-api-access-<5 random characters> there, read-only: a bound token
// (path token, 3607 s), the cluster CA (ConfigMap kube-root-ca.crt, ca.crt)
// and the namespace (downward API). A pod with no imagePullSecrets takes
// its ServiceAccount's. Mirror pods are left alone.
//
// Thread safety: Admit may run on many request threads at once; it reads
// through the thread-safe client and keeps no state.
#ifndef BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_ADMISSION_H_
#define BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_ADMISSION_H_

#include <chrono>
#include <functional>
#include <string>

#include "berth/admission.h"
#include "berth/client.h"

namespace berth::core {

// Where the token, CA and namespace appear in a container.
inline constexpr char kServiceAccountMountPath[] =
    "/var/run/secrets/kubernetes.io/serviceaccount";

class ServiceAccountAdmission : public Admission {
 public:
  using Sleep = std::function<void(std::chrono::milliseconds)>;
  // `client` must outlive this object. `sleep` waits between lookups of a
  // missing `default` ServiceAccount (tests pass one that returns at once).
  explicit ServiceAccountAdmission(Client* client, Sleep sleep = {});

  std::string Name() const override { return "ServiceAccount"; }
  // Touches only pod creations. Forbidden when the ServiceAccount does not
  // exist; the client's error when it cannot be read.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;

 private:
  // The ServiceAccount ns/name, or NotFound after the lookups Kubernetes
  // makes (ten for `default`, one for any other).
  StatusOr<std::string> Lookup(const std::string& ns,
                               const std::string& name) const;

  Client* client_;
  Sleep sleep_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_ADMISSION_H_
