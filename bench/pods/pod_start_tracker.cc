#include "bench/pods/pod_start_tracker.h"

#include "berth/json.h"
#include "timestamps.h"

namespace berth::bench {

void PodStartTracker::OnLine(const std::string& line) {
  const auto now = std::chrono::steady_clock::now();
  const auto wall = std::chrono::system_clock::now();
  auto doc = ParseJson(line);
  if (!doc.ok()) return;
  const std::string type = GetString(*doc, {"type"});
  if (type != "ADDED" && type != "MODIFIED") return;
  const Json* pod = Member(*doc, "object");
  if (pod == nullptr) return;
  const std::string name = GetString(*pod, {"metadata", "name"});
  if (name.empty()) return;
  const std::string phase = GetString(*pod, {"status", "phase"});
  std::string reason;
  if (const Json* statuses = Find(*pod, {"status", "containerStatuses"});
      statuses && statuses->IsArray()) {
    for (const auto& s : statuses->GetArray()) {
      reason = GetString(s, {"state", "waiting", "reason"});
      if (!reason.empty()) break;
    }
  }
  std::optional<PodStart::Wall> ready;
  if (const Json* conds = Find(*pod, {"status", "conditions"});
      conds && conds->IsArray()) {
    for (const auto& c : conds->GetArray()) {
      if (GetString(c, {"type"}) == "Ready" &&
          GetString(c, {"status"}) == "True") {
        ready = kubelet::ParseTime(GetString(c, {"lastTransitionTime"}));
      }
    }
  }

  std::lock_guard<std::mutex> lock(mu_);
  PodStart& p = pods_[name];
  if (!p.seen) {
    p.seen = now;
    p.created =
        kubelet::ParseTime(GetString(*pod, {"metadata", "creationTimestamp"}));
  }
  if (phase == "Running" && !p.running) {
    p.running = now;
    p.running_wall = wall;
    ++running_;
  }
  if (ready && !p.ready) p.ready = ready;
  p.state = (phase.empty() ? "Pending" : phase) +
            (reason.empty() ? "" : "/" + reason);
}

size_t PodStartTracker::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

std::map<std::string, PodStart> PodStartTracker::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pods_;
}

std::string PodStartTracker::StateCounts() const {
  std::map<std::string, int> counts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [name, p] : pods_) ++counts[p.state];
  }
  std::string out;
  for (const auto& [state, n] : counts) {
    out += (out.empty() ? "" : ", ") + state + " " + std::to_string(n);
  }
  return out.empty() ? "none seen" : out;
}

}  // namespace berth::bench
