// ServicePodWatcher: a controller over Pods that syncs the endpoints of
// every Service selecting a pod that changed, as the endpoints
// controllers' pod event handlers do in Kubernetes
// (getPodServiceMemberships). A pod's Services are those in its namespace
// whose selector matches its labels now or matched the labels it had when
// last seen (so relabelling a pod takes it out of its old Services too),
// and a deleted pod's last Services.
//
// Thread safety: Reconcile may run concurrently for different pods; the
// remembered labels are guarded by a mutex.
#ifndef BERTH_PLUGINS_CORE_SERVICE_POD_WATCHER_H_
#define BERTH_PLUGINS_CORE_SERVICE_POD_WATCHER_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/controller.h"
#include "service_syncer.h"

namespace berth::core {

class ServicePodWatcher : public Controller {
 public:
  // `client` must outlive the watcher; `syncers` are called in order for
  // each affected Service.
  ServicePodWatcher(Client& client,
                    std::vector<std::shared_ptr<ServiceSyncer>> syncers)
      : client_(client), syncers_(std::move(syncers)) {}

  std::string Name() const override { return "endpoints-pods"; }
  ResourceRef Primary() const override { return {"", "v1", "pods"}; }
  // A client or sync error is returned for retry (the pod's old labels
  // are kept, so the retry reaches the same Services).
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override;

 private:
  Client& client_;
  const std::vector<std::shared_ptr<ServiceSyncer>> syncers_;
  std::mutex mu_;
  // "ns/name" -> the pod's labels (canonical JSON) when last synced.
  std::map<std::string, std::string> labels_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_POD_WATCHER_H_
