#include "bench/scheduler/bound_pod_counter.h"

namespace berth::bench {

BoundPodCounter::BoundPodCounter(std::unique_ptr<HttpsConnection> conn,
                                 std::string resource_version)
    : reader_(std::move(conn),
              "/api/v1/pods?watch=1&resourceVersion=" + resource_version,
              [this](const std::string& line) { OnLine(line); }) {}

BoundPodCounter::~BoundPodCounter() { Stop(); }

Status BoundPodCounter::Start() { return reader_.Start(); }

void BoundPodCounter::Stop() { reader_.Stop(); }

std::vector<std::chrono::steady_clock::time_point> BoundPodCounter::BindTimes()
    const {
  std::lock_guard<std::mutex> lock(mu_);
  return times_;
}

bool BoundPodCounter::Seen(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.count(key) > 0;
}

void BoundPodCounter::OnLine(const std::string& line) {
  lines_++;
  // Only the name and whether nodeName is set matter; a full parse of every
  // event would cost the server's CPU on this 2-core machine.
  if (line.find("\"nodeName\":\"") == std::string::npos) return;
  size_t meta = line.find("\"metadata\":");
  size_t at = line.find("\"name\":\"", meta == std::string::npos ? 0 : meta);
  if (at == std::string::npos) return;
  at += 8;
  size_t end = line.find('"', at);
  size_t ns_at =
      line.find("\"namespace\":\"", meta == std::string::npos ? 0 : meta);
  std::string ns;
  if (ns_at != std::string::npos) {
    ns_at += 13;
    ns = line.substr(ns_at, line.find('"', ns_at) - ns_at);
  }
  std::string key = ns + "/" + line.substr(at, end - at);
  std::lock_guard<std::mutex> lock(mu_);
  if (seen_.insert(key).second) {
    times_.push_back(std::chrono::steady_clock::now());
    bound_++;
  }
}

}  // namespace berth::bench
