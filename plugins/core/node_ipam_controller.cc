#include "node_ipam_controller.h"

#include "berth/events.h"
#include "berth/json.h"

namespace berth::core {
namespace {

const ResourceRef kNodes{"", "v1", "nodes"};

}  // namespace

NodeIpamController::NodeIpamController(Host& host,
                                       const NodeIpamSettings& settings,
                                       const ServiceNetwork& services)
    : host_(host),
      client_(host.client()),
      settings_(settings),
      cidrs_(settings) {
  cidrs_.OccupyOverlapping(services.network, services.prefix);
}

Status NodeIpamController::SyncLocked() {
  if (synced_) return Status::Ok();
  auto list = client_.List(kNodes, "");
  if (!list.ok()) return list.status();
  auto doc = ParseJson(*list);
  if (!doc.ok())
    return Status::Internal("node list: " + doc.status().message());
  if (const Json* items = Member(*doc, "items"); items && items->IsArray()) {
    for (const auto& node : items->GetArray()) {
      const std::string cidr = GetString(node, {"spec", "podCIDR"});
      if (!cidr.empty() && cidrs_.Occupy(cidr)) {
        owned_[GetString(node, {"metadata", "name"})] = cidr;
      }
    }
  }
  synced_ = true;
  return Status::Ok();
}

StatusOr<ReconcileResult> NodeIpamController::Reconcile(
    const ReconcileRequest& req) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status s = SyncLocked(); !s.ok()) return s;
  auto got = client_.Get(kNodes, "", req.name);
  if (!got.ok()) {
    if (!got.status().IsNotFound()) return got.status();
    if (auto it = owned_.find(req.name); it != owned_.end()) {
      cidrs_.Release(it->second);
      owned_.erase(it);
    }
    return ReconcileResult{};
  }
  auto node = ParseJson(*got);
  if (!node.ok()) return Status::Internal("node " + req.name + ": bad JSON");

  const std::string current = GetString(*node, {"spec", "podCIDR"});
  if (!current.empty()) {
    // Set by us before, by the node itself, or by an admin: keep it taken.
    auto it = owned_.find(req.name);
    if (it != owned_.end() && it->second != current) {
      cidrs_.Release(it->second);
      owned_.erase(it);
    }
    if (cidrs_.Occupy(current)) owned_[req.name] = current;
    return ReconcileResult{};
  }
  if (Find(*node, {"metadata", "deletionTimestamp"})) return ReconcileResult{};

  // A Node deleted and made again under its name may still hold one.
  std::string cidr;
  if (auto it = owned_.find(req.name); it != owned_.end()) {
    cidr = it->second;
  } else if (auto next = cidrs_.AllocateNext()) {
    cidr = *next;
  } else {
    ObjectReference ref = ReferenceTo(*node);
    ref.api_version = "v1";
    ref.kind = "Node";
    host_.RecordEvent("cidrAllocator", ref, "Normal", "CIDRNotAvailable",
                      "Node " + req.name + " status is now: CIDRNotAvailable");
    return ReconcileResult{kFullRetry};
  }
  owned_[req.name] = cidr;

  JsonAlloc& a = node->GetAllocator();
  Json& spec = EnsureObject(*node, "spec", a);
  SetString(spec, "podCIDR", cidr, a);
  Json cidrs(rapidjson::kArrayType);
  cidrs.PushBack(
      Json(cidr.data(), static_cast<rapidjson::SizeType>(cidr.size()), a), a);
  SetMember(spec, "podCIDRs", std::move(cidrs), a);
  SetDefaultString(*node, "apiVersion", "v1", a);
  SetDefaultString(*node, "kind", "Node", a);
  // An Update carries the resourceVersion read: a Node changed meanwhile
  // (maybe given a CIDR by someone else) is read again, never overwritten.
  auto updated = client_.Update(kNodes, "", ToJson(*node));
  if (!updated.ok()) {
    cidrs_.Release(cidr);
    owned_.erase(req.name);
    if (updated.status().IsNotFound()) return ReconcileResult{};
    return updated.status();
  }
  host_.Log(kLogDebug, "core",
            "node-ipam: node " + req.name + " gets pod CIDR " + cidr);
  return ReconcileResult{};
}

}  // namespace berth::core
