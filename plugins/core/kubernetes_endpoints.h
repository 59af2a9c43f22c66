// KubernetesEndpointsReconciler: kube-apiserver's endpoint reconciler for
// the `kubernetes` Service. It keeps default/kubernetes' Endpoints (labelled
// endpointslice.kubernetes.io/skip-mirror so the mirroring controller leaves
// it alone) and its EndpointSlice `kubernetes` (labelled
// kubernetes.io/service-name: kubernetes) at the address and port the API
// server advertises, port name "https", so `https://kubernetes.default.svc`
// reaches the API from a pod through the service proxy and cluster DNS. As
// kube-apiserver's reconciler it looks again every 10 seconds, so an edited
// or deleted object comes back without any event about it.
//
// Thread safety: Reconcile may run concurrently with itself; the writes are
// compare-and-swap updates, so a lost race is retried.
#ifndef BERTH_PLUGINS_CORE_KUBERNETES_ENDPOINTS_H_
#define BERTH_PLUGINS_CORE_KUBERNETES_ENDPOINTS_H_

#include <chrono>
#include <string>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "berth/json.h"

namespace berth::core {

// The Endpoints and EndpointSlice (JSON text) kube-apiserver writes for the
// `kubernetes` Service when it serves at `api`.
std::string KubernetesEndpointsObject(const ApiEndpoint& api);
std::string KubernetesEndpointSliceObject(const ApiEndpoint& api);

class KubernetesEndpointsReconciler : public Controller {
 public:
  // kube-apiserver's --endpoint-reconciler interval.
  static constexpr std::chrono::milliseconds kInterval{10000};

  // `host` must outlive the reconciler; its api_endpoint() is read on every
  // reconcile (it is known once the server serves).
  explicit KubernetesEndpointsReconciler(Host& host) : host_(host) {}

  std::string Name() const override { return "kubernetes-endpoints"; }
  ResourceRef Primary() const override { return {"", "v1", "services"}; }
  // Only default/kubernetes is reconciled; other keys are ignored. Client
  // errors (a Conflict with another writer) are returned for retry. Does
  // nothing when the host serves no API (an agent).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

  // Writes the two objects unless they already say `api`.
  Status Sync(const ApiEndpoint& api);

 private:
  Host& host_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_KUBERNETES_ENDPOINTS_H_
