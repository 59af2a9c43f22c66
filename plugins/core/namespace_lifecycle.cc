#include "namespace_lifecycle.h"

namespace berth::core {

Status NamespaceLifecycle::Admit(const AdmissionRequest& req, Json& obj,
                                 JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kCreate || req.ns.empty()) {
    return {};
  }
  auto ns = client_->Get({"", "v1", "namespaces"}, "", req.ns);
  if (!ns.ok()) {
    if (ns.status().IsNotFound()) {
      return Status::NotFound("namespaces \"" + req.ns + "\" not found");
    }
    return ns.status();
  }
  JsonDoc d;
  d.Parse(ns->data(), ns->size());
  if (Find(d, {"metadata", "deletionTimestamp"})) {
    std::string resource =
        req.resource.group.empty()
            ? req.resource.resource
            : req.resource.resource + "." + req.resource.group;
    return Status::Forbidden(resource + " \"" + req.name +
                             "\" is forbidden: unable to create new content "
                             "in namespace " +
                             req.ns + " because it is being terminated");
  }
  return {};
}

}  // namespace berth::core
