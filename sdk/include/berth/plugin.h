// Plugin: the entry point of a plugin library. A plugin exports exactly two
// C symbols (use BERTH_PLUGIN): its build key, checked before anything else,
// and a factory. The kernel then calls Register once with the plugin's
// settings; the plugin lists everything it provides through the Registrar
// (there is no static self-registration). Libraries are never unloaded; at
// shutdown the kernel stops the controllers, calls Shutdown (which must join
// the plugin's threads), drops the instances, and only then the handles.
//
// Thread safety: Register and Shutdown are called once, from the main thread.
#ifndef BERTH_SDK_PLUGIN_H_
#define BERTH_SDK_PLUGIN_H_

#include <memory>
#include <string>

#include "berth/abi_version.h"
#include "berth/action_handler.h"
#include "berth/admission.h"
#include "berth/authentication.h"
#include "berth/connect.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "berth/kind.h"
#include "berth/protobuf_schema.h"
#include "berth/scheduler.h"
#include "berth/status.h"

namespace berth {

// What Register uses to hand its providers to the kernel. Adding a kind
// another plugin already provides fails with AlreadyExists.
class Registrar {
 public:
  virtual ~Registrar() = default;
  virtual Status AddKind(std::shared_ptr<Kind> kind) = 0;
  virtual Status AddController(std::shared_ptr<Controller> controller) = 0;
  virtual Status AddAdmission(std::shared_ptr<Admission> admission) {
    return Status::Internal("this host does not run admission plugins");
  }
  // Offers a scheduler plugin (a prototype; see berth/scheduler.h) to the
  // scheduler runtime. A second plugin with the same Name() fails with
  // AlreadyExists.
  virtual Status AddSchedulerPlugin(std::shared_ptr<SchedulerPlugin> plugin) {
    return Status::Internal("this host does not run scheduler plugins");
  }
  // Offers a container runtime to node agents (berth/runtime.h). A second
  // runtime with the same Name() fails with AlreadyExists.
  virtual Status AddContainerRuntime(std::shared_ptr<ContainerRuntime> rt) {
    return Status::Internal("this host does not run container runtimes");
  }
  // Offers a pod network to node agents (berth/network.h). A second one
  // with the same Name() fails with AlreadyExists.
  virtual Status AddPodNetwork(std::shared_ptr<PodNetwork> network) {
    return Status::Internal("this host does not run pod networks");
  }
  // Adds a bearer-token authenticator (berth/authentication.h), asked after
  // the kernel's own credentials, in registration order.
  virtual Status AddAuthenticator(std::shared_ptr<Authenticator> auth) {
    return Status::Internal("this host does not run authenticators");
  }
  // Serves connect subresources (pods/log, pods/exec...; berth/connect.h).
  // A subresource another handler already serves fails with AlreadyExists.
  virtual Status AddConnectHandler(std::shared_ptr<ConnectHandler> handler) {
    return Status::Internal("this host does not serve connect subresources");
  }
  // Locates connect subresources served on other nodes (berth/connect.h).
  // A second locator for the same resource fails with AlreadyExists.
  virtual Status AddConnectLocator(std::shared_ptr<ConnectLocator> locator) {
    return Status::Internal("this host does not proxy connect subresources");
  }
  // Serves an action subresource of another plugin's resource whose answer
  // is an object (berth/action_handler.h). One for a subresource another
  // handler serves fails with AlreadyExists.
  virtual Status AddActionHandler(std::shared_ptr<ActionHandler> handler) {
    return Status::Internal("this host does not serve action handlers");
  }
  // Lets the API server decode protobuf bodies of schema.api_version /
  // schema.kind (berth/protobuf_schema.h). A kind without one answers a
  // protobuf body with 415. A second schema for the same apiVersion and
  // kind fails with AlreadyExists; one whose top-level message is missing
  // with Invalid.
  virtual Status AddProtobufSchema(ProtobufSchema schema) {
    return Status::Internal("this host does not decode protobuf bodies");
  }
  // Asks for `name` (a DNS name or an IPv4/IPv6 literal) among the API
  // server's serving certificate's subjectAltNames, because clients dial the
  // server by it: the plugin that keeps the `kubernetes` Service names its
  // ClusterIP and kubernetes.default.svc, as kube-apiserver puts them in its
  // own certificate. Names are gathered while plugins register and the
  // certificate is (re)issued before the API serves. Invalid for an empty
  // name. A host without an API server (`berth agent`) ignores it.
  virtual Status AddServingName(const std::string& name) {
    return Status::Ok();
  }
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  // Stable plugin name, as written in conf/berth.yaml: "core".
  virtual std::string Name() const = 0;
  virtual std::string Version() const = 0;
  // Validates `settings_json` (the plugin's `settings:` block as JSON, "{}"
  // when absent) and registers the plugin's providers. A non-OK Status stops
  // server start-up with a line naming the plugin and the message.
  virtual Status Register(Host& host, const std::string& settings_json,
                          Registrar& registrar) = 0;
  // Called once when the server is serving the API, before it reports
  // ready: the plugin may create the objects it guarantees (the core plugin
  // makes the default namespaces). A non-OK Status stops start-up.
  virtual Status Start() { return {}; }
  // Stops and joins every thread the plugin started.
  virtual void Shutdown() {}
};

}  // namespace berth

#define BERTH_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

// Defines the two exported entry points for plugin class `PluginClass`.
#define BERTH_PLUGIN(PluginClass)                            \
  BERTH_PLUGIN_EXPORT const char* berth_plugin_build_key() { \
    return BERTH_BUILD_KEY;                                  \
  }                                                          \
  BERTH_PLUGIN_EXPORT berth::Plugin* berth_plugin_create() { \
    return new PluginClass();                                \
  }

#endif  // BERTH_SDK_PLUGIN_H_
