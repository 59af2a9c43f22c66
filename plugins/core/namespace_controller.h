// NamespaceController: finishes the deletion of a Namespace. When a
// Namespace carries a deletionTimestamp it deletes every object of every
// namespaced resource the server serves inside it, requeueing until none
// remain; then it removes the "kubernetes" finalizer from spec.finalizers
// and deletes the Namespace again, which now removes it.
//
// Thread safety: Reconcile may run concurrently for different namespaces;
// it keeps no state between calls.
#ifndef BERTH_PLUGINS_CORE_NAMESPACE_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_NAMESPACE_CONTROLLER_H_

#include <chrono>
#include <string>

#include "berth/client.h"
#include "berth/controller.h"

namespace berth::core {

class NamespaceController : public Controller {
 public:
  // How long to wait before looking again at a namespace still emptying.
  static constexpr std::chrono::milliseconds kRecheck{200};

  // `client` must outlive the controller.
  explicit NamespaceController(Client& client) : client_(client) {}

  std::string Name() const override { return "namespace"; }
  ResourceRef Primary() const override { return {"", "v1", "namespaces"}; }
  // Errors of the client other than NotFound are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  // Deletes what is left in `ns`; returns how many objects were still
  // there (deleted now or still finalizing).
  StatusOr<int> DeleteContents(const std::string& ns);

  Client& client_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NAMESPACE_CONTROLLER_H_
