#include "routes_controller.h"

#include <vector>

#include "berth/json.h"

namespace berth::routes {
namespace {

const ResourceRef kNodes{"", "v1", "nodes"};
constexpr std::chrono::seconds kRetry{1};
constexpr char kName[] = "routes";

std::string Describe(const RoutePlan& plan) {
  std::string out;
  for (const auto& r : plan.host_gw) {
    out += " " + r.node + " " + r.dst + " via " + r.via + " (host-gw);";
  }
  for (const auto& p : plan.vxlan) {
    out += " " + p.node + " " + p.dst + " via " + p.remote_ip + " (vxlan);";
  }
  for (const auto& w : plan.waiting) out += " " + w + ";";
  return out.empty() ? " no other nodes" : out;
}

}  // namespace

RoutesController::RoutesController(Host& host, const RoutesSettings& settings)
    : host_(host),
      settings_(settings),
      programmer_(*host.process_runner(), settings) {}

RoutesController::~RoutesController() { Stop(); }

void RoutesController::Start() {
  auto mark = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = true;
    cv_.notify_all();
  };
  InformerHandlers h;
  h.on_add = [mark](const CachedObject&) { mark(); };
  h.on_update = [mark](const CachedObject&, const CachedObject&) { mark(); };
  h.on_delete = [mark](const CachedObject&) { mark(); };
  nodes_ = &host_.InformerFor(kNodes);
  handlers_ = nodes_->AddHandlers(h);
  thread_ = std::thread([this] { Loop(); });
}

void RoutesController::Stop() {
  if (!thread_.joinable()) return;
  nodes_->RemoveHandlers(handlers_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  thread_.join();
  if (settings_.cleanup_on_exit) {
    if (Status s = programmer_.Cleanup(); !s.ok()) {
      host_.Log(kLogWarn, kName, "removing the routes: " + s.ToString());
    }
  }
}

void RoutesController::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    // Dirty, or the resync period passed: sync.
    cv_.wait_for(lock, settings_.resync_period,
                 [this] { return stopping_ || dirty_; });
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

bool RoutesController::SyncOnce() {
  if (!nodes_->HasSynced()) return false;
  auto objects = nodes_->List("");
  if (!objects.ok()) return false;
  std::vector<NodeRouteInfo> nodes;
  const NodeRouteInfo* self = nullptr;
  for (const auto& o : *objects) {
    auto doc = ParseJson(*o);
    if (doc.ok()) nodes.push_back(NodeRouteInfoFromJson(*doc));
  }
  for (const auto& n : nodes) {
    if (n.name == settings_.node_name) self = &n;
  }
  // Until the node agent registered this machine's Node there is no pod
  // CIDR to exempt or to give the VTEP.
  if (!self || self->pod_cidr.empty()) return false;
  auto subnets = programmer_.ConnectedSubnets();
  if (!subnets.ok()) {
    Warn(subnets.status().ToString());
    return false;
  }
  const RoutePlan plan =
      PlanRoutes(settings_.node_name, settings_.mode, nodes, *subnets);
  std::string key =
      self->pod_cidr + "|" + self->internal_ip + "|" + Describe(plan) + "|";
  for (const auto& s : *subnets) key += s + ",";
  const auto now = std::chrono::steady_clock::now();
  const bool due = now - last_time_ >= settings_.resync_period;
  if (key == last_ && !due) return true;

  if (plan.needs_vxlan) {
    if (self->internal_ip.empty()) return false;
    auto mac = programmer_.EnsureVxlanDevice(self->internal_ip, self->pod_cidr);
    if (!mac.ok()) {
      Warn("VXLAN device: " + mac.status().ToString());
      return false;
    }
    if (Status s = PublishVtepMac(self->vtep_mac, *mac); !s.ok()) {
      Warn("publishing the VTEP MAC: " + s.ToString());
      return false;
    }
  }
  if (Status s = programmer_.Apply(plan, self->pod_cidr); !s.ok()) {
    Warn(s.ToString());
    return false;
  }
  if (key != last_) {
    host_.Log(kLogInfo, kName,
              "routes to pods on other nodes:" + Describe(plan));
  }
  last_ = std::move(key);
  last_time_ = now;
  last_warning_.clear();
  return true;
}

void RoutesController::Warn(const std::string& message) {
  host_.Log(message == last_warning_ ? kLogDebug : kLogWarn, kName, message);
  last_warning_ = message;
}

Status RoutesController::PublishVtepMac(const std::string& current,
                                        const std::string& mac) {
  if (current == mac) return Status::Ok();
  JsonDoc patch;
  patch.SetObject();
  auto& a = patch.GetAllocator();
  Json& annotations =
      EnsureObject(EnsureObject(patch, "metadata", a), "annotations", a);
  SetString(annotations, kVtepMacAnnotation, mac, a);
  return host_.client()
      .MergePatch(kNodes, "", settings_.node_name, ToJson(patch))
      .status();
}

}  // namespace berth::routes
