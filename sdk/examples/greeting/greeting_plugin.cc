// Registration of the greeting plugin: the Greeting kind and its controller.
// Settings: {"salutation": "Hello"} (optional).
#include <memory>

#include "berth/plugin.h"
#include "greeting_controller.h"
#include "greeting_kind.h"

namespace greeting {

class GreetingPlugin : public berth::Plugin {
 public:
  std::string Name() const override { return "greeting"; }
  std::string Version() const override { return "0.1.0"; }

  berth::Status Register(berth::Host& host, const std::string& settings_json,
                         berth::Registrar& registrar) override {
    auto settings = berth::ParseJson(settings_json);
    if (!settings.ok()) return settings.status();
    std::string salutation = "Hello";
    if (const berth::Json* s = berth::Member(*settings, "salutation")) {
      if (!s->IsString() || s->GetStringLength() == 0) {
        return berth::Status::Invalid(
            "settings.salutation: must be a non-empty string");
      }
      salutation = s->GetString();
    }
    if (auto s = registrar.AddKind(std::make_shared<GreetingKind>()); !s.ok()) {
      return s;
    }
    return registrar.AddController(
        std::make_shared<GreetingController>(host.client(), salutation));
  }
};

}  // namespace greeting

BERTH_PLUGIN(greeting::GreetingPlugin)
