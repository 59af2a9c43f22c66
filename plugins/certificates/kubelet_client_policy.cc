#include "kubelet_client_policy.h"

#include <algorithm>

#include "csr_status.h"

namespace berth::certificates {

namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Status CheckClientUsages(const std::vector<std::string>& usages) {
  static const std::vector<std::string> kAllowed = {
      "digital signature", "key encipherment", "client auth"};
  for (const std::string& u : usages) {
    if (!Contains(kAllowed, u)) {
      return Status::Invalid("usage \"" + u +
                             "\" is not allowed for a client certificate");
    }
  }
  if (!Contains(usages, "client auth")) {
    return Status::Invalid("usages must include \"client auth\"");
  }
  return {};
}

}  // namespace

Status ValidateKubeletClientRequest(const X509Request& req,
                                    const std::vector<std::string>& usages) {
  if (req.organizations != std::vector<std::string>{"system:nodes"}) {
    return Status::Invalid("subject organization is not system:nodes");
  }
  if (req.common_name.rfind("system:node:", 0) != 0 ||
      req.common_name.size() == sizeof("system:node:") - 1) {
    return Status::Invalid(
        "subject common name does not begin with "
        "system:node:");
  }
  if (req.has_alt_names) {
    return Status::Invalid(
        "DNS, email, IP and URI subjectAltNames are not allowed");
  }
  return CheckClientUsages(usages);
}

Status ValidateApiServerClientUsages(const std::vector<std::string>& usages) {
  return CheckClientUsages(usages);
}

ApprovalDecision DecideApproval(const Json& csr) {
  if (GetString(csr, {"spec", "signerName"}) != kKubeletClientSigner) {
    return {false, "not a kubelet client certificate signer"};
  }
  StatusOr<X509Request> req = RequestOf(csr);
  if (!req.ok()) return {false, req.status().message()};
  if (Status s = ValidateKubeletClientRequest(*req, Usages(csr)); !s.ok()) {
    return {false, s.message()};
  }
  const std::vector<std::string> groups = Groups(csr);
  if (GetString(csr, {"spec", "username"}) == req->common_name &&
      Contains(groups, "system:nodes")) {
    return {true,
            "Auto approving self kubelet client certificate after "
            "SubjectAccessReview."};
  }
  if (Contains(groups, "system:bootstrappers")) {
    return {true,
            "Auto approving kubelet client certificate after "
            "SubjectAccessReview."};
  }
  return {false, "the requestor is neither a bootstrapper nor the node"};
}

}  // namespace berth::certificates
