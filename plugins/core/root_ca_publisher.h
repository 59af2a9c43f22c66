// RootCaPublisher: kube-controller-manager's root-ca-cert-publisher. Every
// live namespace holds a ConfigMap `kube-root-ca.crt` whose data["ca.crt"]
// is the cluster CA certificate (PEM), so a pod can verify the API server
// it reaches at kubernetes.default.svc (the kube-api-access volume projects
// it). A namespace created, or the ConfigMap edited or deleted, brings the
// namespace back here; a terminating namespace is left alone. Without a
// cluster CA (plain HTTP) nothing is published.
//
// Thread safety: Reconcile may run concurrently for different namespaces;
// the writes are compare-and-swap, so a lost race is retried.
#ifndef BERTH_PLUGINS_CORE_ROOT_CA_PUBLISHER_H_
#define BERTH_PLUGINS_CORE_ROOT_CA_PUBLISHER_H_

#include <memory>
#include <string>

#include "berth/controller.h"
#include "berth/host.h"

namespace berth::core {

inline constexpr const char* kRootCaConfigMap = "kube-root-ca.crt";

class RootCaPublisher : public Controller {
 public:
  // `host` must outlive the publisher; its cluster_ca_pem() is read on
  // every reconcile.
  explicit RootCaPublisher(Host& host) : host_(host) {}

  std::string Name() const override { return "root-ca-cert-publisher"; }
  ResourceRef Primary() const override { return {"", "v1", "namespaces"}; }
  // Client errors other than NotFound are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;
  // Publishes into namespace `ns`; see the class comment.
  Status Sync(const std::string& ns);

  // A controller of ConfigMaps that brings the namespace of a changed
  // kube-root-ca.crt back here.
  std::shared_ptr<Controller> ConfigMapTrigger();

 private:
  Host& host_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ROOT_CA_PUBLISHER_H_
