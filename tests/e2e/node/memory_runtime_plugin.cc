// A test plugin offering the in-memory runtime "fake" and pod network
// "fakenet" of the node agent's unit tests to a real `berth server`, so the
// node plugin's wiring (registration, Lease, the pod watch, status writes,
// deletion) is tested end to end without containers.
#include <memory>

#include "berth/plugin.h"
#include "tests/unit/node/fake_runtime.h"

namespace berth::node {
namespace {

class MemoryRuntimePlugin : public Plugin {
 public:
  std::string Name() const override { return "memory-runtime"; }
  std::string Version() const override { return "0.1.0"; }
  // Settings: {requirePodCidr: true} makes the network refuse pods until
  // the node agent handed it the node's pod CIDR.
  Status Register(Host&, const std::string& settings,
                  Registrar& registrar) override {
    auto runtime = std::make_shared<FakeRuntime>(&clock_);
    // Every image is present: nothing to pull.
    runtime->images = {"busybox", "busybox:1.36"};
    if (Status s = registrar.AddContainerRuntime(runtime); !s.ok()) return s;
    auto network = std::make_shared<FakeNetwork>(runtime.get());
    if (auto doc = ParseJson(settings.empty() ? "{}" : settings); doc.ok()) {
      const Json* v = Member(*doc, "requirePodCidr");
      network->require_pod_cidr = v && v->IsBool() && v->GetBool();
    }
    return registrar.AddPodNetwork(std::move(network));
  }

 private:
  SystemClock clock_;
};

}  // namespace
}  // namespace berth::node

BERTH_PLUGIN(berth::node::MemoryRuntimePlugin)
