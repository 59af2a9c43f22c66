// Host: the kernel services a plugin may use — the API client, shared
// informers, events, logging, the exec service, and the providers other
// plugins registered (scheduler plugins, runtimes, pod networks), which the
// kernel only brokers.
// The Host outlives every plugin instance; plugins keep the reference.
//
// Thread safety: all methods are safe to call from any thread.
#ifndef BERTH_SDK_HOST_H_
#define BERTH_SDK_HOST_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/events.h"
#include "berth/informer.h"
#include "berth/network.h"
#include "berth/process.h"
#include "berth/runtime.h"
#include "berth/status.h"

namespace berth {

class SchedulerPlugin;

// Where in-cluster clients reach an API server: the address it advertises
// and its port.
struct ApiEndpoint {
  std::string address;  // IPv4 or IPv6 literal
  int port = 0;
};

class Host {
 public:
  virtual ~Host() = default;
  // The in-process API client. Valid for the Host's lifetime.
  virtual Client& client() = 0;
  // Logs one line at info/warn/error level, tagged with the plugin name.
  virtual void Log(int level, const std::string& plugin,
                   const std::string& message) = 0;
  // Records a core/v1 Event about `regarding`, reported by `component`
  // ("default-scheduler", "deployment-controller"). `type` is "Normal" or
  // "Warning"; `reason` a short CamelCase word ("Scheduled"); `message`
  // for humans. Never blocks and never fails the caller: the event is
  // queued and written later, repeats within ten minutes only count up, and
  // when the queue is full the event is dropped (events are best effort,
  // as in client-go).
  // The shared informer of resource `r` (all namespaces), started on the
  // first call; the same object for every caller asking for the same
  // resource. Owned by the host, valid for its lifetime. Before the server
  // serves (Register) it only retries until it can list.
  virtual Informer& InformerFor(const ResourceRef& r) = 0;
  virtual void RecordEvent(const std::string& component,
                           const ObjectReference& regarding,
                           const std::string& type, const std::string& reason,
                           const std::string& message) = 0;
  // Every scheduler plugin the loaded plugins registered, in load order; the
  // kernel only brokers them to the scheduler runtime. Complete once all
  // plugins are registered (call it from Plugin::Start, not Register).
  virtual std::vector<std::shared_ptr<SchedulerPlugin>> SchedulerPlugins() {
    return {};
  }
  // Every container runtime and pod network registered, in load order;
  // complete once all plugins are registered (call from Plugin::Start).
  virtual std::vector<std::shared_ptr<ContainerRuntime>> ContainerRuntimes() {
    return {};
  }
  virtual std::vector<std::shared_ptr<PodNetwork>> PodNetworks() { return {}; }
  // The exec service (berth/process.h), owned by the host and valid for its
  // lifetime; nullptr when this host cannot run processes.
  virtual ProcessRunner* process_runner() { return nullptr; }
  // The port on which this process serves its connect handlers to API
  // servers (the kubelet API: /containerLogs, /exec, /attach,
  // /portForward), for the node agent to publish in its Node's
  // status.daemonEndpoints; 0 when it serves none. Known from Register on.
  virtual int kubelet_port() const { return 0; }
  // Signs a PKCS#10 certificate request (PEM) with the cluster CA, as
  // kube-controller-manager's csrsigning controller does; the CA key stays
  // in the kernel. The certificate keeps the request's subject and SANs,
  // gets the extended key usages named by `usages` (Kubernetes' KeyUsage
  // strings: "client auth", "server auth"; others are ignored) and is valid
  // for `duration` (capped at one year; zero: one year). Returns the
  // certificate PEM. Invalid when the request does not parse or its
  // signature is wrong; Unavailable when this host has no CA (a remote
  // agent). Whether the request should be signed is the caller's decision.
  virtual StatusOr<std::string> SignCertificate(
      const std::string& csr_pem, const std::vector<std::string>& usages,
      std::chrono::seconds duration) {
    return Status::Unavailable("this host cannot sign certificates");
  }
  // The address and port in-cluster clients reach this process's API server
  // by, as kube-apiserver publishes them in the `kubernetes` Service's
  // endpoints: --advertise-address, else the address it binds, else the
  // host's first non-loopback IPv4 address. Empty address and port 0 when
  // this process serves no API (an agent). Known from Plugin::Start on.
  virtual ApiEndpoint api_endpoint() const { return {}; }
  // The cluster CA certificate (PEM) that clients verify the API server
  // with, as kube-controller-manager publishes it in each namespace's
  // kube-root-ca.crt ConfigMap; empty when there is none (plain HTTP, an
  // agent). Known from Plugin::Start on.
  virtual std::string cluster_ca_pem() const { return {}; }
};

constexpr int kLogDebug = 0;
constexpr int kLogInfo = 1;
constexpr int kLogWarn = 2;
constexpr int kLogError = 3;

}  // namespace berth

#endif  // BERTH_SDK_HOST_H_
