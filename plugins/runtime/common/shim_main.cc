// berth-shim: the per-container monitor process (see shim.h for the modes).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "files.h"
#include "shim.h"

namespace {

int Usage() {
  fprintf(
      stderr,
      "usage: berth-shim run <shim.json>\n"
      "       berth-shim pause [--netns P] [--hostname H] [--host-ipc] "
      "[--host-uts] [--cgroup C] --ready FILE\n"
      "       berth-shim nsexec --target PID [--cgroup C] [--tty] -- CMD...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace berth::runtime;
  // The shim lives as long as its container: keep none of the descriptors
  // the agent leaked to it.
  close_range(3, ~0U, 0);
  if (argc < 2) return Usage();
  std::string mode = argv[1];
  if (mode == "run" && argc == 3) {
    auto text = ReadFile(argv[2]);
    if (!text.ok()) {
      fprintf(stderr, "berth-shim: %s\n", text.status().message().c_str());
      return 1;
    }
    auto spec = ShimSpecFromJson(*text);
    if (!spec.ok()) {
      fprintf(stderr, "berth-shim: %s\n", spec.status().message().c_str());
      return 1;
    }
    return RunShim(*spec);
  }
  if (mode == "pause") {
    PauseOptions o;
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      bool has_value = i + 1 < argc;
      if (a == "--netns" && has_value) {
        o.netns = argv[++i];
      } else if (a == "--hostname" && has_value) {
        o.hostname = argv[++i];
      } else if (a == "--cgroup" && has_value) {
        o.cgroup = argv[++i];
      } else if (a == "--ready" && has_value) {
        o.ready_file = argv[++i];
      } else if (a == "--host-ipc") {
        o.new_ipc = false;
      } else if (a == "--host-uts") {
        o.new_uts = false;
      } else {
        return Usage();
      }
    }
    return RunPause(o);
  }
  if (mode == "nsexec") {
    NsExecOptions o;
    int i = 2;
    for (; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--") {
        ++i;
        break;
      }
      if (a == "--target" && i + 1 < argc) {
        o.target_pid = atoi(argv[++i]);
      } else if (a == "--cgroup" && i + 1 < argc) {
        o.cgroup = argv[++i];
      } else if (a == "--tty") {
        o.tty = true;
      } else {
        return Usage();
      }
    }
    for (; i < argc; ++i) o.argv.push_back(argv[i]);
    if (o.target_pid <= 0 || o.argv.empty()) return Usage();
    return RunNsExec(o);
  }
  return Usage();
}
