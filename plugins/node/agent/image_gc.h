// Image garbage collection, as the kubelet's image GC manager does it: when
// the image file system is at least `high_percent` full, remove the images
// no container uses, least recently used first, skipping those used within
// `min_age`, until the file system would be `low_percent` full. The images
// themselves belong to the runtime (ListImages, RemoveImage, ImageFsInfo);
// the policy is the node's.
//
// Thread safety: PlanImageGc is a pure function; CollectImages calls the
// runtime, which is thread-safe, and keeps no state.
#ifndef BERTH_PLUGINS_NODE_AGENT_IMAGE_GC_H_
#define BERTH_PLUGINS_NODE_AGENT_IMAGE_GC_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "berth/runtime.h"
#include "berth/status.h"

namespace berth::node {

struct ImageGcPolicy {
  int high_percent = 85;              // imageGCHighThresholdPercent
  int low_percent = 80;               // imageGCLowThresholdPercent
  std::chrono::seconds min_age{120};  // imageMinimumGCAge
};

struct ImageGcPlan {
  int usage_percent = 0;  // 100 - available * 100 / capacity
  bool needed = false;    // usage_percent >= high_percent
  uint64_t amount_to_free = 0;
  // Unused images old enough, least recently used first: removed in this
  // order until amount_to_free is freed (by their size_bytes).
  std::vector<ImageInfo> candidates;
  uint64_t eligible_bytes = 0;  // the sum of the candidates' sizes
};

// The plan for `images` on a file system as `usage` says, where
// `in_use` are the containers that exist (any state: an exited container
// still needs its image).
ImageGcPlan PlanImageGc(const ImageFsUsage& usage,
                        const std::vector<ImageInfo>& images,
                        const std::vector<ContainerStatus>& in_use,
                        const ImageGcPolicy& policy,
                        std::chrono::system_clock::time_point now);

struct ImageGcResult {
  ImageGcPlan plan;
  uint64_t freed_bytes = 0;
  std::vector<std::string> removed;  // image ids
};

// Plans and removes images of `runtime`, sparing those of the containers
// `in_use` lists: every runtime's (runtimes of one plugin, runc and crun,
// share one image store). Errors: the runtime's, when it cannot report its
// file system or images (MethodNotAllowed for a runtime that keeps no
// images: nothing to collect). A removal that fails is skipped (another
// pod may have started using it) and the next candidate tried.
StatusOr<ImageGcResult> CollectImages(
    ContainerRuntime& runtime, const std::vector<ContainerStatus>& in_use,
    const ImageGcPolicy& policy, std::chrono::system_clock::time_point now);

// Kubelet's message when not enough could be freed (event reason
// FreeDiskSpaceFailed on the Node); "" when enough was.
std::string FreeDiskSpaceFailure(const ImageGcResult& result);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_IMAGE_GC_H_
