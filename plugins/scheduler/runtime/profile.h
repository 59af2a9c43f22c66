// Profile: one scheduler profile (schedulerName and the plugins of each
// extension point, with score weights), built from the scheduler plugin's
// settings the way kube-scheduler merges a KubeSchedulerConfiguration
// profile with its defaults:
//
//   profiles:
//   - schedulerName: default-scheduler
//     plugins:
//       filter: {enabled: [{name: X}], disabled: [{name: Y} | {name: "*"}]}
//       score: {enabled: [{name: X, weight: 2}]}
//       multiPoint: {enabled: [...], disabled: [...]}
//     pluginConfig: [{name: NodeResourcesFit, args: {...}}]
//
// Without `profiles`, one default-scheduler profile with the defaults.
//
// Thread safety: immutable after BuildProfiles.
#ifndef BERTH_PLUGINS_SCHEDULER_RUNTIME_PROFILE_H_
#define BERTH_PLUGINS_SCHEDULER_RUNTIME_PROFILE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/scheduler.h"

namespace berth::scheduler {

struct Profile {
  std::string scheduler_name;
  std::vector<std::shared_ptr<SchedulerPlugin>> pre_filter, filter, post_filter,
      pre_score, permit, reserve, pre_bind, bind, post_bind;
  struct Scorer {
    std::shared_ptr<SchedulerPlugin> plugin;
    int64_t weight = 1;
  };
  std::vector<Scorer> score;
};

// kube-scheduler's default plugins with their score weights, in order.
struct DefaultPlugin {
  const char* name;
  int64_t weight;
};
const std::vector<DefaultPlugin>& DefaultPlugins();

// Builds the profiles of `settings` (the scheduler plugin's settings JSON)
// from the registered plugin prototypes. Fails with Invalid naming the
// profile and the problem: an unknown plugin enabled, a duplicate
// schedulerName, args a plugin refuses.
StatusOr<std::vector<Profile>> BuildProfiles(
    const Json& settings,
    const std::vector<std::shared_ptr<SchedulerPlugin>>& registered,
    SchedulerHandle& handle);

}  // namespace berth::scheduler

#endif  // BERTH_PLUGINS_SCHEDULER_RUNTIME_PROFILE_H_
