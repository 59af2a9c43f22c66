// CsrStatusAdmission: an update through a CSR's /status keeps its Approved
// and Denied conditions as stored, and may not add one (what kube-apiserver's
// status strategy and validation do); other writes pass untouched.
#include "csr_status_admission.h"

#include <gtest/gtest.h>

#include <string>

#include "csr_status.h"

namespace berth::certificates {
namespace {

JsonDoc Csr(const std::string& conditions) {
  JsonDoc d;
  d.Parse((R"({"apiVersion":"certificates.k8s.io/v1",)"
           R"("kind":"CertificateSigningRequest","metadata":{"name":"n1"},)"
           R"("status":{"conditions":)" +
           conditions + "}}")
              .c_str());
  return d;
}

AdmissionRequest StatusUpdate(const Json& old) {
  AdmissionRequest req;
  req.operation = AdmissionRequest::Operation::kUpdate;
  req.resource = kCsrResource;
  req.kind = "CertificateSigningRequest";
  req.subresource = "status";
  req.name = "n1";
  req.old_object = &old;
  return req;
}

constexpr char kApproved[] =
    R"({"type":"Approved","status":"True","reason":"AutoApproved"})";

TEST(CsrStatusAdmission, KeepsTheStoredApprovalAndAddsTheSignersFailure) {
  JsonDoc old = Csr(std::string("[") + kApproved + "]");
  JsonDoc next =
      Csr(R"([{"type":"Approved","status":"False","reason":"Changed"},)"
          R"({"type":"Failed","status":"True","reason":"SignerFailed"}])");
  CsrStatusAdmission admission;
  ASSERT_TRUE(
      admission.Admit(StatusUpdate(old), next, next.GetAllocator()).ok());
  const Json& conds = next["status"]["conditions"];
  ASSERT_EQ(conds.Size(), 2u);
  EXPECT_EQ(GetString(conds[0], {"status"}), "True");
  EXPECT_EQ(GetString(conds[0], {"reason"}), "AutoApproved");
  EXPECT_EQ(GetString(conds[1], {"type"}), "Failed");
}

TEST(CsrStatusAdmission, AddingAnApprovalThroughStatusIsRefused) {
  JsonDoc old = Csr("[]");
  JsonDoc next = Csr(std::string("[") + kApproved + "]");
  CsrStatusAdmission admission;
  Status s = admission.Admit(StatusUpdate(old), next, next.GetAllocator());
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.message(),
            "CertificateSigningRequest.certificates.k8s.io \"n1\" is invalid: "
            "status.conditions: "
            "Forbidden: updates may not add a condition of type \"Approved\"");
  JsonDoc denied = Csr(R"([{"type":"Denied","status":"True"}])");
  EXPECT_EQ(
      admission.Admit(StatusUpdate(old), denied, denied.GetAllocator()).code(),
      Status::Code::kInvalid);
}

TEST(CsrStatusAdmission, TheApprovalSubresourceAndOtherKindsPass) {
  JsonDoc old = Csr("[]");
  JsonDoc next = Csr(std::string("[") + kApproved + "]");
  CsrStatusAdmission admission;
  AdmissionRequest approval = StatusUpdate(old);
  approval.subresource = "approval";
  EXPECT_TRUE(admission.Admit(approval, next, next.GetAllocator()).ok());
  AdmissionRequest other = StatusUpdate(old);
  other.resource = {"", "v1", "pods"};
  EXPECT_TRUE(admission.Admit(other, next, next.GetAllocator()).ok());
  EXPECT_EQ(next["status"]["conditions"].Size(), 1u);
}

}  // namespace
}  // namespace berth::certificates
