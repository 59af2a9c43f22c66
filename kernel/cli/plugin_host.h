// PluginHost: the kernel services a process hands to its plugins (berth::Host)
// — the API client, shared informers over it, events written through it,
// logging, the exec service, and the runtimes, networks and scheduler
// plugins other plugins registered. `berth server` points it at the
// in-process client over its store, `berth agent` at a RemoteClient talking
// HTTPS to the server; the plugins cannot tell the two apart.
//
// The client is set after the plugins are registered (a server has no store
// before its plugins gave it the kinds): until set_client, calls through
// client() fail with Unavailable, informers retry their list, and events are
// dropped.
//
// Thread safety: set_client and set_plugins run on the main thread before
// any plugin's Start; the Host methods are safe from any thread after that.
// StopServices runs once on the main thread, after every plugin stopped.
#ifndef BERTH_KERNEL_CLI_PLUGIN_HOST_H_
#define BERTH_KERNEL_CLI_PLUGIN_HOST_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "berth/host.h"
#include "kernel/api/tls/pki.h"
#include "kernel/cli/deferred_client.h"
#include "kernel/controller/informer_factory.h"
#include "kernel/events/event_recorder.h"
#include "kernel/exec/process_runner.h"
#include "kernel/plugin/plugin_loader.h"

namespace berth::cli {

class PluginHost : public Host {
 public:
  PluginHost();
  ~PluginHost() override;

  Client& client() override { return client_; }
  void Log(int level, const std::string& plugin,
           const std::string& message) override;
  void RecordEvent(const std::string& component,
                   const ObjectReference& regarding, const std::string& type,
                   const std::string& reason,
                   const std::string& message) override;
  Informer& InformerFor(const ResourceRef& r) override;
  std::vector<std::shared_ptr<SchedulerPlugin>> SchedulerPlugins() override;
  std::vector<std::shared_ptr<ContainerRuntime>> ContainerRuntimes() override;
  std::vector<std::shared_ptr<PodNetwork>> PodNetworks() override;
  ProcessRunner* process_runner() override { return &process_runner_; }
  int kubelet_port() const override { return kubelet_port_; }
  // Signs with the cluster PKI given to set_pki; without one (an agent, or
  // a plain-HTTP server) Host's Unavailable.
  StatusOr<std::string> SignCertificate(const std::string& csr_pem,
                                        const std::vector<std::string>& usages,
                                        std::chrono::seconds duration) override;
  ApiEndpoint api_endpoint() const override { return api_endpoint_; }
  std::string cluster_ca_pem() const override { return cluster_ca_pem_; }

  // The port this process serves its connect handlers on as a kubelet
  // (0: none); set before plugins register.
  void set_kubelet_port(int port) { kubelet_port_ = port; }
  // The cluster PKI that signs certificate requests; set before the plugins
  // start.
  void set_pki(const tls::PkiPaths& pki) { pki_ = pki; }
  // What api_endpoint and cluster_ca_pem answer; set once the API server
  // listens, before the plugins start.
  void set_api_endpoint(ApiEndpoint endpoint) {
    api_endpoint_ = std::move(endpoint);
  }
  void set_cluster_ca_pem(std::string pem) { cluster_ca_pem_ = std::move(pem); }

  // The client every service uses from now on; not owned, must outlive
  // StopServices.
  void set_client(Client* c) { client_.set_target(c); }
  // The manager whose registrations are brokered; set once loading is over.
  void set_plugins(const PluginManager* plugins) { plugins_ = plugins; }
  // Stops the informers and the event writer; called once no plugin runs
  // any more, before the client they use goes away. Idempotent.
  void StopServices();

 private:
  DeferredClient client_;
  const PluginManager* plugins_ = nullptr;
  InformerFactory informers_{client_};
  std::unique_ptr<events::EventRecorder> events_ =
      std::make_unique<events::EventRecorder>(&client_);
  SpawnProcessRunner process_runner_;
  int kubelet_port_ = 0;
  std::optional<tls::PkiPaths> pki_;
  ApiEndpoint api_endpoint_;
  std::string cluster_ca_pem_;
};

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_PLUGIN_HOST_H_
