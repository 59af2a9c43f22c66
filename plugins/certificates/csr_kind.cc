#include "csr_kind.h"

#include <set>

#include "age.h"
#include "csr_status.h"
#include "printing.h"

namespace berth::certificates {

namespace {

constexpr int64_t kMinExpirationSeconds = 600;

bool QualifiedSignerName(const std::string& name) {
  size_t slash = name.find('/');
  return slash != std::string::npos && slash > 0 && slash + 1 < name.size() &&
         name.substr(0, slash).find('.') != std::string::npos;
}

}  // namespace

CsrKind::CsrKind() {
  info_.group = "certificates.k8s.io";
  info_.version = "v1";
  info_.kind = "CertificateSigningRequest";
  info_.plural = "certificatesigningrequests";
  info_.singular = "certificatesigningrequest";
  info_.namespaced = false;
  info_.short_names = {"csr"};
  info_.status_subresource = true;
  info_.update_subresources = {"approval"};
  info_.schema_name = "io.k8s.api.certificates.v1.CertificateSigningRequest";
}

void CsrKind::Default(Json& obj, JsonAlloc& alloc) const {
  Json* conds = Find(obj, {"status", "conditions"});
  if (conds == nullptr || !conds->IsArray()) return;
  const std::string now =
      core::FormatTimestamp(std::chrono::system_clock::now());
  for (Json& c : conds->GetArray()) {
    if (!c.IsObject()) continue;
    SetDefaultString(c, "status", "True", alloc);
    SetDefaultString(c, "lastUpdateTime", now, alloc);
    SetDefaultString(c, "lastTransitionTime", now, alloc);
  }
}

std::vector<FieldCause> CsrKind::Validate(const Json& obj,
                                          const Json* old) const {
  std::vector<FieldCause> causes;
  const std::string signer = GetString(obj, {"spec", "signerName"});
  if (GetString(obj, {"spec", "request"}).empty()) {
    causes.push_back(field::Required("spec.request"));
  } else if (StatusOr<X509Request> req = RequestOf(obj); !req.ok()) {
    causes.push_back(
        field::Invalid("spec.request", "<request>", req.status().message()));
  }
  if (signer.empty()) {
    causes.push_back(field::Required("spec.signerName"));
  } else if (!QualifiedSignerName(signer)) {
    causes.push_back(
        field::Invalid("spec.signerName", signer,
                       "must be a fully qualified domain and path of the form "
                       "'example.com/signer-name'"));
  }
  const Json* usages = Find(obj, {"spec", "usages"});
  if (usages == nullptr || !usages->IsArray() || usages->Empty()) {
    causes.push_back(field::Required("spec.usages"));
  }
  if (const Json* exp = Find(obj, {"spec", "expirationSeconds"});
      exp && exp->IsInt64() && exp->GetInt64() < kMinExpirationSeconds) {
    causes.push_back(field::InvalidNumber(
        "spec.expirationSeconds", exp->GetInt64(),
        "may not specify a duration less than 600 seconds (10 minutes)"));
  }
  std::set<std::string> seen;
  if (const Json* conds = Find(obj, {"status", "conditions"});
      conds && conds->IsArray()) {
    for (const Json& c : conds->GetArray()) {
      const std::string type = GetString(c, {"type"});
      if (type.empty()) {
        causes.push_back(field::Required("status.conditions.type"));
      } else if ((type == "Approved" || type == "Denied" || type == "Failed") &&
                 !seen.insert(type).second) {
        causes.push_back(field::Duplicate("status.conditions", type));
      }
    }
  }
  if (seen.count("Approved") && seen.count("Denied")) {
    causes.push_back(field::Invalid(
        "status.conditions", "Approved",
        "Approved and Denied conditions are mutually exclusive"));
  }
  if (old != nullptr && old != &obj) {
    const Json* spec = Member(obj, "spec");
    const Json* was = Member(*old, "spec");
    if (spec && was && *spec != *was) {
      causes.push_back(field::Forbidden("spec", "field is immutable"));
    }
    for (const char* type : {"Approved", "Denied"}) {
      if (HasCondition(*old, type) && !HasCondition(obj, type)) {
        causes.push_back(field::Forbidden(
            "status.conditions",
            std::string("updates may not remove a condition of type \"") +
                type + "\""));
      }
    }
  }
  return causes;
}

void CsrKind::MergeSubresourceUpdate(const std::string& subresource,
                                     const Json& requested, Json& obj,
                                     JsonAlloc& alloc) const {
  if (subresource != "approval") return;
  Json& status = EnsureObject(obj, "status", alloc);
  if (const Json* conds = Find(requested, {"status", "conditions"})) {
    SetMember(status, "conditions", Json(*conds, alloc), alloc);
  } else {
    status.RemoveMember("conditions");
  }
}

std::vector<PrinterColumn> CsrKind::Columns() const {
  return {core::NameColumn(),
          core::AgeColumn(),
          core::StringColumn("SignerName",
                             "Name of the signer that will sign the request"),
          core::StringColumn("Requestor", "Name of the requesting user"),
          core::StringColumn("RequestedDuration",
                             "Duration the issued certificate is requested to "
                             "be valid for"),
          core::StringColumn("Condition",
                             "Whether the request is approved, denied or "
                             "pending, and whether it is issued")};
}

void CsrKind::Cells(const Json& obj, std::chrono::system_clock::time_point now,
                    Json& cells, JsonAlloc& alloc) const {
  core::AppendCell(cells, GetString(obj, {"metadata", "name"}), alloc);
  core::AppendCell(
      cells, core::AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
      alloc);
  core::AppendCell(cells, GetString(obj, {"spec", "signerName"}), alloc);
  core::AppendCell(cells, GetString(obj, {"spec", "username"}), alloc);
  std::string duration = "<none>";
  if (const Json* exp = Find(obj, {"spec", "expirationSeconds"});
      exp && exp->IsInt64()) {
    duration = core::HumanDuration(std::chrono::seconds(exp->GetInt64()));
  }
  core::AppendCell(cells, duration, alloc);
  core::AppendCell(cells, ConditionSummary(obj), alloc);
}

}  // namespace berth::certificates
