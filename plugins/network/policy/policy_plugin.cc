// Registration of the `policy` plugin: NetworkPolicy enforcement for this
// node's pods with nftables or iptables (the PolicyEnforcer). It registers no
// kind, so it runs in `berth server` and `berth agent` alike; the kind is the
// `networkpolicy` plugin's.
#include <memory>

#include "berth/plugin.h"
#include "policy_backend.h"
#include "policy_enforcer.h"
#include "policy_settings.h"

namespace berth::policy {
namespace {

class PolicyPlugin : public Plugin {
 public:
  std::string Name() const override { return "policy"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar&) override {
    auto settings = ParsePolicySettings(settings_json);
    if (!settings.ok()) return settings.status();
    if (!host.process_runner()) {
      return Status::Unavailable(
          "the policy plugin runs nft and this host has no exec service");
    }
    host_ = &host;
    settings_ = *settings;
    return Status::Ok();
  }

  Status Start() override {
    ProcessRunner& runner = *host_->process_runner();
    std::string backend = settings_.backend;
    if (backend == "auto") backend = NftWorks(runner) ? "nftables" : "iptables";
    auto impl = backend == "nftables"
                    ? NewNftablesPolicyBackend(runner)
                    : NewIptablesPolicyBackend(runner, settings_.iptables);
    host_->Log(kLogInfo, Name(),
               "enforcing NetworkPolicy for node " + settings_.node_name +
                   " with " + backend);
    enforcer_ =
        std::make_unique<PolicyEnforcer>(*host_, settings_, std::move(impl));
    enforcer_->Start();
    return Status::Ok();
  }

  void Shutdown() override {
    if (enforcer_) enforcer_->Stop();
    enforcer_.reset();
  }

 private:
  Host* host_ = nullptr;
  PolicySettings settings_;
  std::unique_ptr<PolicyEnforcer> enforcer_;
};

}  // namespace
}  // namespace berth::policy

BERTH_PLUGIN(berth::policy::PolicyPlugin)
