// PluginConfig: the plugin part of conf/berth.yaml — where to look for plugin
// libraries and which plugins to load, in order, with their settings:
//
//   pluginDirs: [/opt/berth/plugins]      # optional, relative to the file
//   plugins:
//     - core                              # short form: no settings
//     - name: storage
//       enabled: false                    # optional, default true
//       settings: {hostPathRoot: /srv}    # handed to Register as JSON
//
// Other top-level sections (`server:` ...) belong to other modules and are
// ignored here.
//
// Thread safety: plain values; the parse functions are reentrant.
#ifndef BERTH_KERNEL_PLUGIN_PLUGIN_CONFIG_H_
#define BERTH_KERNEL_PLUGIN_PLUGIN_CONFIG_H_

#include <string>
#include <vector>

#include "berth/status.h"

namespace berth {

struct PluginSpec {
  std::string name;
  // The `settings:` block as compact JSON; "{}" when absent. YAML scalars
  // are typed as YAML's core schema types them: plain `8080` is a number,
  // `true` a bool, `~` null, quoted "8080" a string.
  std::string settings_json = "{}";
};

struct PluginConfig {
  // Extra plugin directories, absolute (relative ones are resolved against
  // the config file's directory).
  std::vector<std::string> plugin_dirs;
  // Enabled plugins in load order; disabled entries are left out.
  std::vector<PluginSpec> plugins;
};

// Parses YAML text. `source` names it in errors ("conf/berth.yaml");
// `base_dir` resolves relative pluginDirs. On failure returns BadRequest
// with one line "<source>:<line>: <reason>".
StatusOr<PluginConfig> ParsePluginConfig(const std::string& yaml_text,
                                         const std::string& source,
                                         const std::string& base_dir);

// Reads and parses the file at `path`. NotFound when it cannot be read;
// otherwise as ParsePluginConfig.
StatusOr<PluginConfig> LoadPluginConfig(const std::string& path);

}  // namespace berth

#endif  // BERTH_KERNEL_PLUGIN_PLUGIN_CONFIG_H_
