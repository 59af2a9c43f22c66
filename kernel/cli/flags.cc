#include "kernel/cli/flags.h"

namespace berth::cli {

StatusOr<Flags> ParseFlags(const std::vector<std::string>& args,
                           const std::set<std::string>& known,
                           const std::set<std::string>& booleans) {
  Flags f;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 && !(a.size() == 2 && a[0] == '-')) {
      f.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(a[1] == '-' ? 2 : 1);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (booleans.count(name)) {
      f.values[name] = has_value ? value : "true";
      continue;
    }
    if (!known.count(name))
      return Status::BadRequest("unknown flag: --" + name);
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return Status::BadRequest("flag needs an argument: --" + name);
      }
      value = args[++i];
    }
    f.values[name] = value;
  }
  return f;
}

}  // namespace berth::cli
