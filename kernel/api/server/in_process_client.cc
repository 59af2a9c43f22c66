#include "kernel/api/server/in_process_client.h"

#include "kernel/api/server/list_encoding.h"
#include "kernel/api/server/version_conversion.h"

namespace berth::api {
namespace {

api::ListOptions ToApiOptions(const berth::ListOptions& options) {
  api::ListOptions lo;
  lo.label_selector = options.label_selector;
  lo.field_selector = options.field_selector;
  return lo;
}

}  // namespace

InProcessClient::InProcessClient(const KindRegistry* kinds,
                                 ResourceService* service)
    : kinds_(kinds), service_(service) {
  write_options_.user.name = "system:berth";
  write_options_.user.groups = {"system:masters"};
  // Plugins' writes are recorded in managedFields under this manager, as
  // kube-controller-manager's are under its own name.
  write_options_.field_manager = "berth";
}

WriteOptions InProcessClient::OptionsFor(const ResourceRef& r) const {
  WriteOptions o = write_options_;
  o.version = r.version;
  return o;
}

StatusOr<const Kind*> InProcessClient::Find(const ResourceRef& r) const {
  const Kind* k = kinds_->ByResource(r.group, r.version, r.resource);
  if (!k) {
    return Status::NotFound(
        "the server could not find the requested resource (" + r.resource +
        ")");
  }
  return k;
}

std::vector<ServedResource> InProcessClient::ServerResources() {
  std::vector<ServedResource> out;
  for (const Kind* k : kinds_->All()) {
    const KindInfo& i = k->Info();
    out.push_back({{i.group, i.version, i.plural}, i.kind, i.namespaced});
  }
  return out;
}

StatusOr<std::string> InProcessClient::Get(const ResourceRef& r,
                                           const std::string& ns,
                                           const std::string& name) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  auto o = service_->Get(**k, ns, name);
  if (!o.ok()) return o.status();
  return *ConvertOut(**k, r.version, o->data);
}

StatusOr<std::string> InProcessClient::List(const ResourceRef& r,
                                            const std::string& ns,
                                            const berth::ListOptions& opts) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  auto list = service_->List(**k, ns, ToApiOptions(opts));
  if (!list.ok()) return list.status();
  return EncodeList(**k, *list, r.version);
}

StatusOr<std::string> InProcessClient::Create(const ResourceRef& r,
                                              const std::string& ns,
                                              const std::string& object) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  JsonDoc d;
  d.Parse(object.data(), object.size());
  if (d.HasParseError()) return Status::BadRequest("invalid JSON object");
  auto w = service_->Create(**k, ns, std::move(d), OptionsFor(r));
  if (!w.ok()) return w.status();
  return *ConvertOut(**k, r.version, w->object.data);
}

StatusOr<std::string> InProcessClient::Update(const ResourceRef& r,
                                              const std::string& ns,
                                              const std::string& object,
                                              const std::string& subresource) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  JsonDoc d;
  d.Parse(object.data(), object.size());
  if (d.HasParseError()) return Status::BadRequest("invalid JSON object");
  std::string name = GetString(d, {"metadata", "name"});
  auto w =
      service_->Update(**k, ns, name, subresource, std::move(d), OptionsFor(r));
  if (!w.ok()) return w.status();
  return *ConvertOut(**k, r.version, w->object.data);
}

StatusOr<std::string> InProcessClient::MergePatch(
    const ResourceRef& r, const std::string& ns, const std::string& name,
    const std::string& patch, const std::string& subresource) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  auto w = service_->Patch(**k, ns, name, subresource, PatchType::kMerge, patch,
                           OptionsFor(r));
  if (!w.ok()) return w.status();
  return *ConvertOut(**k, r.version, w->object.data);
}

Status InProcessClient::Delete(const ResourceRef& r, const std::string& ns,
                               const std::string& name,
                               const berth::DeleteOptions& opts) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  DeleteOptions d;
  d.user = write_options_.user;
  d.propagation_policy = opts.propagation_policy;
  d.precondition_uid = opts.precondition_uid;
  d.precondition_resource_version = opts.precondition_resource_version;
  d.grace_period_seconds = opts.grace_period_seconds;
  auto o = service_->Delete(**k, ns, name, d);
  return o.ok() ? Status() : o.status();
}

StatusOr<std::string> InProcessClient::CreateSubresource(
    const ResourceRef& r, const std::string& ns, const std::string& name,
    const std::string& subresource, const std::string& body) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  const KindInfo& info = (*k)->Info();
  if (const ActionHandler* handler =
          kinds_->ActionHandlerFor(info.group, info.plural, subresource)) {
    return service_->PostAction(*handler, ns, name, body, write_options_);
  }
  return service_->PostSubresource(**k, ns, name, subresource, body,
                                   write_options_);
}

StatusOr<std::unique_ptr<WatchHandle>> InProcessClient::Watch(
    const ResourceRef& r, const std::string& ns,
    const std::string& resource_version,
    std::function<void(const WatchEvent&)> on_event) {
  return WatchSelected(r, ns, resource_version, {}, std::move(on_event));
}

StatusOr<std::unique_ptr<WatchHandle>> InProcessClient::WatchSelected(
    const ResourceRef& r, const std::string& ns,
    const std::string& resource_version, const berth::ListOptions& options,
    std::function<void(const WatchEvent&)> on_event) {
  auto k = Find(r);
  if (!k.ok()) return k.status();
  auto w = service_->Watch(**k, ns, ToApiOptions(options), resource_version);
  if (!w.ok()) return w.status();
  if (IsOtherVersion((*k)->Info(), r.version)) {
    on_event = [kind = *k, version = r.version,
                inner = std::move(on_event)](const WatchEvent& e) {
      auto data = std::make_shared<const std::string>(e.object);
      inner({e.type, *ConvertOut(*kind, version, std::move(data))});
    };
  }
  return dispatcher_.Add(std::move(w).value(), std::move(on_event));
}

}  // namespace berth::api
