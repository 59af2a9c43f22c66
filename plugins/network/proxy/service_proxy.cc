#include "service_proxy.h"

#include <vector>

#include "nftables_ruleset.h"
#include "service_port_model.h"

namespace berth::proxy {
namespace {

const ResourceRef kServices{"", "v1", "services"};
const ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

}  // namespace

ServiceProxy::ServiceProxy(Host& host, const ProxySettings& settings,
                           std::unique_ptr<ProxyBackend> backend)
    : host_(host),
      settings_(settings),
      backend_(std::move(backend)),
      loop_(
          {settings.min_sync_period, std::chrono::seconds(1),
           settings.sync_period},
          [this] { return SyncOnce(); },
          // The periodic resync: everything again, even with nothing new.
          [this] {
            backend_->ForgetProgrammed();
            last_.clear();
          }) {}

ServiceProxy::~ServiceProxy() { Stop(); }

void ServiceProxy::Start() {
  services_ = &host_.InformerFor(kServices);
  slices_ = &host_.InformerFor(kSlices);
  loop_.Start({services_, slices_});
}

void ServiceProxy::Stop() {
  if (!services_) return;
  loop_.Stop();
  services_ = nullptr;
  if (settings_.cleanup_on_exit) {
    Status s = backend_->Cleanup();
    if (!s.ok()) {
      host_.Log(kLogWarn, "proxy", "removing the rules: " + s.ToString());
    }
  }
}

uint64_t ServiceProxy::syncs() const { return loop_.syncs(); }

bool ServiceProxy::SyncOnce() {
  // Programming before both caches hold the first list would take every
  // Service's rules away for a moment.
  if (!services_->HasSynced() || !slices_->HasSynced()) return false;
  auto services = services_->List("");
  auto slices = slices_->List("");
  if (!services.ok() || !slices.ok()) return false;
  const std::vector<JsonDoc> svc_docs = common::ParseAll(*services);
  const std::vector<JsonDoc> slice_docs = common::ParseAll(*slices);
  const auto ports =
      BuildServicePorts(common::Pointers(svc_docs),
                        common::Pointers(slice_docs), settings_.node_name);
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
