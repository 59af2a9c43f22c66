// NamespaceLifecycle: the admission that refuses to create objects in a
// namespace that does not exist or is being deleted, as the apiserver's
// plugin of the same name does.
//
// Thread safety: Admit is safe to call concurrently (reads through Client).
#ifndef BERTH_PLUGINS_CORE_NAMESPACE_LIFECYCLE_H_
#define BERTH_PLUGINS_CORE_NAMESPACE_LIFECYCLE_H_

#include <string>

#include "berth/admission.h"
#include "berth/client.h"

namespace berth::core {

class NamespaceLifecycle : public Admission {
 public:
  // `client` must outlive the admission.
  explicit NamespaceLifecycle(Client* client) : client_(client) {}
  std::string Name() const override { return "NamespaceLifecycle"; }
  Status Admit(const AdmissionRequest& req, Json& obj,
               JsonAlloc& alloc) override;

 private:
  Client* client_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_NAMESPACE_LIFECYCLE_H_
