// A shared library that is not a Berth plugin: no entry points.
extern "C" __attribute__((visibility("default"))) int berth_test_answer() {
  return 42;
}
