// Registration of the storage plugin: PersistentVolume,
// PersistentVolumeClaim and StorageClass, the DefaultStorageClass,
// StorageObjectInUseProtection and PersistentVolumeClaimResize admissions
// and the static volume binder. The
// logic lives in the berth_storage_kinds library.
#include <memory>

#include "berth/plugin.h"
#include "claim_resize.h"
#include "default_storage_class.h"
#include "in_use_protection.h"
#include "persistent_volume_claim_kind.h"
#include "persistent_volume_kind.h"
#include "storage_class_kind.h"
#include "storage_settings.h"
#include "volume_binder.h"

namespace berth::storage {
namespace {

class StoragePlugin : public Plugin {
 public:
  std::string Name() const override { return "storage"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseStorageSettings(settings_json);
    if (!settings.ok()) return settings.status();
    host_ = &host;
    settings_ = *settings;
    const std::shared_ptr<Kind> kinds[] = {
        std::make_shared<PersistentVolumeKind>(),
        std::make_shared<PersistentVolumeClaimKind>(),
        std::make_shared<StorageClassKind>(),
    };
    for (const auto& kind : kinds) {
      if (Status s = registrar.AddKind(kind); !s.ok()) return s;
    }
    if (Status s = registrar.AddAdmission(
            std::make_shared<DefaultStorageClass>(&host.client()));
        !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddAdmission(std::make_shared<InUseProtection>());
        !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddAdmission(
            std::make_shared<ClaimResize>(&host.client()));
        !s.ok()) {
      return s;
    }
    auto binder = std::make_shared<VolumeBinder>(host);
    if (Status s =
            registrar.AddController(std::make_shared<ClaimBinder>(binder));
        !s.ok()) {
      return s;
    }
    return registrar.AddController(
        std::make_shared<VolumeBinderController>(binder));
  }

  // Creates the configured default StorageClass when the cluster has no
  // default class, so claims without a class bind as on minikube or kind.
  Status Start() override {
    if (settings_.default_class_name.empty()) return {};
    auto list =
        host_->client().List({"storage.k8s.io", "v1", "storageclasses"}, "");
    if (!list.ok()) return list.status();
    auto doc = ParseJson(*list);
    if (!doc.ok()) return doc.status();
    if (DefaultClassName(*doc)) return {};
    auto created =
        host_->client().Create({"storage.k8s.io", "v1", "storageclasses"}, "",
                               DefaultClassObject(settings_));
    if (created.ok() || created.status().IsAlreadyExists()) return {};
    return created.status();
  }

 private:
  Host* host_ = nullptr;
  StorageSettings settings_;
};

}  // namespace
}  // namespace berth::storage

BERTH_PLUGIN(berth::storage::StoragePlugin)
