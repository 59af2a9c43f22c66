// EndpointsController: kube-controller-manager's endpoints controller. For
// every Service with a selector (ExternalName Services excepted) it keeps
// the core/v1 Endpoints of the same name: labels copied from the Service
// (plus `service.kubernetes.io/headless` when it has no ClusterIP),
// subsets built from the pods the selector matches (endpoints_subsets.h)
// and the last-change-trigger-time annotation. A write is skipped when the
// subsets and labels already match. A Service without a selector keeps
// whatever Endpoints were made by hand; a deleted Service's Endpoints are
// deleted. Pod changes reach it through the service pod watcher.
//
// Thread safety: Reconcile and SyncService may be called concurrently;
// syncs of one Service are serialized.
#ifndef BERTH_PLUGINS_CORE_ENDPOINTS_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_ENDPOINTS_CONTROLLER_H_

#include <string>

#include "berth/client.h"
#include "berth/controller.h"
#include "service_sync_locks.h"
#include "service_syncer.h"
#include "trigger_time_tracker.h"

namespace berth::core {

class EndpointsController : public Controller, public ServiceSyncer {
 public:
  // `client` must outlive the controller.
  explicit EndpointsController(Client& client) : client_(client) {}

  std::string Name() const override { return "endpoints"; }
  ResourceRef Primary() const override { return {"", "v1", "services"}; }
  // Client errors (a Conflict with another writer) are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;
  Status SyncService(const std::string& ns, const std::string& name) override;

 private:
  Status SyncLocked(const std::string& ns, const std::string& name);

  Client& client_;
  ServiceSyncLocks locks_;
  TriggerTimeTracker trigger_times_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINTS_CONTROLLER_H_
