// Registration of the `sim` plugin: simulated nodes and kubelets (like
// KWOK), for trying Berth and testing workloads without containers. The
// logic lives in the berth_sim_lib library.
#include <memory>

#include "berth/plugin.h"
#include "sim_provider.h"
#include "sim_settings.h"

namespace berth::sim {
namespace {

class SimPlugin : public Plugin {
 public:
  std::string Name() const override { return "sim"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseSimSettings(settings_json);
    if (!settings.ok()) return settings.status();
    provider_ =
        std::make_unique<SimProvider>(host, std::move(settings).value());
    return Status::Ok();
  }

  // Nodes are registered once the API serves (core has made
  // kube-node-lease by then, as it starts first).
  Status Start() override { return provider_->Start(); }

  void Shutdown() override {
    if (provider_) provider_->Stop();
  }

 private:
  std::unique_ptr<SimProvider> provider_;
};

}  // namespace
}  // namespace berth::sim

BERTH_PLUGIN(berth::sim::SimPlugin)
