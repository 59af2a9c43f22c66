#include "policy_enforcer.h"

#include <vector>

namespace berth::policy {
namespace {

const ResourceRef kPolicies{"networking.k8s.io", "v1", "networkpolicies"};
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNamespaces{"", "v1", "namespaces"};

using common::ParseAll;
using common::Pointers;

}  // namespace

PolicyEnforcer::PolicyEnforcer(Host& host, const PolicySettings& settings,
                               std::unique_ptr<PolicyBackend> backend)
    : host_(host),
      settings_(settings),
      backend_(std::move(backend)),
      loop_({settings.min_sync_period, std::chrono::seconds(1)},
            [this] { return SyncOnce(); }) {}

PolicyEnforcer::~PolicyEnforcer() { Stop(); }

void PolicyEnforcer::Start() {
  policies_ = &host_.InformerFor(kPolicies);
  pods_ = &host_.InformerFor(kPods);
  namespaces_ = &host_.InformerFor(kNamespaces);
  loop_.Start({policies_, pods_, namespaces_});
}

void PolicyEnforcer::Stop() {
  if (!policies_) return;
  loop_.Stop();
  policies_ = nullptr;
  if (settings_.cleanup_on_exit) {
    Status s = backend_->Cleanup();
    if (!s.ok()) {
      host_.Log(kLogWarn, "policy", "removing the rules: " + s.ToString());
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
