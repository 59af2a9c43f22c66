// Registration of the `networkpolicy` plugin: the networking.k8s.io/v1
// NetworkPolicy kind, for the server. Enforcement is the `policy` plugin,
// which runs wherever the node runs (berth agent refuses plugins that
// register kinds, hence two plugins).
#include <memory>

#include "berth/plugin.h"
#include "network_policy_kind.h"

namespace berth::policy {
namespace {

class NetworkPolicyPlugin : public Plugin {
 public:
  std::string Name() const override { return "networkpolicy"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host&, const std::string&, Registrar& registrar) override {
    return registrar.AddKind(std::make_shared<NetworkPolicyKind>());
  }
};

}  // namespace
}  // namespace berth::policy

BERTH_PLUGIN(berth::policy::NetworkPolicyPlugin)
