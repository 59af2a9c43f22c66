// VolumeBinder: the static-binding half of kube-controller-manager's
// PersistentVolume controller. A claim naming a volume binds to it when the
// volume is free and compatible; a claim without one gets the best
// Available volume (see volume_matching.h); a claim whose StorageClass is
// WaitForFirstConsumer waits until it carries the
// volume.kubernetes.io/selected-node annotation or a scheduled pod uses it,
// and then only takes a volume whose nodeAffinity admits that node. Binding
// writes the volume's claimRef and phase Bound, then the claim's volumeName,
// pv.kubernetes.io/bind-completed and status (Bound, capacity, access
// modes). A volume whose claim is gone becomes Released (Retain) or Failed
// (Delete/Recycle: no volume plugin here can reclaim it); a volume whose
// claimRef is removed becomes Available again. The in-use protection
// finalizers (in_use_protection.h) come off a deleted claim once no pod
// uses it and off a deleted volume once it is not Bound. Claims left Pending
// are looked at again when any volume changes and every kPendingResync, and get
// Kubernetes' events saying why. Dynamic provisioning is not done here.
//
// ClaimBinder and VolumeBinderController are the two controllers (keyed by
// claim and by volume) that drive one VolumeBinder.
//
// Thread safety: SyncClaim and SyncVolume may be called from any thread;
// one mutex makes binding decisions one at a time, so two claims never take
// the same volume, and writes use optimistic concurrency against anything
// else.
#ifndef BERTH_PLUGINS_STORAGE_VOLUME_BINDER_H_
#define BERTH_PLUGINS_STORAGE_VOLUME_BINDER_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "berth/json.h"

namespace berth::storage {

class VolumeBinder {
 public:
  // kube-controller-manager's PV controller resyncs every 15 s.
  static constexpr std::chrono::milliseconds kPendingResync{15000};
  // A WaitForFirstConsumer claim is looked at more often: nothing else wakes
  // it when its pod is scheduled.
  static constexpr std::chrono::milliseconds kWaitingResync{1000};
  // How soon a deleted claim still used by a pod is looked at again.
  static constexpr std::chrono::milliseconds kInUseRecheck{2000};

  // `host` must outlive the binder; events go out as
  // "persistentvolume-controller", as in Kubernetes.
  explicit VolumeBinder(Host& host) : client_(host.client()), host_(host) {}

  // Binds or re-checks the claim `ns`/`name`. Returns how soon to look
  // again (zero: only on the next event); client errors other than NotFound
  // are returned for retry.
  StatusOr<ReconcileResult> SyncClaim(const std::string& ns,
                                      const std::string& name);
  // Brings the volume's phase in line with its claim, and offers an
  // Available volume to the Pending claims.
  StatusOr<ReconcileResult> SyncVolume(const std::string& name);

 private:
  StatusOr<ReconcileResult> SyncClaimLocked(const std::string& ns,
                                            const std::string& name);
  StatusOr<ReconcileResult> SyncVolumeLocked(const std::string& name);
  // A deleted claim: drops kubernetes.io/pvc-protection once no running
  // pod uses it, then looks at the volumes it held.
  StatusOr<ReconcileResult> FinishClaimDeletion(JsonDoc& pvc);
  // After claim `ns`/`name` was deleted: the volumes it held.
  StatusOr<ReconcileResult> SyncVolumesOfClaim(const std::string& ns,
                                               const std::string& name);
  StatusOr<ReconcileResult> SyncUnboundClaim(JsonDoc& pvc);
  StatusOr<ReconcileResult> SyncBoundClaim(JsonDoc& pvc);
  // Writes whatever of the binding between `pv` and `pvc` is missing.
  Status Bind(JsonDoc& pv, JsonDoc& pvc);
  // Sets the claim's status.phase (and nothing else) when it differs.
  Status SetClaimPhase(JsonDoc& pvc, const std::string& phase);
  Status SetVolumePhase(JsonDoc& pv, const std::string& phase,
                        const std::string& message = "");
  // True when the claim's class delays binding until a node is chosen and
  // none is: no selected-node annotation and no scheduled pod using the
  // claim (whose node is then written into the annotation).
  StatusOr<bool> DelaysBinding(JsonDoc& pvc);
  // The node of a scheduled, not terminating pod using `pvc`, or "".
  StatusOr<std::string> ConsumerNode(const Json& pvc);
  // The Node named by the selected-node annotation (only its name when it
  // does not exist); a null document when the claim has none.
  StatusOr<JsonDoc> SelectedNode(const Json& pvc);
  // Syncs the unbound claims that `pv` (now Available) could serve.
  Status SyncPendingClaims(const Json& pv);
  // Says why `pvc` stays Pending (FailedBinding, ProvisioningFailed,
  // ExternalProvisioning, WaitForFirstConsumer), as Kubernetes does.
  Status ExplainPending(const Json& pvc, bool delay_binding);
  void Event(const Json& obj, const std::string& type,
             const std::string& reason, const std::string& message);

  // Records a Pending claim's event unless the same one was recorded for
  // it less than kPendingResync ago (WaitForFirstConsumer claims are looked
  // at every second).
  void ExplainOnce(const Json& pvc, const std::string& type,
                   const std::string& reason, const std::string& message);

  Client& client_;
  Host& host_;
  // Claim uid -> the last explaining reason and when it was recorded.
  std::map<std::string,
           std::pair<std::string, std::chrono::steady_clock::time_point>>
      explained_;
  std::mutex mu_;
};

// Reconciles PersistentVolumeClaims through a shared VolumeBinder.
class ClaimBinder : public Controller {
 public:
  explicit ClaimBinder(std::shared_ptr<VolumeBinder> binder)
      : binder_(std::move(binder)) {}
  std::string Name() const override { return "persistentvolumeclaim-binder"; }
  ResourceRef Primary() const override {
    return {"", "v1", "persistentvolumeclaims"};
  }
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override {
    return binder_->SyncClaim(req.ns, req.name);
  }

 private:
  std::shared_ptr<VolumeBinder> binder_;
};

// Reconciles PersistentVolumes through a shared VolumeBinder.
class VolumeBinderController : public Controller {
 public:
  explicit VolumeBinderController(std::shared_ptr<VolumeBinder> binder)
      : binder_(std::move(binder)) {}
  std::string Name() const override { return "persistentvolume-binder"; }
  ResourceRef Primary() const override {
    return {"", "v1", "persistentvolumes"};
  }
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override {
    return binder_->SyncVolume(req.name);
  }

 private:
  std::shared_ptr<VolumeBinder> binder_;
};

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_VOLUME_BINDER_H_
