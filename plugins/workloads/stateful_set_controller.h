// StatefulSetController: gives a StatefulSet its pods `<set>-<ordinal>` in
// the order StatefulSetPlan decides, each with its stable identity (the
// statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index
// labels, hostname and subdomain) and, per volumeClaimTemplate, its own
// PersistentVolumeClaim `<template>-<set>-<ordinal>`, created before the
// pod and kept when the set scales down (retention policy Retain). Writes
// the status counters and revisions.
//
// Thread safety: Reconcile may run concurrently for different sets; it
// keeps no state between calls.
#ifndef BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_CONTROLLER_H_
#define BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_CONTROLLER_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "berth/json.h"

namespace berth::workloads {

class StatefulSetController : public Controller {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `host` must outlive the controller; pods and events go through it.
  // `clock` defaults to the system clock (tests inject one).
  explicit StatefulSetController(Host& host, Clock clock = nullptr);

  std::string Name() const override { return "statefulset"; }
  ResourceRef Primary() const override;
  std::vector<ResourceRef> Owns() const override;
  // Client errors other than NotFound are returned for retry. A PVC that
  // cannot be created because the server serves no persistentvolumeclaims
  // is skipped (the storage plugin is not enabled).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Status EnsureClaims(const Json& set, int64_t ordinal);

  // Records a Normal or Warning event about `obj`.
  void Event(const Json& obj, const char* type, const char* reason,
             const std::string& message);

  Host& host_;
  Client& client_;
  Clock clock_;
};

// The pod of `set` with `ordinal` at `revision` ("<set>-<hash>"), as the
// controller creates it.
JsonDoc NewStatefulPod(const Json& set, int64_t ordinal,
                       const std::string& revision);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_STATEFUL_SET_CONTROLLER_H_
