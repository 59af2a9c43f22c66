// Registration of the auth plugin: the self-review kinds behind kubectl's
// `auth can-i` and `auth whoami`. The logic lives in berth_auth_kinds.
#include <memory>
#include <utility>

#include "berth/plugin.h"
#include "review_kinds.h"
#include "review_proto.h"

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
    return {};
  }
};

}  // namespace
}  // namespace berth::auth

BERTH_PLUGIN(berth::auth::AuthPlugin)
