// Test plugin "versioned": registers testing::VersionedKind (example.com
// Widget, stored in v1, also served as v1beta1) so a real server can be
// driven with kubectl in both versions.
#include <memory>

#include "berth/plugin.h"
#include "tests/support/versioned_kind.h"

namespace {

class VersionedPlugin : public berth::Plugin {
 public:
  std::string Name() const override { return "versioned"; }
  std::string Version() const override { return "0.1.0"; }
  berth::Status Register(berth::Host&, const std::string&,
                         berth::Registrar& registrar) override {
    return registrar.AddKind(std::make_shared<berth::testing::VersionedKind>());
  }
};

}  // namespace

BERTH_PLUGIN(VersionedPlugin)
