// Expansion: Kubernetes' $(VAR) references in env values, command and args
// (k8s.io/kubernetes third_party/forked/golang/expansion). "$(NAME)" is
// replaced by NAME's value when NAME is known and kept as written when not;
// "$$" is an escaped "$"; a "$" before anything else, or an unclosed "$(",
// stays as written.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NODE_ENV_EXPANSION_H_
#define BERTH_PLUGINS_NODE_ENV_EXPANSION_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::node {

// An ordered environment, as the runtime receives it.
using EnvList = std::vector<std::pair<std::string, std::string>>;

// `input` with every $(NAME) for which `lookup` has a value replaced.
std::string Expand(
    std::string_view input,
    const std::function<std::optional<std::string>(const std::string&)>&
        lookup);

// `input` expanded against `env` (the last entry of a name wins).
std::string ExpandWithEnv(std::string_view input, const EnvList& env);

// Each element of `command` (or args) expanded against the container's
// final environment, as the kubelet does before creating the container.
std::vector<std::string> ExpandCommand(const std::vector<std::string>& command,
                                       const EnvList& env);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_ENV_EXPANSION_H_
