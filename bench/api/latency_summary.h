// LatencySummary: count and percentiles of a set of latency samples.
//
// Thread safety: a value type; Summarize is a pure function.
#ifndef BERTH_BENCH_API_LATENCY_SUMMARY_H_
#define BERTH_BENCH_API_LATENCY_SUMMARY_H_

#include <algorithm>
#include <cstdint>
#include <vector>

namespace berth::bench {

struct LatencySummary {
  uint64_t count = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Summarizes samples in microseconds; sorts `samples_us` in place.
inline LatencySummary Summarize(std::vector<uint32_t>* samples_us) {
  LatencySummary s;
  if (samples_us->empty()) return s;
  std::sort(samples_us->begin(), samples_us->end());
  const auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(samples_us->size()));
    return (*samples_us)[std::min(i, samples_us->size() - 1)] / 1000.0;
  };
  s.count = samples_us->size();
  s.p50_ms = at(0.50);
  s.p99_ms = at(0.99);
  s.max_ms = samples_us->back() / 1000.0;
  return s;
}

}  // namespace berth::bench

#endif  // BERTH_BENCH_API_LATENCY_SUMMARY_H_
