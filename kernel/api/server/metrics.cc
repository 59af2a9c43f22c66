#include "kernel/api/server/metrics.h"

#include <sstream>

namespace berth::api {

void Metrics::Histogram::Observe(double v) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (v <= kBuckets[i]) ++buckets[i];
  }
  ++count;
  sum += v;
}

void Metrics::ObserveRequest(const std::string& verb,
                             const std::string& resource, int code,
                             double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  ++requests_[{verb, resource, code}];
  latency_[{verb, resource}].Observe(seconds);
}

void Metrics::ObserveStoreOp(const std::string& op, double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  store_ops_[op].Observe(seconds);
}

void Metrics::WatchOpened(const std::string& resource) {
  std::lock_guard<std::mutex> l(mu_);
  ++watches_[resource];
  ++watches_total_[resource];
}

void Metrics::WatchClosed(const std::string& resource) {
  std::lock_guard<std::mutex> l(mu_);
  --watches_[resource];
}

namespace {

void WriteHistogram(std::ostringstream& out, const std::string& name,
                    const std::string& labels, const auto& h,
                    const auto& bounds) {
  std::string sep = labels.empty() ? "" : ",";
  for (size_t i = 0; i < bounds.size(); ++i) {
    out << name << "_bucket{" << labels << sep << "le=\"" << bounds[i] << "\"} "
        << h.buckets[i] << "\n";
  }
  out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << h.count
      << "\n";
  out << name << "_sum{" << labels << "} " << h.sum << "\n";
  out << name << "_count{" << labels << "} " << h.count << "\n";
}

}  // namespace

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard<std::mutex> l(mu_);
  out << "# HELP apiserver_request_total Counter of apiserver requests broken "
         "out for each verb, resource and HTTP response code.\n"
      << "# TYPE apiserver_request_total counter\n";
  for (const auto& [k, v] : requests_) {
    out << "apiserver_request_total{code=\"" << std::get<2>(k)
        << "\",resource=\"" << std::get<1>(k) << "\",verb=\"" << std::get<0>(k)
        << "\"} " << v << "\n";
  }
  out << "# HELP apiserver_request_duration_seconds Response latency "
         "distribution in seconds for each verb and resource.\n"
      << "# TYPE apiserver_request_duration_seconds histogram\n";
  for (const auto& [k, h] : latency_) {
    WriteHistogram(out, "apiserver_request_duration_seconds",
                   "resource=\"" + k.second + "\",verb=\"" + k.first + "\"", h,
                   kBuckets);
  }
  out << "# HELP berth_store_operation_duration_seconds Store operation "
         "latency in seconds by operation.\n"
      << "# TYPE berth_store_operation_duration_seconds histogram\n";
  for (const auto& [op, h] : store_ops_) {
    WriteHistogram(out, "berth_store_operation_duration_seconds",
                   "operation=\"" + op + "\"", h, kBuckets);
  }
  out << "# HELP apiserver_registered_watchers Number of currently open "
         "watches for a given resource.\n"
      << "# TYPE apiserver_registered_watchers gauge\n";
  for (const auto& [r, n] : watches_) {
    out << "apiserver_registered_watchers{resource=\"" << r << "\"} " << n
        << "\n";
  }
  out << "# HELP berth_watches_total Watches opened since start.\n"
      << "# TYPE berth_watches_total counter\n";
  for (const auto& [r, n] : watches_total_) {
    out << "berth_watches_total{resource=\"" << r << "\"} " << n << "\n";
  }
  if (gauge_source_) out << gauge_source_();
  return out.str();
}

}  // namespace berth::api
