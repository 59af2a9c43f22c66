// PodKind: the core/v1 Pod resource — defaulting (SetDefaults_Pod plus the
// priority admission's fields), validation (PodSpec checks and the pod
// update rule), kubectl's pod columns, field selectors and merge keys, and
// the pods/binding and pods/eviction action subresources.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_POD_KIND_H_
#define BERTH_PLUGINS_CORE_POD_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class PodKind : public Kind {
 public:
  PodKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  // CheckGracefulDelete: the client's period, else
  // spec.terminationGracePeriodSeconds; 0 for a pod on no node or already
  // Succeeded/Failed; a negative period becomes 1.
  int64_t GracePeriodSeconds(const Json& obj,
                             std::optional<int64_t> requested) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::vector<std::string> SelectableFields() const override;
  std::map<std::string, std::string> FieldValues(
      const Json& obj) const override;
  std::optional<std::string> MergeKey(const std::string& path) const override;
  std::string OpenApiSchemas() const override { return schemas_; }
  std::vector<ActionSubresource> ActionSubresources() const override;
  // "binding": sets spec.nodeName from the Binding's target.name (Conflict
  // when the pod is bound already or terminating, Invalid for a bad
  // target). "eviction": deletes the pod (no disruption budgets yet).
  StatusOr<SubresourceOutcome> ApplySubresource(
      const std::string& subresource, const Json& body, Json& obj,
      JsonAlloc& alloc) const override;

 private:
  KindInfo info_;
  std::string schemas_;
};

// The QoS class of a pod ("Guaranteed", "Burstable", "BestEffort"),
// computed from its containers' cpu and memory requests and limits as
// Kubernetes' qos.GetPodQOS does. `pod` is the whole (defaulted) object.
std::string PodQosClass(const Json& pod);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_POD_KIND_H_
