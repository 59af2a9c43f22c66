#include "kernel/api/server/connect_registry.h"

namespace berth::api {

ConnectRegistry::ConnectRegistry(
    const std::vector<std::shared_ptr<ConnectHandler>>& handlers,
    const std::vector<std::shared_ptr<ConnectLocator>>& locators) {
  for (const auto& h : handlers) {
    const ResourceRef ref = h->Resource();
    for (const auto& sub : h->Subresources()) {
      Key key{ref.group, ref.resource, sub.name};
      if (entries_.count(key)) continue;
      entries_[key] = Entry{h, nullptr, sub};
      by_resource_[{ref.group, ref.resource}].push_back(sub);
    }
  }
  for (const auto& l : locators) {
    const ResourceRef ref = l->Resource();
    for (const auto& sub : l->Subresources()) {
      Key key{ref.group, ref.resource, sub.name};
      auto it = entries_.find(key);
      if (it == entries_.end()) {
        entries_[key] = Entry{nullptr, l, sub};
        by_resource_[{ref.group, ref.resource}].push_back(sub);
      } else if (!it->second.locator) {
        it->second.locator = l;
      }
    }
  }
}

const ConnectRegistry::Entry* ConnectRegistry::Find(
    const std::string& group, const std::string& resource,
    const std::string& subresource) const {
  auto it = entries_.find(Key{group, resource, subresource});
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<ConnectSubresource> ConnectRegistry::Subresources(
    const std::string& group, const std::string& resource) const {
  auto it = by_resource_.find({group, resource});
  if (it == by_resource_.end()) return {};
  return it->second;
}

}  // namespace berth::api
