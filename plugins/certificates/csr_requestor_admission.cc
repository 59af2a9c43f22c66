#include "csr_requestor_admission.h"

#include "csr_status.h"

namespace berth::certificates {

Status CsrRequestorAdmission::Admit(const AdmissionRequest& req, Json& obj,
                                    JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kCreate ||
      req.resource.group != kCsrResource.group ||
      req.resource.resource != kCsrResource.resource) {
    return {};
  }
  Json& spec = EnsureObject(obj, "spec", alloc);
  SetString(spec, "username", req.user.name, alloc);
  if (req.user.uid.empty()) {
    spec.RemoveMember("uid");
  } else {
    SetString(spec, "uid", req.user.uid, alloc);
  }
  Json groups(rapidjson::kArrayType);
  for (const std::string& g : req.user.groups) {
    groups.PushBack(
        Json(g.c_str(), static_cast<rapidjson::SizeType>(g.size()), alloc),
        alloc);
  }
  SetMember(spec, "groups", std::move(groups), alloc);
  spec.RemoveMember("extra");
  return {};
}

}  // namespace berth::certificates
