// A library with an unresolved function: RTLD_NOW must refuse it at load
// time (RTLD_LAZY would only fail at the first call).
extern "C" void berth_test_undefined_function();

extern "C" __attribute__((visibility("default"))) const char*
berth_plugin_build_key() {
  berth_test_undefined_function();
  return "";
}
