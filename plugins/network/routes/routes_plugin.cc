// Registration of the `routes` plugin: routes from this node to every
// other node's pod CIDR (host-gw or VXLAN). It registers no kinds, so it
// runs in `berth server`'s node and in `berth agent` alike. The logic lives
// in the berth_routes_lib library.
#include <memory>

#include "berth/plugin.h"
#include "routes_controller.h"
#include "routes_settings.h"

namespace berth::routes {
namespace {

class RoutesPlugin : public Plugin {
 public:
  std::string Name() const override { return "routes"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseRoutesSettings(settings_json);
    if (!settings.ok()) return settings.status();
    if (!host.process_runner()) {
      return Status::Unavailable(
          "the routes plugin runs ip, bridge and iptables and this host has "
          "no exec service");
    }
    host_ = &host;
    settings_ = *settings;
    return Status::Ok();
  }

  Status Start() override {
    controller_ = std::make_unique<RoutesController>(*host_, settings_);
    controller_->Start();
    return Status::Ok();
  }

  void Shutdown() override {
    if (controller_) controller_->Stop();
    controller_.reset();
  }

 private:
  Host* host_ = nullptr;
  RoutesSettings settings_;
  std::unique_ptr<RoutesController> controller_;
};

}  // namespace
}  // namespace berth::routes

BERTH_PLUGIN(berth::routes::RoutesPlugin)
