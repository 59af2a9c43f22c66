// RemoteClient: berth::Client over HTTPS, for plugins in `berth agent` on
// another machine and for the `berth` CLI. Every call is one REST request
// through an ApiTransport (pooled keep-alive connections); error replies
// come back as the Status the server built (code, message, field causes).
//
// Watch semantics: each Watch is one streaming GET (?watch=1) read on its
// own thread. There is no automatic reconnect: when the stream ends for any
// reason but the handle's destruction (server timeout, server restart,
// network error, an expired resourceVersion), one final event of type
// "ERROR" is delivered whose object is the server's metav1.Status JSON or a
// message, and nothing after it. The caller then relists and watches again
// from the list's resourceVersion, as an informer does; reconnecting here
// would silently skip or replay events.
//
// Thread safety: every method may be called from any thread concurrently.
// A watch callback runs on that watch's thread, one event at a time, and is
// never called after the handle's destructor returns.
#ifndef BERTH_KERNEL_CLIENT_REMOTE_CLIENT_H_
#define BERTH_KERNEL_CLIENT_REMOTE_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "kernel/client/api_transport.h"

namespace berth::client {

class RemoteClient : public Client {
 public:
  // Reads the kubeconfig at `path` (its current context). The Status of
  // ReadKubeconfig or ApiTransport::Create on failure. Connects lazily: a
  // server that is down shows up as Unavailable from the first call.
  static StatusOr<std::unique_ptr<RemoteClient>> FromKubeconfig(
      const std::string& path);
  explicit RemoteClient(std::unique_ptr<ApiTransport> transport);

  // Empty when discovery fails (the interface has no error for it); callers
  // that must know use DiscoverResources on transport().
  std::vector<ServedResource> ServerResources() override;
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override;
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions& opts) override;
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override;
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& subresource) override;
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string& subresource) override;
  // Sends the options as a metav1.DeleteOptions body.
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions& opts) override;
  StatusOr<std::string> CreateSubresource(const ResourceRef& r,
                                          const std::string& ns,
                                          const std::string& name,
                                          const std::string& subresource,
                                          const std::string& body) override;
  // Returns once the server accepted the watch (its reply headers came), so
  // an unknown resource or a bad request fails here rather than as an event.
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) override;
  StatusOr<std::unique_ptr<WatchHandle>> WatchSelected(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version, const ListOptions& options,
      std::function<void(const WatchEvent&)> on_event) override;

  // The transport, for requests outside the SDK interface. Owned by the
  // client.
  ApiTransport& transport() { return *transport_; }

 private:
  std::unique_ptr<ApiTransport> transport_;
};

}  // namespace berth::client

#endif  // BERTH_KERNEL_CLIENT_REMOTE_CLIENT_H_
