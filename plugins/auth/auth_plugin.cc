// Registration of the auth plugin: the self-review kinds behind kubectl's
// `auth can-i` and `auth whoami`, and service account tokens — the
// TokenRequest API (serviceaccounts/token) that issues them and the
// authenticator that accepts them, sharing the key in <data dir>/sa.key
// (made on first use).
// The logic lives in berth_auth_kinds and berth_service_account_token.
#include <memory>
#include <utility>

#include "berth/plugin.h"
#include "plugins/common/data_dir.h"
#include "review_kinds.h"
#include "review_proto.h"
#include "service_account_authenticator.h"
#include "service_account_token.h"
#include "token_request_handler.h"
#include "token_request_proto.h"

namespace berth::auth {
namespace {

class AuthPlugin : public Plugin {
 public:
  std::string Name() const override { return "auth"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    const std::shared_ptr<Kind> kinds[] = {
        std::make_shared<SelfSubjectAccessReviewKind>(),
        std::make_shared<SelfSubjectRulesReviewKind>(),
        std::make_shared<SelfSubjectReviewKind>(),
    };
    for (const auto& kind : kinds) {
      if (Status s = registrar.AddKind(kind); !s.ok()) return s;
    }
    for (ProtobufSchema& schema : ReviewProtobufSchemas()) {
      if (Status s = registrar.AddProtobufSchema(std::move(schema)); !s.ok()) {
        return s;
      }
    }
    if (Status s = registrar.AddProtobufSchema(TokenRequestProtobufSchema());
        !s.ok()) {
      return s;
    }
    // The key is made when a token first needs it, not here: an RSA key
    // takes longer than the rest of start-up.
    auto key =
        std::make_shared<const LazyTokenKey>(PluginDataDir() + "/sa.key");
    const std::vector<std::string> audiences = {kDefaultIssuer};
    if (Status s =
            registrar.AddActionHandler(std::make_shared<TokenRequestHandler>(
                key, kDefaultIssuer, audiences, host.client()));
        !s.ok()) {
      return s;
    }
    return registrar.AddAuthenticator(
        std::make_shared<ServiceAccountAuthenticator>(
            key, kDefaultIssuer, audiences, host.client()));
  }
};

}  // namespace
}  // namespace berth::auth

BERTH_PLUGIN(berth::auth::AuthPlugin)
