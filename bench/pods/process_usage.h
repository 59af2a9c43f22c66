// ProcessUsage: what processes cost the machine, read from /proc: resident
// memory (VmRSS, and PSS, which splits shared pages among their users so a
// sum over 100 shims is not 100 copies of libc), CPU time (utime + stime of
// /proc/PID/stat) and the pids whose command line mentions a string.
//
// Thread safety: free functions reading /proc; safe from any thread.
#ifndef BERTH_BENCH_PODS_PROCESS_USAGE_H_
#define BERTH_BENCH_PODS_PROCESS_USAGE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace berth::bench {

struct MemoryUsage {
  int64_t rss_kib = 0;
  int64_t pss_kib = 0;
};

// VmRSS and Pss (smaps_rollup) of `pid`; zeros when it is gone.
MemoryUsage MemoryOf(pid_t pid);
// utime + stime of `pid` in seconds; 0 when it is gone.
double CpuSecondsOf(pid_t pid);
// Every live process (not this one) whose NUL-separated command line, read
// with spaces, contains `needle` (and `also`, when not empty).
std::vector<pid_t> PidsMentioning(const std::string& needle,
                                  const std::string& also = "");

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_PROCESS_USAGE_H_
