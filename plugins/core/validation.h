// Validation: the string checks of k8s.io/apimachinery util/validation, with
// their exact error wording (DNS-1123 labels and subdomains, label keys and
// values, config keys, port numbers and names, environment variable names),
// plus field-path helpers. Each Is* function returns the error messages for
// `value`, empty when it is valid.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_VALIDATION_H_
#define BERTH_PLUGINS_CORE_VALIDATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::core {

std::vector<std::string> IsDns1123Label(std::string_view value);
std::vector<std::string> IsDns1123Subdomain(std::string_view value);
// A label or annotation key: an optional DNS subdomain prefix and a name.
std::vector<std::string> IsQualifiedName(std::string_view value);
std::vector<std::string> IsValidLabelValue(std::string_view value);
// A key of ConfigMap/Secret data: [-._a-zA-Z0-9]+, not "." or "..".
std::vector<std::string> IsConfigMapKey(std::string_view value);
std::vector<std::string> IsValidPortNum(int64_t port);
// An IANA service name as container and service ports use.
std::vector<std::string> IsValidPortName(std::string_view value);
std::vector<std::string> IsEnvVarName(std::string_view value);

// "spec.containers" + 0 -> "spec.containers[0]".
std::string Index(const std::string& path, size_t i);
// "data" + "a.b" -> "data[a.b]".
std::string Key(const std::string& path, std::string_view key);

// Appends one Invalid cause per message.
void AddInvalid(std::vector<FieldCause>& causes, const std::string& path,
                const std::string& value,
                const std::vector<std::string>& messages);

// Checks a map of labels (selector or metadata.labels style) at `path`.
void ValidateLabels(const Json& labels, const std::string& path,
                    std::vector<FieldCause>& causes);

// The string value of a JSON string, "" for anything else.
std::string Str(const Json* v);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_VALIDATION_H_
