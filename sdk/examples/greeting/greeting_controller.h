// GreetingController: writes status.message = "<greeting>, <spec.name>!" on
// every Greeting, through the status subresource.
//
// Thread safety: Reconcile may run concurrently for different keys; the
// controller keeps no mutable state.
#ifndef BERTH_EXAMPLES_GREETING_GREETING_CONTROLLER_H_
#define BERTH_EXAMPLES_GREETING_GREETING_CONTROLLER_H_

#include <string>

#include "berth/client.h"
#include "berth/controller.h"

namespace greeting {

class GreetingController : public berth::Controller {
 public:
  // `client` must outlive the controller; `salutation` is "Hello" unless the
  // plugin settings say otherwise.
  GreetingController(berth::Client& client, std::string salutation);

  std::string Name() const override { return "greeting"; }
  berth::ResourceRef Primary() const override {
    return {"example.berth.io", "v1", "greetings"};
  }
  berth::StatusOr<berth::ReconcileResult> Reconcile(
      const berth::ReconcileRequest& req) override;

 private:
  berth::Client& client_;
  const std::string salutation_;
};

}  // namespace greeting

#endif  // BERTH_EXAMPLES_GREETING_GREETING_CONTROLLER_H_
