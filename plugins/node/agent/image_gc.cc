#include "image_gc.h"

#include <algorithm>
#include <set>

namespace berth::node {

ImageGcPlan PlanImageGc(const ImageFsUsage& usage,
                        const std::vector<ImageInfo>& images,
                        const std::vector<ContainerStatus>& in_use,
                        const ImageGcPolicy& policy,
                        std::chrono::system_clock::time_point now) {
  ImageGcPlan plan;
  if (usage.capacity_bytes == 0) return plan;
  const uint64_t available =
      std::min(usage.available_bytes, usage.capacity_bytes);
  plan.usage_percent =
      100 - static_cast<int>(available * 100 / usage.capacity_bytes);
  if (plan.usage_percent < policy.high_percent) return plan;
  plan.needed = true;
  const uint64_t target_available =
      usage.capacity_bytes * static_cast<uint64_t>(100 - policy.low_percent) /
      100;
  plan.amount_to_free =
      target_available > available ? target_available - available : 0;

  std::set<std::string> used_ids, used_refs;
  for (const auto& c : in_use) {
    if (!c.image_id.empty()) used_ids.insert(c.image_id);
    if (!c.image.empty()) used_refs.insert(c.image);
  }
  auto is_used = [&](const ImageInfo& image) {
    if (used_ids.count(image.id)) return true;
    for (const auto& names : {image.repo_tags, image.repo_digests}) {
      for (const auto& n : names) {
        if (used_ids.count(n) || used_refs.count(n)) return true;
      }
    }
    return false;
  };
  std::vector<ImageInfo> candidates;
  for (const auto& image : images) {
    if (is_used(image)) continue;
    if (now - image.last_used < policy.min_age) continue;
    candidates.push_back(image);
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const ImageInfo& a, const ImageInfo& b) {
                     return a.last_used < b.last_used;
                   });
  for (const auto& image : candidates) plan.eligible_bytes += image.size_bytes;
  plan.candidates = std::move(candidates);
  return plan;
}

StatusOr<ImageGcResult> CollectImages(
    ContainerRuntime& runtime, const std::vector<ContainerStatus>& in_use,
    const ImageGcPolicy& policy, std::chrono::system_clock::time_point now) {
  auto usage = runtime.ImageFsInfo();
  if (!usage.ok()) return usage.status();
  ImageGcResult result;
  auto images = runtime.ListImages();
  if (!images.ok()) return images.status();
  result.plan = PlanImageGc(*usage, *images, in_use, policy, now);
  for (const auto& image : result.plan.candidates) {
    if (result.freed_bytes >= result.plan.amount_to_free) break;
    if (!runtime.RemoveImage(image.id).ok()) continue;
    result.freed_bytes += image.size_bytes;
    result.removed.push_back(image.id);
  }
  return result;
}

std::string FreeDiskSpaceFailure(const ImageGcResult& result) {
  if (!result.plan.needed || result.freed_bytes >= result.plan.amount_to_free) {
    return "";
  }
  return "Failed to garbage collect required amount of images. Attempted to "
         "free " +
         std::to_string(result.plan.amount_to_free) +
         " bytes, but only found " + std::to_string(result.freed_bytes) +
         " bytes eligible to free.";
}

}  // namespace berth::node
