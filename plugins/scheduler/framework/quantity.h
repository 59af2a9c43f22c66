// Resource quantities as the scheduler counts them: "250m" cpu as 250
// millicores, "64Mi" as 67108864 bytes (k8s.io/apimachinery's Quantity,
// MilliValue and Value, rounded up as Kubernetes rounds).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_SCHEDULER_FRAMEWORK_QUANTITY_H_
#define BERTH_PLUGINS_SCHEDULER_FRAMEWORK_QUANTITY_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "berth/json.h"

namespace berth::scheduler {

// The quantity in thousandths of its unit ("250m" -> 250, "2" -> 2000), or
// nullopt when `text` is not a quantity.
std::optional<int64_t> ParseMilli(std::string_view text);

// The quantity in its unit, rounded up ("64Mi" -> 67108864, "100m" -> 1).
std::optional<int64_t> ParseValue(std::string_view text);

// The same for a JSON string or number; nullopt for anything else.
std::optional<int64_t> MilliOf(const Json& v);
std::optional<int64_t> ValueOf(const Json& v);

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_FRAMEWORK_QUANTITY_H_
