// OciSettings: the `oci` plugin's settings — its state root, the image
// store's root, the OCI runtime binaries to register (a runtime whose
// binary is missing is skipped), the registries' TLS settings and the shim.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_OCI_SETTINGS_H_
#define BERTH_PLUGINS_RUNTIME_OCI_OCI_SETTINGS_H_

#include <map>
#include <string>

#include "berth/status.h"
#include "plugins/runtime/oci/image/image_store.h"

namespace berth::runtime {

struct OciSettings {
  // Default <data dir>/runtime/oci: per server or agent, as its pods are.
  std::string root;
  // Default <data dir>/images, where `berth image import|pull` put images.
  std::string image_root;
  // Runtime name -> binary ("runc" -> "/usr/sbin/runc").
  std::map<std::string, std::string> runtimes = {{"crun", "/usr/bin/crun"},
                                                 {"runc", "/usr/sbin/runc"}};
  std::map<std::string, oci::RegistryHostSettings> registries;
  std::string shim_path;  // default: DefaultShimPath()
};

// Parses the settings JSON ("{}" gives the defaults, the state paths under
// `data_dir`); Invalid naming the setting when a value has the wrong type.
StatusOr<OciSettings> ParseOciSettings(const std::string& json,
                                       const std::string& data_dir);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_OCI_OCI_SETTINGS_H_
