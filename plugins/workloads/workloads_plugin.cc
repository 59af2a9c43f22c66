// Registration of the workloads plugin: the apps/v1 kinds and their
// controllers. The logic lives in the berth_workloads_logic library.
#include <memory>
#include <utility>

#include "berth/plugin.h"
#include "cron_job_controller.h"
#include "cron_job_kind.h"
#include "daemon_set_controller.h"
#include "daemon_set_kind.h"
#include "daemon_set_node_watcher.h"
#include "deployment_controller.h"
#include "deployment_kind.h"
#include "job_controller.h"
#include "job_kind.h"
#include "replica_set_controller.h"
#include "replica_set_kind.h"
#include "stateful_set_controller.h"
#include "stateful_set_kind.h"
#include "workload_proto.h"

namespace berth::workloads {
namespace {

class WorkloadsPlugin : public Plugin {
 public:
  std::string Name() const override { return "workloads"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    const std::shared_ptr<Kind> kinds[] = {
        std::make_shared<DeploymentKind>(), std::make_shared<ReplicaSetKind>(),
        std::make_shared<DaemonSetKind>(),  std::make_shared<StatefulSetKind>(),
        std::make_shared<JobKind>(),        std::make_shared<CronJobKind>(),
    };
    for (const auto& kind : kinds) {
      if (Status s = registrar.AddKind(kind); !s.ok()) return s;
    }
    for (ProtobufSchema& schema : WorkloadProtobufSchemas()) {
      if (Status s = registrar.AddProtobufSchema(std::move(schema)); !s.ok()) {
        return s;
      }
    }
    auto daemon_sets = std::make_shared<DaemonSetController>(host);
    const std::shared_ptr<Controller> controllers[] = {
        std::make_shared<DeploymentController>(host),
        std::make_shared<ReplicaSetController>(host),
        daemon_sets,
        std::make_shared<DaemonSetNodeWatcher>(host.client(), daemon_sets),
        std::make_shared<StatefulSetController>(host),
        std::make_shared<JobController>(host),
        std::make_shared<CronJobController>(host),
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
