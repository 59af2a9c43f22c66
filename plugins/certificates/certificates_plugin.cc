// Registration of the certificates plugin: node TLS bootstrap on the server
// side — the bootstrap token authenticator, the CertificateSigningRequest
// kind with its requestor admission, and the approver and signer
// controllers. The logic lives in berth_certificates_lib.
#include <memory>

#include "berth/plugin.h"
#include "bootstrap_token_authenticator.h"
#include "csr_approver.h"
#include "csr_kind.h"
#include "csr_proto.h"
#include "csr_requestor_admission.h"
#include "csr_signer.h"
#include "csr_status_admission.h"

namespace berth::certificates {
namespace {

class CertificatesPlugin : public Plugin {
 public:
  std::string Name() const override { return "certificates"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    if (Status s = registrar.AddKind(std::make_shared<CsrKind>()); !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddProtobufSchema(CsrProtobufSchema()); !s.ok()) {
      return s;
    }
    for (std::shared_ptr<Admission> admission :
         {std::shared_ptr<Admission>(std::make_shared<CsrRequestorAdmission>()),
          std::shared_ptr<Admission>(std::make_shared<CsrStatusAdmission>())}) {
      if (Status s = registrar.AddAdmission(std::move(admission)); !s.ok()) {
        return s;
      }
    }
    const Informer& secrets = host.InformerFor({"", "v1", "secrets"});
    if (Status s = registrar.AddAuthenticator(
            std::make_shared<BootstrapTokenAuthenticator>(
                secrets,
                [&host](const std::string& ns, const std::string& name) {
                  return host.client().Get({"", "v1", "secrets"}, ns, name);
                }));
        !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddController(std::make_shared<CsrApprover>(host));
        !s.ok()) {
      return s;
    }
    return registrar.AddController(std::make_shared<CsrSigner>(host));
  }
};

}  // namespace
}  // namespace berth::certificates

BERTH_PLUGIN(berth::certificates::CertificatesPlugin)
