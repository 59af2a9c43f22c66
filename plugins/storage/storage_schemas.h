// StorageSchemas: the OpenAPI v3 component schemas of PersistentVolume,
// PersistentVolumeClaim (core/v1) and StorageClass (storage.k8s.io/v1), in
// the core plugin's schema registry notation so they reference the core/v1
// types (ObjectMeta, HostPathVolumeSource, NFSVolumeSource...) already
// described there.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_STORAGE_STORAGE_SCHEMAS_H_
#define BERTH_PLUGINS_STORAGE_STORAGE_SCHEMAS_H_

#include <string>

namespace berth::storage {

// {"io.k8s.api.core.v1.PersistentVolume": {...}, ...} for the kind whose
// full schema name is `root`, with every type it references.
std::string StorageSchemasJson(const std::string& root);

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_STORAGE_SCHEMAS_H_
