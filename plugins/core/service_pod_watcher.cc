#include "service_pod_watcher.h"

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "service_objects.h"

namespace berth::core {

StatusOr<ReconcileResult> ServicePodWatcher::Reconcile(
    const ReconcileRequest& req) {
  const std::string key = req.ns + "/" + req.name;
  auto pod = GetParsed(client_, kPodsResource, req.ns, req.name);
  if (!pod.ok() && !pod.status().IsNotFound()) return pod.status();
  const Json* labels = pod.ok() ? Find(*pod, {"metadata", "labels"}) : nullptr;

  std::string old_text;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = labels_.find(key); it != labels_.end()) old_text = it->second;
  }
  JsonDoc old_labels;
  if (!old_text.empty()) old_labels.Parse(old_text.c_str());
  const Json* old = old_text.empty() || old_labels.HasParseError()
                        ? nullptr
                        : static_cast<const Json*>(&old_labels);
  if (!pod.ok() && !old) return ReconcileResult{};

  auto services = ListParsed(client_, kServicesResource, req.ns);
  if (!services.ok()) return services.status();
  for (const Json* svc : services->items) {
    if (!SelectorMatches(*svc, labels) && !SelectorMatches(*svc, old)) {
      continue;
    }
    const std::string name = GetString(*svc, {"metadata", "name"});
    for (const auto& syncer : syncers_) {
      if (Status s = syncer->SyncService(req.ns, name); !s.ok()) return s;
    }
  }

  std::lock_guard<std::mutex> lock(mu_);
  if (!pod.ok()) {
    labels_.erase(key);
  } else {
    labels_[key] = labels ? CanonicalJson(*labels) : "{}";
  }
  return ReconcileResult{};
}

}  // namespace berth::core
