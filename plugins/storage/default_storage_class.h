// DefaultStorageClass: the admission that gives a PersistentVolumeClaim
// created without spec.storageClassName (and without the beta class
// annotation) the cluster's default StorageClass, as the apiserver's
// admission plugin of the same name does. A claim that names a class,
// even "", is left alone; with no default class the field stays unset.
// With several defaults the newest wins (ties: the first name).
//
// Thread safety: Admit is safe to call concurrently (reads through Client).
#ifndef BERTH_PLUGINS_STORAGE_DEFAULT_STORAGE_CLASS_H_
#define BERTH_PLUGINS_STORAGE_DEFAULT_STORAGE_CLASS_H_

#include <optional>
#include <string>

#include "berth/admission.h"
#include "berth/client.h"

namespace berth::storage {

// The name of the default class in a StorageClassList, nullopt when none
// is marked default.
std::optional<std::string> DefaultClassName(const Json& list);

class DefaultStorageClass : public Admission {
 public:
  // `client` must outlive the admission.
  explicit DefaultStorageClass(Client* client) : client_(client) {}
  std::string Name() const override { return "DefaultStorageClass"; }
  // Fails only when the StorageClasses cannot be listed.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;

 private:
  Client* client_;
};

}  // namespace berth::storage

#endif  // BERTH_PLUGINS_STORAGE_DEFAULT_STORAGE_CLASS_H_
