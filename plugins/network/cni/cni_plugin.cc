// Registration of the `cni` plugin: the pod network that attaches pods
// through CNI plugin binaries. The logic lives in the berth_cni_lib
// library.
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "berth/plugin.h"
#include "cni_network.h"
#include "cni_settings.h"
#include "plugins/common/data_dir.h"

namespace berth::cni {
namespace {

bool HasPluginBinary(const std::vector<std::string>& dirs,
                     const std::string& type) {
  for (const auto& d : dirs) {
    if (access((d + "/" + type).c_str(), X_OK) == 0) return true;
  }
  return false;
}

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
    // The default network is a bridge: without that binary no pod could be
    // attached, so the network is not offered and the node agent reports
    // its Node NotReady instead of failing every pod (or the server).
    if (settings->networks_json.empty() && settings->conf_dir.empty() &&
        !HasPluginBinary(settings->bin_dirs, "bridge")) {
      std::string dirs;
      for (const auto& d : settings->bin_dirs) {
        dirs += (dirs.empty() ? "" : ", ") + d;
      }
      host.Log(kLogWarn, Name(),
               "pod network not offered: no CNI bridge plugin in " + dirs +
                   " (install containernetworking-plugins)");
      return Status::Ok();
    }
    return registrar.AddPodNetwork(
        std::make_shared<CniNetwork>(std::move(settings).value(), *runner));
  }
};

}  // namespace
}  // namespace berth::cni

BERTH_PLUGIN(berth::cni::CniPlugin)
