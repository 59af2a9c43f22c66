#include "csr_approver.h"

#include "age.h"
#include "kubelet_client_policy.h"

namespace berth::certificates {

StatusOr<ReconcileResult> CsrApprover::Reconcile(const ReconcileRequest& req) {
  auto got = host_.client().Get(kCsrResource, "", req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  auto doc = ParseJson(*got);
  if (!doc.ok()) return doc.status();
  JsonDoc& csr = *doc;
  if (HasCondition(csr, "Approved") || HasCondition(csr, "Denied")) {
    return ReconcileResult{};
  }
  ApprovalDecision decision = DecideApproval(csr);
  if (!decision.approve) return ReconcileResult{};
  auto& a = csr.GetAllocator();
  Json& status = EnsureObject(csr, "status", a);
  if (!Member(status, "conditions") || !status["conditions"].IsArray()) {
    SetMember(status, "conditions", Json(rapidjson::kArrayType), a);
  }
  Json cond(rapidjson::kObjectType);
  const std::string now =
      core::FormatTimestamp(std::chrono::system_clock::now());
  SetString(cond, "type", "Approved", a);
  SetString(cond, "status", "True", a);
  SetString(cond, "reason", "AutoApproved", a);
  SetString(cond, "message", decision.message, a);
  SetString(cond, "lastUpdateTime", now, a);
  SetString(cond, "lastTransitionTime", now, a);
  status["conditions"].PushBack(cond, a);
  auto updated =
      host_.client().Update(kCsrResource, "", ToJson(csr), "approval");
  if (!updated.ok() && !updated.status().IsNotFound()) return updated.status();
  host_.Log(kLogInfo, "certificates",
            "approved certificate signing request " + req.name);
  return ReconcileResult{};
}

}  // namespace berth::certificates
