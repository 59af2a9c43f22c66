// Client: how a plugin reads and writes API objects. Inside `berth server`
// it goes straight to the kernel's store path (same defaulting, validation
// and admission as a REST request); in an agent on another machine the same
// interface speaks HTTPS. Objects cross it as JSON text.
//
// Thread safety: all methods may be called from any thread concurrently.
#ifndef BERTH_SDK_CLIENT_H_
#define BERTH_SDK_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth {

// A resource as the REST path names it.
struct ResourceRef {
  std::string group;     // "" for core
  std::string version;   // "v1"
  std::string resource;  // "pods"
};

struct ListOptions {
  std::string label_selector;  // "app=web,tier!=db"
  std::string field_selector;  // "spec.nodeName=n1"
};

// One watch event: type is "ADDED", "MODIFIED", "DELETED"; object is JSON.
struct WatchEvent {
  std::string type;
  std::string object;
};

// An open watch. Destroying it stops delivery; the callback is never called
// after the destructor returns.
class WatchHandle {
 public:
  virtual ~WatchHandle() = default;
};

// A resource the server serves, as discovery lists it.
struct ServedResource {
  ResourceRef ref;
  std::string kind;
  bool namespaced = true;
};

class Client {
 public:
  virtual ~Client() = default;

  // Every resource the server serves (what discovery lists), e.g. for a
  // namespace controller that must empty a namespace of every kind.
  virtual std::vector<ServedResource> ServerResources() = 0;

  // The object, or NotFound.
  virtual StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                                    const std::string& name) = 0;
  // A List object ({"items":[...],"metadata":{"resourceVersion":...}}).
  // ns "" lists across namespaces.
  virtual StatusOr<std::string> List(const ResourceRef& r,
                                     const std::string& ns,
                                     const ListOptions& opts = {}) = 0;
  // Creates `object` (JSON); returns the stored object.
  virtual StatusOr<std::string> Create(const ResourceRef& r,
                                       const std::string& ns,
                                       const std::string& object) = 0;
  // Replaces the object (optimistic concurrency on its resourceVersion);
  // Conflict when stale. `subresource` is "" or "status".
  virtual StatusOr<std::string> Update(const ResourceRef& r,
                                       const std::string& ns,
                                       const std::string& object,
                                       const std::string& subresource = "") = 0;
  // Applies a JSON merge patch (RFC 7386).
  virtual StatusOr<std::string> MergePatch(
      const ResourceRef& r, const std::string& ns, const std::string& name,
      const std::string& patch, const std::string& subresource = "") = 0;
  // Deletes (background propagation). NotFound when absent.
  virtual Status Delete(const ResourceRef& r, const std::string& ns,
                        const std::string& name) = 0;
  // Watches from `resource_version` ("" or "0": synthetic ADDED events for
  // current state first). The callback runs on a kernel thread, one event at
  // a time per watch; it must not block for long.
  virtual StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_CLIENT_H_
