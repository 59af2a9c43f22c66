#include "csr_signer.h"

#include "age.h"
#include "base64.h"
#include "kubelet_client_policy.h"

namespace berth::certificates {

namespace {

// What the signer's rules say of `csr`: OK to sign, or why not.
Status CheckForSigner(const Json& csr, const X509Request& req) {
  const std::string signer = GetString(csr, {"spec", "signerName"});
  if (signer == kKubeletClientSigner) {
    return ValidateKubeletClientRequest(req, Usages(csr));
  }
  return ValidateApiServerClientUsages(Usages(csr));
}

}  // namespace

StatusOr<ReconcileResult> CsrSigner::Reconcile(const ReconcileRequest& req) {
  auto got = host_.client().Get(kCsrResource, "", req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  auto doc = ParseJson(*got);
  if (!doc.ok()) return doc.status();
  JsonDoc& csr = *doc;
  const std::string signer = GetString(csr, {"spec", "signerName"});
  if ((signer != kKubeletClientSigner && signer != kApiServerClientSigner) ||
      !HasCondition(csr, "Approved") || HasCondition(csr, "Denied") ||
      HasCondition(csr, "Failed") ||
      !GetString(csr, {"status", "certificate"}).empty()) {
    return ReconcileResult{};
  }
  auto& a = csr.GetAllocator();
  Json& status = EnsureObject(csr, "status", a);
  StatusOr<X509Request> parsed = RequestOf(csr);
  Status refused = parsed.ok() ? CheckForSigner(csr, *parsed) : parsed.status();
  if (refused.ok()) {
    const int64_t seconds = GetInt(csr, {"spec", "expirationSeconds"}, 0);
    StatusOr<std::string> cert = host_.SignCertificate(
        parsed->pem, Usages(csr), std::chrono::seconds(seconds));
    if (cert.ok()) {
      SetString(status, "certificate", core::Base64Encode(*cert), a);
    } else if (cert.status().code() == Status::Code::kInvalid) {
      refused = cert.status();
    } else {
      return cert.status();
    }
  }
  if (!refused.ok()) {
    if (!Member(status, "conditions") || !status["conditions"].IsArray()) {
      SetMember(status, "conditions", Json(rapidjson::kArrayType), a);
    }
    const std::string now =
        core::FormatTimestamp(std::chrono::system_clock::now());
    Json cond(rapidjson::kObjectType);
    SetString(cond, "type", "Failed", a);
    SetString(cond, "status", "True", a);
    SetString(cond, "reason", "SignerValidationFailure", a);
    SetString(cond, "message", refused.message(), a);
    SetString(cond, "lastUpdateTime", now, a);
    SetString(cond, "lastTransitionTime", now, a);
    status["conditions"].PushBack(cond, a);
  }
  auto updated = host_.client().Update(kCsrResource, "", ToJson(csr), "status");
  if (!updated.ok() && !updated.status().IsNotFound()) return updated.status();
  return ReconcileResult{};
}

}  // namespace berth::certificates
