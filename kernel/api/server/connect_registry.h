// ConnectRegistry: which connect subresources (pods/log, pods/exec...) the
// loaded plugins serve here or locate on other nodes, by group, resource and
// subresource name, for the router and for discovery. The kernel learns the
// names only from the ConnectHandlers and ConnectLocators registered with
// it.
//
// Thread safety: immutable after construction.
#ifndef BERTH_KERNEL_API_SERVER_CONNECT_REGISTRY_H_
#define BERTH_KERNEL_API_SERVER_CONNECT_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "berth/connect.h"

namespace berth::api {

class ConnectRegistry {
 public:
  struct Entry {
    std::shared_ptr<ConnectHandler> handler;  // null: served only elsewhere
    std::shared_ptr<ConnectLocator> locator;  // null: served only here
    ConnectSubresource subresource;
  };

  ConnectRegistry() = default;
  // The plugin loader already refused two handlers (or two locators) for
  // one resource and subresource; a later duplicate here is ignored. A
  // subresource both served and located keeps the handler's protocol.
  explicit ConnectRegistry(
      const std::vector<std::shared_ptr<ConnectHandler>>& handlers,
      const std::vector<std::shared_ptr<ConnectLocator>>& locators = {});

  // The entry serving `group`/`resource`/`subresource`, or null.
  const Entry* Find(const std::string& group, const std::string& resource,
                    const std::string& subresource) const;
  // The subresources served for `group`/`resource`, in registration order.
  std::vector<ConnectSubresource> Subresources(
      const std::string& group, const std::string& resource) const;

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, Entry> entries_;
  std::map<std::pair<std::string, std::string>, std::vector<ConnectSubresource>>
      by_resource_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_CONNECT_REGISTRY_H_
