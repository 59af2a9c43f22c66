#include "fit_error.h"

#include <algorithm>
#include <vector>

namespace berth::scheduler {

std::string FitErrorMessage(
    size_t num_nodes, const std::map<std::string, SchedulingStatus>& rejections,
    const SchedulingStatus& pre_filter) {
  // kube-scheduler's ErrNoNodesAvailable.
  if (num_nodes == 0) return "no nodes available to schedule pods";
  std::map<std::string, size_t> histogram;
  if (!pre_filter.ok()) {
    for (const auto& r : pre_filter.reasons()) histogram[r] += num_nodes;
  }
  for (const auto& [node, status] : rejections) {
    for (const auto& r : status.reasons()) histogram[r]++;
  }
  std::vector<std::string> parts;
  for (const auto& [reason, count] : histogram) {
    if (reason.empty()) continue;
    parts.push_back(std::to_string(count) + " " + reason);
  }
  std::sort(parts.begin(), parts.end());
  std::string msg = "0/" + std::to_string(num_nodes) + " nodes are available";
  if (!parts.empty()) {
    msg += ": ";
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i) msg += ", ";
      msg += parts[i];
    }
  }
  return msg + ".";
}

}  // namespace berth::scheduler
