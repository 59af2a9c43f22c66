// DefaultTolerationSeconds: the admission that gives every new Pod
// tolerations for the not-ready and unreachable NoExecute taints with a
// bounded tolerationSeconds (300 by default), unless it tolerates them
// already, as the apiserver's plugin of the same name does: a pod on a node
// that goes away is evicted after five minutes, not at once.
//
// Thread safety: immutable after construction; Admit may run concurrently.
#ifndef BERTH_PLUGINS_CORE_DEFAULT_TOLERATION_SECONDS_H_
#define BERTH_PLUGINS_CORE_DEFAULT_TOLERATION_SECONDS_H_

#include <cstdint>
#include <string>

#include "berth/admission.h"

namespace berth::core {

class DefaultTolerationSeconds : public Admission {
 public:
  DefaultTolerationSeconds(int64_t not_ready_seconds,
                           int64_t unreachable_seconds)
      : not_ready_seconds_(not_ready_seconds),
        unreachable_seconds_(unreachable_seconds) {}
  std::string Name() const override { return "DefaultTolerationSeconds"; }
  // Only pod creations are touched; never refuses.
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;

 private:
  const int64_t not_ready_seconds_;
  const int64_t unreachable_seconds_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_DEFAULT_TOLERATION_SECONDS_H_
