// Registration of the `scheduler` plugin: the scheduling runtime and the
// in-tree scheduler plugins (each its own directory). The runtime collects
// every registered scheduler plugin — these and any vendor's — from the host
// at Start, once all plugins are loaded.
#include <memory>

#include "balanced_allocation/balanced_allocation.h"
#include "berth/json.h"
#include "berth/plugin.h"
#include "default_binder/default_binder.h"
#include "inter_pod_affinity/inter_pod_affinity.h"
#include "node_affinity/node_affinity.h"
#include "node_name/node_name.h"
#include "node_resources_fit/node_resources_fit.h"
#include "node_unschedulable/node_unschedulable.h"
#include "pod_topology_spread/pod_topology_spread.h"
#include "runtime/scheduler.h"
#include "taint_toleration/taint_toleration.h"

namespace berth::scheduler {
namespace {

class SchedulerPluginLibrary : public Plugin {
 public:
  std::string Name() const override { return "scheduler"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    host_ = &host;
    auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
    if (!doc.ok()) return doc.status();
    settings_ = std::move(doc).value();
    if (!settings_.IsObject()) settings_.SetObject();
    if (const Json* p = Member(settings_, "percentageOfNodesToScore")) {
      if (!p->IsInt() || p->GetInt() < 0 || p->GetInt() > 100) {
        return Status::Invalid("percentageOfNodesToScore must be 0..100");
      }
      options_.percentage_of_nodes_to_score = p->GetInt();
    }
    if (const Json* w = Member(settings_, "bindWorkers")) {
      if (!w->IsInt() || w->GetInt() < 1 || w->GetInt() > 256) {
        return Status::Invalid("bindWorkers must be 1..256");
      }
      options_.bind_workers = w->GetInt();
    }
    if (const Json* e = Member(settings_, "recordEvents")) {
      if (!e->IsBool()) return Status::Invalid("recordEvents must be a bool");
      options_.record_events = e->GetBool();
    }
    for (std::shared_ptr<SchedulerPlugin> p :
         std::initializer_list<std::shared_ptr<SchedulerPlugin>>{
             std::make_shared<NodeUnschedulable>(),
             std::make_shared<NodeName>(),
             std::make_shared<TaintToleration>(),
             std::make_shared<NodeAffinity>(),
             std::make_shared<NodeResourcesFit>(),
             std::make_shared<PodTopologySpread>(),
             std::make_shared<InterPodAffinity>(),
             std::make_shared<BalancedAllocation>(),
             std::make_shared<DefaultBinder>(),
         }) {
      if (Status s = registrar.AddSchedulerPlugin(std::move(p)); !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }

  Status Start() override {
    scheduler_ = std::make_unique<Scheduler>(*host_, options_);
    if (Status s = scheduler_->Configure(settings_, host_->SchedulerPlugins());
        !s.ok()) {
      return s;
    }
    return scheduler_->Start();
  }

  void Shutdown() override {
    if (scheduler_) scheduler_->Stop();
    scheduler_.reset();
  }

 private:
  Host* host_ = nullptr;
  JsonDoc settings_;
  SchedulerOptions options_;
  std::unique_ptr<Scheduler> scheduler_;
};

}  // namespace
}  // namespace berth::scheduler

BERTH_PLUGIN(berth::scheduler::SchedulerPluginLibrary)
