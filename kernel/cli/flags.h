// Flags: the tiny command-line parser the `berth` subcommands share:
// `--name value`, `--name=value` and boolean `--name`.
//
// Thread safety: a value type.
#ifndef BERTH_KERNEL_CLI_FLAGS_H_
#define BERTH_KERNEL_CLI_FLAGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::cli {

struct Flags {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;

  std::string Get(const std::string& name, const std::string& def = "") const {
    auto it = values.find(name);
    return it == values.end() ? def : it->second;
  }
  bool Has(const std::string& name) const { return values.count(name) > 0; }
};

// Parses args; `booleans` take no value. BadRequest naming an unknown flag
// (not in `known` or `booleans`) or a flag missing its value.
StatusOr<Flags> ParseFlags(const std::vector<std::string>& args,
                           const std::set<std::string>& known,
                           const std::set<std::string>& booleans);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_FLAGS_H_
