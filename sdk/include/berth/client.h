// Client: how a plugin reads and writes API objects. Inside `berth server`
// it goes straight to the kernel's store path (same defaulting, validation
// and admission as a REST request); in an agent on another machine the same
// interface speaks HTTPS. Objects cross it as JSON text.
//
// Thread safety: all methods may be called from any thread concurrently.
#ifndef BERTH_SDK_CLIENT_H_
#define BERTH_SDK_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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

// What DELETE is asked to do beyond removing the object
// (metav1.DeleteOptions).
struct DeleteOptions {
  // "" keeps the kind's default (Background, or the GC finalizer the object
  // already carries), else "Background", "Foreground" or "Orphan".
  std::string propagation_policy;
  // When set, the delete fails with Conflict (Kubernetes' "Precondition
  // failed: UID in precondition: ..." message) unless the object still has
  // this uid / resourceVersion: a controller deleting what it saw, not a
  // namesake created since.
  std::string precondition_uid;
  std::string precondition_resource_version;
  // gracePeriodSeconds: for kinds with graceful deletion (Kind::
  // GracePeriodSeconds; pods on a node), how long the object stays
  // terminating before it goes. nullopt: the kind's default (a pod's
  // terminationGracePeriodSeconds); 0: at once (the node agent's final
  // delete, or `kubectl delete --force --grace-period=0`).
  std::optional<int64_t> grace_period_seconds;
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
  // Deletes with `opts` (see DeleteOptions). NotFound when absent,
  // Conflict when a precondition fails, Invalid for an unknown policy.
  virtual Status Delete(const ResourceRef& r, const std::string& ns,
                        const std::string& name,
                        const DeleteOptions& opts = {}) = 0;
  // POSTs `body` (JSON) to an action subresource of an object,
  // .../NAME/SUBRESOURCE: "binding" (a core/v1 Binding) or "eviction" (a
  // policy/v1 Eviction) of a pod. Returns the reply body (a metav1.Status
  // on success); the kind's error (NotFound, Conflict...) on failure.
  virtual StatusOr<std::string> CreateSubresource(
      const ResourceRef& r, const std::string& ns, const std::string& name,
      const std::string& subresource, const std::string& body) = 0;
  // Watches from `resource_version` ("" or "0": synthetic ADDED events for
  // current state first). The callback runs on a kernel thread, one event at
  // a time per watch; it must not block for long.
  virtual StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) = 0;
  // Watch of the objects `options` selects (a kubelet's
  // fieldSelector=spec.nodeName=<node>): an object that comes to match
  // arrives as ADDED, one that stops matching as DELETED. A client that
  // cannot select refuses selectors (MethodNotAllowed) and, given none,
  // is Watch.
  virtual StatusOr<std::unique_ptr<WatchHandle>> WatchSelected(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version, const ListOptions& options,
      std::function<void(const WatchEvent&)> on_event) {
    if (!options.label_selector.empty() || !options.field_selector.empty()) {
      return Status::MethodNotAllowed("this client cannot select a watch");
    }
    return Watch(r, ns, resource_version, std::move(on_event));
  }
};

}  // namespace berth

#endif  // BERTH_SDK_CLIENT_H_
