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
  std::string root = "/var/lib/berth/runtime/oci";
  std::string image_root = "/var/lib/berth/images";
  // Runtime name -> binary ("runc" -> "/usr/sbin/runc").
  std::map<std::string, std::string> runtimes = {{"crun", "/usr/bin/crun"},
                                                 {"runc", "/usr/sbin/runc"}};
  std::map<std::string, oci::RegistryHostSettings> registries;
  std::string shim_path;  // default: DefaultShimPath()
};

// Parses the settings JSON ("{}" gives the defaults); Invalid naming the
// setting when a value has the wrong type.
StatusOr<OciSettings> ParseOciSettings(const std::string& json);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_OCI_OCI_SETTINGS_H_
