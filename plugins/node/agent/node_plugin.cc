// The `node` plugin: registration only. The agent is plugins/node/agent's
// NodeAgent; the pods connect subresources are PodsConnectHandler.
#include <cstdlib>
#include <memory>

#include "berth/plugin.h"
#include "node_agent.h"
#include "node_settings.h"
#include "plugins/common/data_dir.h"
#include "pods_connect.h"

namespace berth::node {
namespace {

class NodePlugin : public Plugin {
 public:
  std::string Name() const override { return "node"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto settings = ParseNodeSettings(settings_json, PluginDataDir());
    if (!settings.ok()) return settings.status();
    // `berth agent --node-name` (the kubelet's --hostname-override) wins
    // over the config's nodeName.
    if (const char* name = std::getenv("BERTH_NODE_NAME"); name && *name) {
      settings->node_name = name;
    }
    if (host.kubelet_port() > 0) settings->kubelet_port = host.kubelet_port();
    if (!settings->serve_connect_locally && host.kubelet_port() <= 0) {
      return Status::Invalid(
          "node settings: serveConnectLocally: false needs a kubelet port "
          "(berth server --kubelet-port)");
    }
    agent_ = std::make_unique<NodeAgent>(host, std::move(settings).value());
    PodsConnectDeps deps;
    deps.client = &host.client();
    deps.node_name = agent_->settings().node_name;
    deps.serve_locally = agent_->settings().serve_connect_locally;
    NodeAgent* agent = agent_.get();
    deps.runtime_of = [agent](const std::string& uid, std::string* sandbox) {
      PodSyncer* syncer = agent->syncer();
      return syncer ? syncer->RuntimeOf(uid, sandbox) : nullptr;
    };
    return registrar.AddConnectHandler(
        std::make_shared<PodsConnectHandler>(std::move(deps)));
  }

  Status Start() override { return agent_->Start(); }

  void Shutdown() override {
    if (agent_) agent_->Stop();
  }

 private:
  std::unique_ptr<NodeAgent> agent_;
};

}  // namespace
}  // namespace berth::node

BERTH_PLUGIN(berth::node::NodePlugin)
