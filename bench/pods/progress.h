// Progress: the pod benchmark's progress lines, on stderr with a "# "
// prefix, apart from the figures it prints on stdout.
//
// Thread safety: any thread (lines from several threads may interleave).
#ifndef BERTH_BENCH_PODS_PROGRESS_H_
#define BERTH_BENCH_PODS_PROGRESS_H_

#include <iostream>
#include <string>

namespace berth::bench {

inline void Progress(const std::string& line) {
  std::cerr << "# " << line << "\n";
}

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_PROGRESS_H_
