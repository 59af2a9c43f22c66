// Registration of the `oci` plugin: the "runc" and "crun" container
// runtimes (whichever binaries exist), sharing one image store. The logic
// lives in berth_oci_runtime_lib.
#include <unistd.h>

#include <memory>

#include "berth/host.h"
#include "berth/plugin.h"
#include "cgroups.h"
#include "oci_runtime.h"
#include "oci_settings.h"
#include "plugins/common/data_dir.h"

namespace berth::runtime {
namespace {

class OciPlugin : public Plugin {
 public:
  std::string Name() const override { return "oci"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseOciSettings(settings_json, PluginDataDir());
    if (!settings.ok()) return settings.status();
    if (!host.process_runner()) {
      return Status::Internal("the oci runtimes need the host's exec service");
    }
    auto store = oci::ImageStore::Open(settings->image_root);
    if (!store.ok()) return store.status();
    std::shared_ptr<oci::ImageStore> images = std::move(store).value();
    images->SetRegistryHosts(settings->registries);
    // Hybrid machines mount cgroup2 next to the v1 hierarchies.
    const bool unified = Cgroups::Detect().unified();
    bool hybrid = !unified && access("/sys/fs/cgroup/unified", F_OK) == 0;
    for (const auto& [name, binary] : settings->runtimes) {
      if (access(binary.c_str(), X_OK) != 0) {
        host.Log(kLogInfo, "oci",
                 "runtime " + name + " skipped: " + binary + " is not there");
        continue;
      }
      OciRuntimeOptions o;
      o.base.name = name;
      o.base.root = settings->root + "/" + name;
      o.base.shim_path = settings->shim_path;
      o.base.runner = host.process_runner();
      o.binary = binary;
      o.hide_unified_cgroup =
          hybrid && binary.find("crun") != std::string::npos;
      // On v1 the kubelet's containers share the host's cgroup namespace;
      // on v2 each has its own, so it sees its limits at /sys/fs/cgroup.
      o.cgroup_namespace = unified;
      o.images = images;
      Status s = registrar.AddContainerRuntime(
          std::make_shared<OciRuntime>(std::move(o)));
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
};

}  // namespace
}  // namespace berth::runtime

BERTH_PLUGIN(berth::runtime::OciPlugin)
