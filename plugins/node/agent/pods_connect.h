// PodsConnect: the connect subresources of pods this node runs —
// pods/log (the container's CRI log file: container, follow, previous,
// tailLines, sinceSeconds/sinceTime, timestamps, limitBytes), pods/exec and
// pods/attach (the runtime's Exec and Attach) and pods/portforward (the
// runtime's PortForward into the sandbox's network namespace). A pod bound
// to another node gets an error naming that node when opened here; the API
// server sends it to that node instead (ServesLocally).
//
// Thread safety: Open and the sessions may run on many threads at once.
#ifndef BERTH_PLUGINS_NODE_AGENT_PODS_CONNECT_H_
#define BERTH_PLUGINS_NODE_AGENT_PODS_CONNECT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/connect.h"
#include "berth/runtime.h"

namespace berth::node {

// What the handler needs from the agent; a function so the handler can be
// registered before the agent starts.
struct PodsConnectDeps {
  Client* client = nullptr;
  std::string node_name;
  // False: the API server of this process proxies every request to the
  // kubelet port instead of opening it here (ServesLocally).
  bool serve_locally = true;
  // The runtime running pod `uid` and its sandbox id; nullptr when the pod
  // has nothing running here (or the agent has not started).
  std::function<ContainerRuntime*(const std::string& uid,
                                  std::string* sandbox_id)>
      runtime_of;
};

class PodsConnectHandler : public ConnectHandler {
 public:
  explicit PodsConnectHandler(PodsConnectDeps deps) : deps_(std::move(deps)) {}
  ResourceRef Resource() const override { return {"", "v1", "pods"}; }
  std::vector<ConnectSubresource> Subresources() const override;
  StatusOr<std::unique_ptr<ConnectSession>> Open(
      const ConnectRequest& request) override;
  // True for a pod bound to this node when serving locally; a pod of
  // another node is located and proxied by the API server.
  bool ServesLocally(const ConnectRequest& request) override;

 private:
  PodsConnectDeps deps_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_PODS_CONNECT_H_
