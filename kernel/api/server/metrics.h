// Metrics: the server's Prometheus metrics — request counts and latency
// histograms by verb, resource and code, watch counts, store operations —
// rendered in the Prometheus text exposition format for GET /metrics.
//
// Thread safety: every method is safe to call concurrently (one mutex; the
// hot path does a map lookup and a few increments under it).
#ifndef BERTH_KERNEL_API_SERVER_METRICS_H_
#define BERTH_KERNEL_API_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace berth::api {

class Metrics {
 public:
  // One finished request.
  void ObserveRequest(const std::string& verb, const std::string& resource,
                      int code, double seconds);
  // One store operation ("create", "get", "list", "update", "delete").
  void ObserveStoreOp(const std::string& op, double seconds);
  void WatchOpened(const std::string& resource);
  void WatchClosed(const std::string& resource);

  // Extra gauges computed at scrape time (store revision, object counts).
  void set_gauge_source(std::function<std::string()> f) {
    gauge_source_ = std::move(f);
  }

  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double v);
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::map<std::string, Histogram> store_ops_;
  std::map<std::string, int64_t> watches_;
  std::map<std::string, uint64_t> watches_total_;
  std::function<std::string()> gauge_source_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_METRICS_H_
