#include "policy_enforcer.h"

#include <vector>

#include "nftables_policy.h"
#include "policy_model.h"

namespace berth::policy {
namespace {

const ResourceRef kPolicies{"networking.k8s.io", "v1", "networkpolicies"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNamespaces{"", "v1", "namespaces"};
constexpr std::chrono::seconds kRetry{1};
constexpr std::chrono::seconds kToolTimeout{60};

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

PolicyEnforcer::PolicyEnforcer(Host& host, const PolicySettings& settings)
    : host_(host), settings_(settings) {}

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
    Status s = Apply(NftablesPolicyCleanup());
    if (!s.ok()) {
      host_.Log(kLogWarn, "policy", "removing the table: " + s.ToString());
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
  std::string script = NftablesPolicyScript(rules);
  if (script == last_) return true;
  Status s = Apply(script);
  if (!s.ok()) {
    host_.Log(kLogWarn, "policy", "nft: " + s.ToString());
    return false;
  }
  host_.Log(kLogDebug, "policy",
            "programmed " + std::to_string(rules.size()) + " isolated pods");
  last_ = std::move(script);
  return true;
}

Status PolicyEnforcer::Apply(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"nft", "-f", "-"};
  spec.stdin_data = script;
  spec.timeout = kToolTimeout;
  auto r = host_.process_runner()->Run(spec);
  if (!r.ok()) return r.status();
  if (r->exit_code == 0) return Status::Ok();
  return Status::Internal("nft failed (exit " + std::to_string(r->exit_code) +
                          "): " + r->stderr_data);
}

}  // namespace berth::policy
