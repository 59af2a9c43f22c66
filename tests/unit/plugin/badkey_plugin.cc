// A plugin built for another SDK: its build key differs, so the kernel must
// refuse it without calling anything else in it.
#include <cstdlib>

#include "berth/plugin.h"

BERTH_PLUGIN_EXPORT const char* berth_plugin_build_key() {
  return "berth-sdk-abi=0;gcc=1;cxx11-abi=0;std=0";
}

BERTH_PLUGIN_EXPORT berth::Plugin* berth_plugin_create() {
  std::abort();  // the loader called past a failed key check
}
