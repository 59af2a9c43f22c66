// Registration of the `dns` plugin: cluster DNS (kube-dns's role) for
// Services and Pods. The logic lives in the berth_dns_lib library.
#include <memory>

#include "berth/plugin.h"
#include "cluster_dns.h"
#include "dns_settings.h"

namespace berth::dns {
namespace {

class DnsPlugin : public Plugin {
 public:
  std::string Name() const override { return "dns"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseDnsSettings(settings_json);
    if (!settings.ok()) return settings.status();
    host_ = &host;
    settings_ = *settings;
    // The API server's full name in this zone, as kubeadm adds it to the
    // serving certificate; the core plugin names the shorter ones.
    return registrar.AddServingName("kubernetes.default.svc." + settings_.zone);
  }

  Status Start() override {
    dns_ = std::make_unique<ClusterDns>(*host_, settings_);
    dns_->Start();
    return Status::Ok();
  }

  void Shutdown() override {
    if (dns_) dns_->Stop();
    dns_.reset();
  }

 private:
  Host* host_ = nullptr;
  DnsSettings settings_;
  std::unique_ptr<ClusterDns> dns_;
};

}  // namespace
}  // namespace berth::dns

BERTH_PLUGIN(berth::dns::DnsPlugin)
