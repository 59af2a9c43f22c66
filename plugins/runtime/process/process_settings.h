// ProcessSettings: the `process` plugin's settings — where it keeps its
// state (root) and which berth-shim it starts.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_RUNTIME_PROCESS_PROCESS_SETTINGS_H_
#define BERTH_PLUGINS_RUNTIME_PROCESS_PROCESS_SETTINGS_H_

#include <string>

#include "berth/status.h"

namespace berth::runtime {

struct ProcessSettings {
  std::string root;       // default: <data dir>/runtime/process
  std::string shim_path;  // default: DefaultShimPath()
};

// Parses the settings JSON ("{}" gives the defaults, the state under
// `data_dir`); Invalid naming the setting when a value has the wrong type.
StatusOr<ProcessSettings> ParseProcessSettings(const std::string& json,
                                               const std::string& data_dir);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_PROCESS_PROCESS_SETTINGS_H_
