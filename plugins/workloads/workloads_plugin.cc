// Registration of the workloads plugin: the apps/v1 kinds and their
// controllers. The logic lives in the berth_workloads_logic library.
#include <memory>

#include "berth/plugin.h"
#include "deployment_controller.h"
#include "deployment_kind.h"
#include "replica_set_controller.h"
#include "replica_set_kind.h"

namespace berth::workloads {
namespace {

class WorkloadsPlugin : public Plugin {
 public:
  std::string Name() const override { return "workloads"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    const std::shared_ptr<Kind> kinds[] = {
        std::make_shared<DeploymentKind>(),
        std::make_shared<ReplicaSetKind>(),
    };
    for (const auto& kind : kinds) {
      if (Status s = registrar.AddKind(kind); !s.ok()) return s;
    }
    const std::shared_ptr<Controller> controllers[] = {
        std::make_shared<DeploymentController>(host),
        std::make_shared<ReplicaSetController>(host),
    };
    for (const auto& controller : controllers) {
      if (Status s = registrar.AddController(controller); !s.ok()) return s;
    }
    return {};
  }
};

}  // namespace
}  // namespace berth::workloads

BERTH_PLUGIN(berth::workloads::WorkloadsPlugin)
