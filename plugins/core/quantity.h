// Quantity: parsing of Kubernetes resource quantities ("250m", "64Mi",
// "1.5", "2e3") as k8s.io/apimachinery resource.ParseQuantity accepts them.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_QUANTITY_H_
#define BERTH_PLUGINS_CORE_QUANTITY_H_

#include <optional>
#include <string_view>

#include "berth/json.h"

namespace berth::core {

// The error Kubernetes gives for text that is not a quantity.
inline constexpr const char* kQuantityError =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// The numeric value of `text` in base units (cores, bytes), or nullopt when
// it is not a quantity.
std::optional<long double> ParseQuantity(std::string_view text);

// The same for a JSON value: quantities may be written as strings or
// numbers. nullopt for anything else.
std::optional<long double> QuantityValue(const Json& v);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_QUANTITY_H_
