#include "env/expansion.h"

#include <map>

namespace berth::node {

std::string Expand(
    std::string_view input,
    const std::function<std::optional<std::string>(const std::string&)>&
        lookup) {
  std::string out;
  size_t checkpoint = 0;
  for (size_t cursor = 0; cursor < input.size(); ++cursor) {
    if (input[cursor] != '$' || cursor + 1 >= input.size()) continue;
    out.append(input.substr(checkpoint, cursor - checkpoint));
    std::string_view rest = input.substr(cursor + 1);
    size_t advance = 1;
    if (rest[0] == '$') {
      out.push_back('$');  // "$$" escapes the operator
    } else if (rest[0] == '(') {
      size_t close = rest.find(')', 1);
      if (close == std::string_view::npos) {
        out.append("$(");  // an unclosed reference stays as written
      } else {
        std::string name(rest.substr(1, close - 1));
        auto value = lookup(name);
        out.append(value ? *value : "$(" + name + ")");
        advance = close + 1;
      }
    } else {
      out.push_back('$');
      out.push_back(rest[0]);
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  if (checkpoint < input.size()) out.append(input.substr(checkpoint));
  return out;
}

std::string ExpandWithEnv(std::string_view input, const EnvList& env) {
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : env) values[name] = value;
  return Expand(input,
                [&](const std::string& name) -> std::optional<std::string> {
                  auto it = values.find(name);
                  if (it == values.end()) return std::nullopt;
                  return it->second;
                });
}

std::vector<std::string> ExpandCommand(const std::vector<std::string>& command,
                                       const EnvList& env) {
  std::vector<std::string> out;
  out.reserve(command.size());
  for (const auto& arg : command) out.push_back(ExpandWithEnv(arg, env));
  return out;
}

}  // namespace berth::node
