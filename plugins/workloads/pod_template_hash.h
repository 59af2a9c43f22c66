// PodTemplateHash: the `pod-template-hash` a Deployment gives each of its
// ReplicaSets — a stable hash of the pod template (and the collision
// count, when set), written with Kubernetes' safe alphabet so it never
// forms words and fits a label value and a name suffix.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_WORKLOADS_POD_TEMPLATE_HASH_H_
#define BERTH_PLUGINS_WORKLOADS_POD_TEMPLATE_HASH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "berth/json.h"

namespace berth::workloads {

inline constexpr char kPodTemplateHashLabel[] = "pod-template-hash";

// rand.SafeEncodeString: each byte mapped into "bcdfghjklmnpqrstvwxz2456789".
std::string SafeEncodeString(std::string_view s);

// controller.ComputeHash: FNV-32a over the template (as JSON with object
// keys sorted and null or empty members dropped, so neither member order
// nor zero-value spelling matters) and, when present, the
// collision count's 4 little-endian bytes; the decimal value safe-encoded.
std::string PodTemplateHash(const Json& pod_template,
                            std::optional<int64_t> collision_count);

// EqualIgnoreHash: the two templates are equal once the pod-template-hash
// label is removed from both, null and empty members counting as absent
// (as Go's DeepEqual sees zero values).
bool EqualIgnoreHash(const Json& a, const Json& b);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_POD_TEMPLATE_HASH_H_
