#include "csr_status_admission.h"

#include <vector>

#include "berth/kind.h"
#include "csr_status.h"

namespace berth::certificates {
namespace {

// Where conditions of `type` are in `csr`'s status.conditions.
std::vector<rapidjson::SizeType> ConditionIndices(const Json& csr,
                                                  const std::string& type) {
  std::vector<rapidjson::SizeType> out;
  const Json* conds = Find(csr, {"status", "conditions"});
  if (conds == nullptr || !conds->IsArray()) return out;
  for (rapidjson::SizeType i = 0; i < conds->Size(); ++i) {
    if (GetString((*conds)[i], {"type"}) == type) out.push_back(i);
  }
  return out;
}

}  // namespace

Status CsrStatusAdmission::Admit(const AdmissionRequest& req, Json& obj,
                                 JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kUpdate ||
      req.subresource != "status" || req.old_object == nullptr ||
      req.resource.group != kCsrResource.group ||
      req.resource.resource != kCsrResource.resource) {
    return {};
  }
  const Json& old = *req.old_object;
  for (const std::string type : {"Approved", "Denied"}) {
    const auto was = ConditionIndices(old, type);
    const auto now = ConditionIndices(obj, type);
    if (now.size() > was.size()) {
      const std::string message =
          "updates may not add a condition of type \"" + type + "\"";
      return Status::Invalid(
          "CertificateSigningRequest.certificates.k8s.io \"" + req.name +
              "\" is invalid: status.conditions: Forbidden: " + message,
          {field::Forbidden("status.conditions", message)});
    }
    if (now.empty() || now.size() != was.size()) continue;
    const Json& old_conds = *Find(old, {"status", "conditions"});
    Json& conds = *Find(obj, {"status", "conditions"});
    for (size_t i = 0; i < now.size(); ++i) {
      conds[now[i]].CopyFrom(old_conds[was[i]], alloc);
    }
  }
  return {};
}

}  // namespace berth::certificates
