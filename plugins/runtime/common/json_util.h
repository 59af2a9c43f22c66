// JSON helpers the runtimes' state files need beyond berth/json.h: string
// arrays in and out, and a writer that builds a compact object.
//
// Thread safety: free functions on values; safe from any thread.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_JSON_UTIL_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_JSON_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "berth/json.h"

namespace berth::runtime {

// The strings of the array member `key` (non-strings skipped); empty when
// absent.
std::vector<std::string> GetStrings(const Json& v, std::string_view key);
std::map<std::string, std::string> GetStringMap(const Json& v,
                                                std::string_view key);
bool GetBool(const Json& v, std::string_view key, bool fallback = false);

Json MakeStrings(const std::vector<std::string>& values, JsonAlloc& a);
Json MakeStringMap(const std::map<std::string, std::string>& values,
                   JsonAlloc& a);
Json MakeString(std::string_view s, JsonAlloc& a);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_JSON_UTIL_H_
