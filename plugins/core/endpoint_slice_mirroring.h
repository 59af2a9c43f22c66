// EndpointSliceMirroringController: kube-controller-manager's
// endpointslicemirroring controller. For a Service without a selector,
// whose endpoints someone wrote by hand as core/v1 Endpoints, it keeps
// discovery.k8s.io/v1 EndpointSlices mirroring them, so every consumer of
// slices (the service proxy, DNS) sees them: one endpoint per address
// (ready true) and per notReadyAddress (ready false) with its hostname,
// nodeName and targetRef, the subset's ports, IPv4 only. The slices are
// named `<endpoints>-<random>`, labelled with the Endpoints' labels plus
// `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
// endpointslicemirroring-controller.k8s.io`, and owned by the Endpoints
// (so deleting it deletes them). Endpoints labelled
// `endpointslice.kubernetes.io/skip-mirror: "true"`, those of a Service
// with a selector (the endpointslice controller's) and those with no
// Service are not mirrored, and their mirrored slices are deleted. Changes
// of Endpoints, of their Services and of the mirrored slices all bring the
// name back here.
//
// Thread safety: Reconcile and SyncService may be called concurrently;
// syncs of one name are serialized.
#ifndef BERTH_PLUGINS_CORE_ENDPOINT_SLICE_MIRRORING_H_
#define BERTH_PLUGINS_CORE_ENDPOINT_SLICE_MIRRORING_H_

#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "endpoint_slice_plan.h"
#include "service_sync_locks.h"

namespace berth::core {

inline constexpr const char* kMirroringControllerName =
    "endpointslicemirroring-controller.k8s.io";
inline constexpr const char* kSkipMirrorLabel =
    "endpointslice.kubernetes.io/skip-mirror";

// The endpoints the mirrored slices of `endpoints` (a core/v1 Endpoints)
// hold, by ports, as the endpointslice plan takes them.
DesiredSliceEndpoints MirroredSliceEndpoints(const Json& endpoints);

class EndpointSliceMirroringController : public Controller {
 public:
  // `client` must outlive the controller. `max_per_slice` is
  // kube-controller-manager's --mirroring-max-endpoints-per-subset.
  explicit EndpointSliceMirroringController(Client& client,
                                            size_t max_per_slice = 1000)
      : client_(client), max_per_slice_(max_per_slice) {}

  std::string Name() const override { return "endpointslicemirroring"; }
  ResourceRef Primary() const override { return {"", "v1", "endpoints"}; }
  std::vector<ResourceRef> Owns() const override {
    return {{"discovery.k8s.io", "v1", "endpointslices"}};
  }
  // Client errors (a Conflict with another writer) are returned for retry.
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;
  Status Sync(const std::string& ns, const std::string& name);

  // A controller of Services that brings each changed Service's name back
  // here (a selector added or removed decides whether to mirror).
  std::shared_ptr<Controller> ServiceTrigger();

 private:
  Status SyncLocked(const std::string& ns, const std::string& name);

  Client& client_;
  const size_t max_per_slice_;
  ServiceSyncLocks locks_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINT_SLICE_MIRRORING_H_
