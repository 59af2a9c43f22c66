// StorageSettings: the `settings:` of the storage plugin in conf/berth.yaml
// — which StorageClass to create as the cluster default when the cluster
// has none, as minikube and kind clusters ship one named "standard".
//
// Thread safety: a value type.
#ifndef BERTH_PLUGINS_STORAGE_STORAGE_SETTINGS_H_
#define BERTH_PLUGINS_STORAGE_STORAGE_SETTINGS_H_

#include <string>

#include "berth/status.h"

namespace berth::storage {

struct StorageSettings {
  // "" disables the default class.
  std::string default_class_name = "standard";
  // Static binding only until a provisioner plugin exists.
  std::string default_class_provisioner = "kubernetes.io/no-provisioner";
  std::string default_class_binding_mode = "Immediate";
};

// Parses the plugin's settings JSON ("{}" gives the defaults). Unknown keys,
// values of the wrong type and an unknown binding mode are BadRequest
// errors naming the key.
StatusOr<StorageSettings> ParseStorageSettings(const std::string& json);

// The StorageClass object (JSON) the settings ask for, marked default.
std::string DefaultClassObject(const StorageSettings& settings);

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_STORAGE_SETTINGS_H_
