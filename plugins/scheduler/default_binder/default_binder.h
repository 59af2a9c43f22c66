// DefaultBinder: binds a pod to its node through the API, as kube-scheduler
// posts a v1 Binding to pods/binding.
//
// Thread safety: Bind may run on several binder threads at once.
#ifndef BERTH_PLUGINS_SCHEDULER_DEFAULT_BINDER_DEFAULT_BINDER_H_
#define BERTH_PLUGINS_SCHEDULER_DEFAULT_BINDER_DEFAULT_BINDER_H_

#include "berth/scheduler.h"

namespace berth::scheduler {

class DefaultBinder : public SchedulerPlugin {
 public:
  static constexpr const char* kName = "DefaultBinder";
  explicit DefaultBinder(Client* client = nullptr) : client_(client) {}
  std::string Name() const override { return kName; }
  uint32_t Points() const override { return kBind; }
  StatusOr<std::shared_ptr<SchedulerPlugin>> New(
      SchedulerHandle& handle, const std::string&) const override {
    return std::shared_ptr<SchedulerPlugin>(
        std::make_shared<DefaultBinder>(&handle.client()));
  }
  // Posts a v1 Binding to pods/binding. Unresolvable when the pod is gone
  // (NotFound), Error with the API's message otherwise (e.g. Conflict:
  // already bound elsewhere).
  SchedulingStatus Bind(CycleState& state, const PodInfo& pod,
                        const std::string& node) override;

 private:
  Client* client_;
};

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_DEFAULT_BINDER_DEFAULT_BINDER_H_
