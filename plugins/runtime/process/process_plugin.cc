// Registration of the `process` plugin: the "process" container runtime
// (host processes in namespaces and cgroups, no images). The logic lives in
// berth_process_runtime_lib.
#include <memory>

#include "berth/host.h"
#include "berth/plugin.h"
#include "plugins/common/data_dir.h"
#include "process_runtime.h"
#include "process_settings.h"

namespace berth::runtime {
namespace {

class ProcessPlugin : public Plugin {
 public:
  std::string Name() const override { return "process"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseProcessSettings(settings_json, PluginDataDir());
    if (!settings.ok()) return settings.status();
    if (!host.process_runner()) {
      return Status::Internal(
          "the process runtime needs the host's exec service");
    }
    ShimRuntimeOptions options;
    options.name = "process";
    options.root = settings->root;
    options.shim_path = settings->shim_path;
    options.runner = host.process_runner();
    return registrar.AddContainerRuntime(
        std::make_shared<ProcessRuntime>(std::move(options)));
  }
};

}  // namespace
}  // namespace berth::runtime

BERTH_PLUGIN(berth::runtime::ProcessPlugin)
