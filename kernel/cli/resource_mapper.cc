#include "kernel/cli/resource_mapper.h"

#include <algorithm>
#include <cctype>

namespace berth::cli {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool NameMatches(const client::ApiResource& r, const std::string& name) {
  if (name == r.ref.resource || name == Lower(r.kind)) return true;
  if (!r.singular.empty() && name == r.singular) return true;
  for (const auto& s : r.short_names) {
    if (name == Lower(s)) return true;
  }
  return false;
}

// Lower is better: core group, then preferred versions.
int Rank(const client::ApiResource& r) {
  return (r.ref.group.empty() ? 0 : 2) + (r.preferred ? 0 : 1);
}

}  // namespace

ResourceMapper::ResourceMapper(std::vector<client::ApiResource> resources)
    : resources_(std::move(resources)) {}

const client::ApiResource* ResourceMapper::ForKind(
    const std::string& api_version, const std::string& kind) const {
  std::string group, version = api_version;
  if (auto slash = api_version.find('/'); slash != std::string::npos) {
    group = api_version.substr(0, slash);
    version = api_version.substr(slash + 1);
  }
  for (const auto& r : resources_) {
    if (r.ref.group == group && r.ref.version == version && r.kind == kind) {
      return &r;
    }
  }
  return nullptr;
}

const client::ApiResource* ResourceMapper::ForName(
    const std::string& typed) const {
  std::string name = Lower(typed);
  // "deployments.apps", "deployments.v1.apps": the rest names the group.
  std::string group;
  bool qualified = false;
  if (auto dot = name.find('.'); dot != std::string::npos) {
    group = name.substr(dot + 1);
    name = name.substr(0, dot);
    qualified = true;
  }
  const client::ApiResource* best = nullptr;
  for (const auto& r : resources_) {
    if (!NameMatches(r, name)) continue;
    if (qualified && r.ref.group != group &&
        r.ref.version + "." + r.ref.group != group) {
      continue;
    }
    if (!best || Rank(r) < Rank(*best)) best = &r;
  }
  return best;
}

std::string KindPrefix(const client::ApiResource& r) {
  std::string kind = Lower(r.kind);
  return r.ref.group.empty() ? kind : kind + "." + r.ref.group;
}

std::string QualifiedResource(const client::ApiResource& r) {
  return r.ref.group.empty() ? r.ref.resource
                             : r.ref.resource + "." + r.ref.group;
}

}  // namespace berth::cli
