// ServiceAccountController: kube-controller-manager's serviceaccount
// controller. Every live namespace holds a ServiceAccount named `default`
// (the account a pod without spec.serviceAccountName runs as); a namespace
// created, or its `default` ServiceAccount deleted, brings the namespace
// back here and the account is made again. A terminating namespace is left
// alone.
//
// Thread safety: Reconcile may run concurrently for different namespaces;
// a create lost to another writer is AlreadyExists and not an error.
#ifndef BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_CONTROLLER_H_

#include <memory>
#include <string>

#include "berth/client.h"
#include "berth/controller.h"

namespace berth::core {

class ServiceAccountController : public Controller {
 public:
  // `client` must outlive the controller.
  explicit ServiceAccountController(Client& client) : client_(client) {}

  std::string Name() const override { return "serviceaccount"; }
  ResourceRef Primary() const override { return {"", "v1", "namespaces"}; }
  // Client errors other than NotFound/AlreadyExists are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;
  // Makes `default` in namespace `ns` when missing; see the class comment.
  Status Sync(const std::string& ns);

  // A controller of ServiceAccounts that brings the namespace of a changed
  // (deleted) `default` account back here.
  std::shared_ptr<Controller> ServiceAccountTrigger();

 private:
  Client& client_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_ACCOUNT_CONTROLLER_H_
