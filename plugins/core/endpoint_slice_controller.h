// EndpointSliceController: kube-controller-manager's endpointslice
// controller. For every Service with a selector (ExternalName Services
// excepted) it keeps the discovery.k8s.io/v1 EndpointSlices (addressType
// IPv4) that list the pods the selector matches, as planned by
// endpoint_slice_plan.h: named `<service>-<random>`, labelled
// `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
// endpointslice-controller.k8s.io` (plus the Service's own labels and the
// headless label), owned by the Service (so the garbage collector deletes
// them with it), annotated with the last-change-trigger-time. Slices it
// does not manage (other managers, hand-made ones, those of a Service
// without selector) are never touched; managed slices owned by an earlier
// Service of the same name are deleted. Pod changes reach it through the
// service pod watcher; a managed slice changed or deleted by someone else
// brings its Service back here (Owns).
//
// Thread safety: Reconcile and SyncService may be called concurrently;
// syncs of one Service are serialized.
#ifndef BERTH_PLUGINS_CORE_ENDPOINT_SLICE_CONTROLLER_H_
#define BERTH_PLUGINS_CORE_ENDPOINT_SLICE_CONTROLLER_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "endpoint_slice_plan.h"
#include "service_sync_locks.h"
#include "service_syncer.h"
#include "trigger_time_tracker.h"

namespace berth::core {

class EndpointSliceController : public Controller, public ServiceSyncer {
 public:
  // `client` must outlive the controller. `max_per_slice` is
  // kube-controller-manager's --max-endpoints-per-slice.
  explicit EndpointSliceController(Client& client,
                                   size_t max_per_slice = kMaxEndpointsPerSlice)
      : client_(client), max_per_slice_(max_per_slice) {}

  std::string Name() const override { return "endpointslice"; }
  ResourceRef Primary() const override { return {"", "v1", "services"}; }
  std::vector<ResourceRef> Owns() const override {
    return {{"discovery.k8s.io", "v1", "endpointslices"}};
  }
  // Client errors (a Conflict with another writer) are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;
  Status SyncService(const std::string& ns, const std::string& name) override;

 private:
  Status SyncLocked(const std::string& ns, const std::string& name);

  Client& client_;
  const size_t max_per_slice_;
  ServiceSyncLocks locks_;
  TriggerTimeTracker trigger_times_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINT_SLICE_CONTROLLER_H_
