// CanonicalJson: a value serialized with every object's members in key
// order, so that two values equal as JSON compare equal as text whatever
// order their writers used (the endpoints controllers compare what is
// stored with what they would write, to skip writes that change nothing).
//
// Thread safety: pure function.
#ifndef BERTH_PLUGINS_CORE_CANONICAL_JSON_H_
#define BERTH_PLUGINS_CORE_CANONICAL_JSON_H_

#include <string>

#include "berth/json.h"

namespace berth::core {

std::string CanonicalJson(const Json& value);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_CANONICAL_JSON_H_
