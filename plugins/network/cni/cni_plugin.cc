// Registration of the `cni` plugin: the pod network that attaches pods
// through CNI plugin binaries. The logic lives in the berth_cni_lib
// library.
#include <memory>

#include "berth/plugin.h"
#include "cni_network.h"
#include "cni_settings.h"
#include "plugins/common/data_dir.h"

namespace berth::cni {
namespace {

class CniPlugin : public Plugin {
 public:
  std::string Name() const override { return "cni"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseCniSettings(settings_json, PluginDataDir());
    if (!settings.ok()) return settings.status();
    ProcessRunner* runner = host.process_runner();
    if (!runner) {
      return Status::Unavailable(
          "the cni plugin runs CNI plugin binaries and this host has no "
          "exec service");
    }
    return registrar.AddPodNetwork(
        std::make_shared<CniNetwork>(std::move(settings).value(), *runner));
  }
};

}  // namespace
}  // namespace berth::cni

BERTH_PLUGIN(berth::cni::CniPlugin)
