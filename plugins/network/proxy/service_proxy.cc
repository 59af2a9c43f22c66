#include "service_proxy.h"

#include <vector>

#include "nftables_ruleset.h"
#include "service_port_model.h"

namespace berth::proxy {
namespace {

const ResourceRef kServices{"", "v1", "services"};
const ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};
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

}  // namespace

ServiceProxy::ServiceProxy(Host& host, const ProxySettings& settings,
                           std::unique_ptr<ProxyBackend> backend)
    : host_(host), settings_(settings), backend_(std::move(backend)) {}

ServiceProxy::~ServiceProxy() { Stop(); }

void ServiceProxy::Start() {
  auto mark = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = true;
    cv_.notify_all();
  };
  InformerHandlers h;
  h.on_add = [mark](const CachedObject&) { mark(); };
  h.on_update = [mark](const CachedObject&, const CachedObject&) { mark(); };
  h.on_delete = [mark](const CachedObject&) { mark(); };
  services_ = &host_.InformerFor(kServices);
  slices_ = &host_.InformerFor(kSlices);
  services_handlers_ = services_->AddHandlers(h);
  slices_handlers_ = slices_->AddHandlers(h);
  thread_ = std::thread([this] { Loop(); });
}

void ServiceProxy::Stop() {
  if (!thread_.joinable()) return;
  services_->RemoveHandlers(services_handlers_);
  slices_->RemoveHandlers(slices_handlers_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  thread_.join();
  if (settings_.cleanup_on_exit) {
    Status s = backend_->Cleanup();
    if (!s.ok()) {
      host_.Log(kLogWarn, "proxy", "removing the rules: " + s.ToString());
    }
  }
}

uint64_t ServiceProxy::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

void ServiceProxy::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!cv_.wait_for(lock, settings_.sync_period,
                      [this] { return stopping_ || dirty_; })) {
      // The periodic resync: everything again, even with nothing new.
      backend_->ForgetProgrammed();
      last_.clear();
      dirty_ = true;
    }
    if (stopping_) return;
    // Let a burst of changes land, then take them all in one sync.
    cv_.wait_for(lock, settings_.min_sync_period, [this] { return stopping_; });
    if (stopping_) return;
    dirty_ = false;
    lock.unlock();
    const bool ok = SyncOnce();
    lock.lock();
    ++syncs_;
    if (!ok) {
      dirty_ = true;
      cv_.wait_for(lock, kRetry, [this] { return stopping_; });
    }
  }
}

bool ServiceProxy::SyncOnce() {
  // Programming before both caches hold the first list would take every
  // Service's rules away for a moment.
  if (!services_->HasSynced() || !slices_->HasSynced()) return false;
  auto services = services_->List("");
  auto slices = slices_->List("");
  if (!services.ok() || !slices.ok()) return false;
  std::vector<JsonDoc> svc_docs = ParseAll(*services);
  std::vector<JsonDoc> slice_docs = ParseAll(*slices);
  std::vector<const Json*> svc_ptrs, slice_ptrs;
  for (const auto& d : svc_docs) svc_ptrs.push_back(&d);
  for (const auto& d : slice_docs) slice_ptrs.push_back(&d);
  const auto ports =
      BuildServicePorts(svc_ptrs, slice_ptrs, settings_.node_name);
  // The nftables script is a complete description of the ports for both
  // backends: when it did not change, nothing needs programming.
  std::string rules = NftablesRuleset(ports, settings_.rules);
  if (rules == last_) return true;
  Status s = backend_->Sync(ports);
  if (!s.ok()) {
    if (s.ToString() != last_error_) {
      last_error_ = s.ToString();
      host_.Log(kLogWarn, "proxy",
                backend_->Name() + " sync: " + last_error_ +
                    " (retrying every second; logged again when it changes)");
    }
    return false;
  }
  last_error_.clear();
  last_ = std::move(rules);
  return true;
}

}  // namespace berth::proxy
