#include "root_ca_publisher.h"

#include "berth/json.h"

namespace berth::core {
namespace {

const ResourceRef kNamespacesRef{"", "v1", "namespaces"};
const ResourceRef kConfigMapsRef{"", "v1", "configmaps"};

// kube-controller-manager's description of the ConfigMap, word for word.
constexpr const char* kDescription =
    "Contains a CA bundle that can be used to verify the kube-apiserver when "
    "using internal endpoints such as the internal service IP or "
    "kubernetes.default.svc. No other usage is guaranteed across "
    "distributions of Kubernetes clusters.";

class ConfigMapTriggerController : public Controller {
 public:
  explicit ConfigMapTriggerController(RootCaPublisher& target)
      : target_(target) {}
  std::string Name() const override { return "root-ca-cert-publisher-cm"; }
  ResourceRef Primary() const override { return kConfigMapsRef; }
  StatusOr<ReconcileResult> Reconcile(const ReconcileRequest& req) override {
    if (req.name != kRootCaConfigMap) return ReconcileResult{};
    if (Status s = target_.Sync(req.ns); !s.ok()) return s;
    return ReconcileResult{};
  }

 private:
  RootCaPublisher& target_;
};

}  // namespace

Status RootCaPublisher::Sync(const std::string& ns) {
  const std::string ca = host_.cluster_ca_pem();
  if (ca.empty()) return {};
  Client& client = host_.client();
  auto space = client.Get(kNamespacesRef, "", ns);
  if (!space.ok()) {
    return space.status().IsNotFound() ? Status::Ok() : space.status();
  }
  auto space_doc = ParseJson(*space);
  if (!space_doc.ok()) return space_doc.status();
  if (Find(*space_doc, {"metadata", "deletionTimestamp"}) != nullptr) return {};

  auto got = client.Get(kConfigMapsRef, ns, kRootCaConfigMap);
  if (!got.ok()) {
    if (!got.status().IsNotFound()) return got.status();
    JsonDoc cm;
    cm.SetObject();
    auto& a = cm.GetAllocator();
    SetString(cm, "apiVersion", "v1", a);
    SetString(cm, "kind", "ConfigMap", a);
    Json& meta = EnsureObject(cm, "metadata", a);
    SetString(meta, "name", kRootCaConfigMap, a);
    SetString(meta, "namespace", ns, a);
    SetString(EnsureObject(meta, "annotations", a), "kubernetes.io/description",
              kDescription, a);
    SetString(EnsureObject(cm, "data", a), "ca.crt", ca, a);
    auto created = client.Create(kConfigMapsRef, ns, ToJson(cm));
    if (created.ok() || created.status().IsAlreadyExists()) return {};
    return created.status();
  }
  auto parsed = ParseJson(*got);
  if (!parsed.ok()) return parsed.status();
  JsonDoc cm = std::move(parsed).value();
  const Json* data = Member(cm, "data");
  if (data != nullptr && data->IsObject() && data->MemberCount() == 1 &&
      GetString(cm, {"data", "ca.crt"}) == ca) {
    return {};
  }
  // As kube-controller-manager: the data is exactly {ca.crt}, the rest of
  // the object (labels, annotations) is the user's.
  auto& a = cm.GetAllocator();
  Json fresh(rapidjson::kObjectType);
  SetString(fresh, "ca.crt", ca, a);
  SetMember(cm, "data", std::move(fresh), a);
  auto updated = client.Update(kConfigMapsRef, ns, ToJson(cm), "");
  return updated.ok() ? Status::Ok() : updated.status();
}

StatusOr<ReconcileResult> RootCaPublisher::Reconcile(
    const ReconcileRequest& req) {
  if (Status s = Sync(req.name); !s.ok()) return s;
  return ReconcileResult{};
}

std::shared_ptr<Controller> RootCaPublisher::ConfigMapTrigger() {
  return std::make_shared<ConfigMapTriggerController>(*this);
}

}  // namespace berth::core
