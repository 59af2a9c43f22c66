#include "default_binder.h"

#include "berth/json.h"

namespace berth::scheduler {

SchedulingStatus DefaultBinder::Bind(CycleState&, const PodInfo& pod,
                                     const std::string& node) {
  JsonDoc binding(rapidjson::kObjectType);
  auto& a = binding.GetAllocator();
  auto str = [&](const std::string& s) {
    return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
  };
  Json meta(rapidjson::kObjectType);
  meta.AddMember("name", str(pod.name), a);
  meta.AddMember("namespace", str(pod.ns), a);
  meta.AddMember("uid", str(pod.uid), a);
  Json target(rapidjson::kObjectType);
  target.AddMember("apiVersion", "v1", a);
  target.AddMember("kind", "Node", a);
  target.AddMember("name", str(node), a);
  binding.AddMember("apiVersion", "v1", a);
  binding.AddMember("kind", "Binding", a);
  binding.AddMember("metadata", meta, a);
  binding.AddMember("target", target, a);
  auto r = client_->CreateSubresource({"", "v1", "pods"}, pod.ns, pod.name,
                                      "binding", ToJson(binding));
  if (!r.ok()) {
    return r.status().code() == Status::Code::kNotFound
               ? SchedulingStatus::Unresolvable(r.status().message())
               : SchedulingStatus::Error(r.status().message());
  }
  return {};
}

}  // namespace berth::scheduler
