#include "bench/pods/bench_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "bench/pods/node_leftovers.h"
#include "bench/pods/progress.h"

namespace berth::bench {

BenchDir::BenchDir() {
  std::string tmpl = "/tmp/berth-podbench-XXXXXX";
  path_ = mkdtemp(tmpl.data()) ? tmpl : "";
}

BenchDir::~BenchDir() {
  if (path_.empty()) return;
  const Leftovers left = CountLeftovers(path_);
  if (left.mounts > 0) {
    Progress("kept " + path_ + ": " + left.ToString());
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace berth::bench
