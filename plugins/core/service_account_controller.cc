#include "service_account_controller.h"

#include "berth/json.h"

namespace berth::core {
namespace {

const ResourceRef kNamespacesRef{"", "v1", "namespaces"};
const ResourceRef kServiceAccountsRef{"", "v1", "serviceaccounts"};

class TriggerController : public Controller {
 public:
  explicit TriggerController(ServiceAccountController& target)
      : target_(target) {}
  std::string Name() const override { return "serviceaccount-sa"; }
  ResourceRef Primary() const override { return kServiceAccountsRef; }
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override {
    if (req.name != "default") return ReconcileResult{};
    if (Status s = target_.Sync(req.ns); !s.ok()) return s;
    return ReconcileResult{};
  }

 private:
  ServiceAccountController& target_;
};

}  // namespace

Status ServiceAccountController::Sync(const std::string& ns) {
  auto space = client_.Get(kNamespacesRef, "", ns);
  if (!space.ok()) {
    return space.status().IsNotFound() ? Status::Ok() : space.status();
  }
  auto doc = ParseJson(*space);
  if (!doc.ok()) return doc.status();
  if (Find(*doc, {"metadata", "deletionTimestamp"}) != nullptr) return {};
  auto got = client_.Get(kServiceAccountsRef, ns, "default");
  if (got.ok()) return {};
  if (!got.status().IsNotFound()) return got.status();
  JsonDoc sa(rapidjson::kObjectType);
  auto& a = sa.GetAllocator();
  SetString(sa, "apiVersion", "v1", a);
  SetString(sa, "kind", "ServiceAccount", a);
  Json& meta = EnsureObject(sa, "metadata", a);
  SetString(meta, "name", "default", a);
  SetString(meta, "namespace", ns, a);
  auto created = client_.Create(kServiceAccountsRef, ns, ToJson(sa));
  if (created.ok() || created.status().IsAlreadyExists()) return {};
  // A namespace that began terminating meanwhile refuses the create.
  if (created.status().code() == Status::Code::kForbidden) return {};
  return created.status();
}

StatusOr<ReconcileResult> ServiceAccountController::Reconcile(
    const ReconcileRequest& req) {
  if (Status s = Sync(req.name); !s.ok()) return s;
  return ReconcileResult{};
}

std::shared_ptr<Controller> ServiceAccountController::ServiceAccountTrigger() {
  return std::make_shared<TriggerController>(*this);
}

}  // namespace berth::core
