#include "default_toleration_seconds.h"

#include "taint_eviction.h"

namespace berth::core {

Status DefaultTolerationSeconds::Admit(const AdmissionRequest& req, Json& obj,
                                       JsonAlloc& alloc) {
  if (req.operation != AdmissionRequest::Operation::kCreate ||
      !req.subresource.empty() || !req.resource.group.empty() ||
      req.resource.resource != "pods" || !obj.IsObject()) {
    return Status::Ok();
  }
  AddDefaultTolerations(obj, not_ready_seconds_, unreachable_seconds_, alloc);
  return Status::Ok();
}

}  // namespace berth::core
