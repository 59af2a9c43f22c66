#include "default_binder.h"

namespace berth::scheduler {

SchedulingStatus DefaultBinder::Bind(CycleState&, const PodInfo& pod,
                                     const std::string& node) {
  // TODO(S): post a v1 Binding through Client::CreateSubresource once the
  // SDK has it; until then the pod kind accepts setting an empty nodeName.
  std::string patch = "{\"spec\":{\"nodeName\":\"" + node + "\"}}";
  auto r = client_->MergePatch({"", "v1", "pods"}, pod.ns, pod.name, patch);
  if (!r.ok()) return SchedulingStatus::Error(r.status().message());
  return {};
}

}  // namespace berth::scheduler
