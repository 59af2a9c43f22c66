// Version priority: the order of a group's versions as Kubernetes gives it
// (version.CompareKubeAwareVersionStrings): GA before beta before alpha,
// a higher major version first, then a higher minor; names that are not
// Kubernetes versions ("foo") come last, alphabetically. Discovery lists
// versions in this order and prefers the first, so a group serving v1 and
// v1beta2 prefers v1 although "v1beta2" sorts after "v1" as a string.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SERVER_VERSION_PRIORITY_H_
#define BERTH_KERNEL_API_SERVER_VERSION_PRIORITY_H_

#include <string>

namespace berth::api {

// True when `a` has lower priority than `b`: ordering a std::map with it
// puts the preferred version last (iterate it in reverse to list versions
// as discovery does).
struct VersionPriorityLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_VERSION_PRIORITY_H_
