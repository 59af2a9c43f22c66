// Quantity: parsing of Kubernetes resource quantities ("250m", "64Mi",
// "1.5", "2e3") as k8s.io/apimachinery resource.ParseQuantity accepts them.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_QUANTITY_H_
#define BERTH_PLUGINS_CORE_QUANTITY_H_

#include <optional>
#include <string>
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

// resource.Quantity.String() for a whole number of base units (bytes,
// pods): the largest binary ("Ki".."Ei", for text written with a binary
// suffix and values of at least 1024) or decimal ("k".."E") suffix that
// keeps the number whole — "2048Mi" is "2Gi", "1000M" is "1G", "1536Mi"
// stays "1536Mi". Text that is not a quantity, not whole, or written with
// an exponent is returned as written.
std::string CanonicalQuantity(std::string_view text);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_QUANTITY_H_
