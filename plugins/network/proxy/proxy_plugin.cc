// Registration of the `proxy` plugin: the Service proxy (kube-proxy's
// role) with its nftables and iptables backends. The logic lives in the
// berth_proxy_lib library.
#include <memory>

#include "berth/plugin.h"
#include "proxy_backend.h"
#include "proxy_settings.h"
#include "service_proxy.h"

namespace berth::proxy {
namespace {

class ProxyPlugin : public Plugin {
 public:
  std::string Name() const override { return "proxy"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseProxySettings(settings_json);
    if (!settings.ok()) return settings.status();
    if (!host.process_runner()) {
      return Status::Unavailable(
          "the proxy plugin runs nft or iptables-restore and this host has "
          "no exec service");
    }
    host_ = &host;
    settings_ = *settings;
    return Status::Ok();
  }

  Status Start() override {
    ProcessRunner& runner = *host_->process_runner();
    std::string backend = settings_.backend;
    if (backend == "auto") {
      backend = NftablesWorks(runner) ? "nftables" : "iptables";
    }
    auto impl =
        backend == "nftables"
            ? NewNftablesBackend(runner, settings_.rules)
            : NewIptablesBackend(runner, settings_.rules, settings_.iptables);
    host_->Log(kLogInfo, Name(), "programming Services with " + backend);
    proxy_ = std::make_unique<ServiceProxy>(*host_, settings_, std::move(impl));
    proxy_->Start();
    return Status::Ok();
  }

  void Shutdown() override {
    if (proxy_) proxy_->Stop();
    proxy_.reset();
  }

 private:
  Host* host_ = nullptr;
  ProxySettings settings_;
  std::unique_ptr<ServiceProxy> proxy_;
};

}  // namespace
}  // namespace berth::proxy

BERTH_PLUGIN(berth::proxy::ProxyPlugin)
