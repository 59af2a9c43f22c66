#include "policy_enforcer.h"

#include <vector>

namespace berth::policy {
namespace {

const ResourceRef kPolicies{"networking.k8s.io", "v1", "networkpolicies"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNamespaces{"", "v1", "namespaces"};
constexpr std::chrono::seconds kRetry{1};

// Parses every cached object; unparsable ones are skipped.
std::vector<JsonDoc> ParseAll(const std::vector<CachedObject>& objects) {
  std::vector<JsonDoc> out;
  out.reserve(objects.size());
  for (const auto& o : objects) {
    auto d = ParseJson(*o);
    if (d.ok()) out.push_back(std::move(*d));
  }
  return out;
}

std::vector<const Json*> Pointers(const std::vector<JsonDoc>& docs) {
  std::vector<const Json*> out;
  out.reserve(docs.size());
  for (const auto& d : docs) out.push_back(&d);
  return out;
}

}  // namespace

PolicyEnforcer::PolicyEnforcer(Host& host, const PolicySettings& settings,
                               std::unique_ptr<PolicyBackend> backend)
    : host_(host), settings_(settings), backend_(std::move(backend)) {}

PolicyEnforcer::~PolicyEnforcer() { Stop(); }

void PolicyEnforcer::Start() {
  auto mark = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = true;
    cv_.notify_all();
  };
  InformerHandlers h;
  h.on_add = [mark](const CachedObject&) { mark(); };
  h.on_update = [mark](const CachedObject&, const CachedObject&) { mark(); };
  h.on_delete = [mark](const CachedObject&) { mark(); };
  policies_ = &host_.InformerFor(kPolicies);
  pods_ = &host_.InformerFor(kPods);
  namespaces_ = &host_.InformerFor(kNamespaces);
  policies_handlers_ = policies_->AddHandlers(h);
  pods_handlers_ = pods_->AddHandlers(h);
  namespaces_handlers_ = namespaces_->AddHandlers(h);
  thread_ = std::thread([this] { Loop(); });
}

void PolicyEnforcer::Stop() {
  if (!thread_.joinable()) return;
  policies_->RemoveHandlers(policies_handlers_);
  pods_->RemoveHandlers(pods_handlers_);
  namespaces_->RemoveHandlers(namespaces_handlers_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  thread_.join();
  if (settings_.cleanup_on_exit) {
    Status s = backend_->Cleanup();
    if (!s.ok()) {
      host_.Log(kLogWarn, "policy", "removing the rules: " + s.ToString());
    }
  }
}

void PolicyEnforcer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || dirty_; });
    if (stopping_) return;
    // Let a burst of changes land, then take them all in one sync.
    cv_.wait_for(lock, settings_.min_sync_period, [this] { return stopping_; });
    if (stopping_) return;
    dirty_ = false;
    lock.unlock();
    const bool ok = SyncOnce();
    lock.lock();
    if (!ok) {
      dirty_ = true;
      cv_.wait_for(lock, kRetry, [this] { return stopping_; });
    }
  }
}

bool PolicyEnforcer::SyncOnce() {
  // Before every cache holds its first list, a pod would look unselected
  // (open) or a peer missing (blocked); wait.
  if (!policies_->HasSynced() || !pods_->HasSynced() ||
      !namespaces_->HasSynced()) {
    return false;
  }
  auto policies = policies_->List("");
  auto pods = pods_->List("");
  auto namespaces = namespaces_->List("");
  if (!policies.ok() || !pods.ok() || !namespaces.ok()) return false;
  const auto policy_docs = ParseAll(*policies);
  const auto pod_docs = ParseAll(*pods);
  const auto ns_docs = ParseAll(*namespaces);
  const auto rules = ComputePodRules(Pointers(policy_docs), Pointers(pod_docs),
                                     Pointers(ns_docs), settings_.node_name);
  if (programmed_ && rules == last_) return true;
  Status s = backend_->Sync(rules);
  programmed_ = s.ok();
  if (!s.ok()) {
    host_.Log(kLogWarn, "policy", backend_->Name() + " sync: " + s.ToString());
    return false;
  }
  host_.Log(kLogDebug, "policy",
            "programmed " + std::to_string(rules.size()) + " isolated pods");
  last_ = rules;
  return true;
}

}  // namespace berth::policy
