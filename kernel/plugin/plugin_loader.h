// PluginManager: loads the plugins conf/berth.yaml enables, in order, and
// keeps them alive. For each plugin it finds berth_<name>.so, opens it with
// RTLD_NOW | RTLD_LOCAL (unresolved symbols fail at load, not at first call;
// plugins cannot see each other's symbols), checks the exported build key
// before calling anything else in the library, creates the plugin and calls
// its Register with a registrar that puts kinds into the KindRegistry and
// collects controllers, admissions and scheduler plugins.
//
// Lifetime rule: every Kind, Controller, Admission, SchedulerPlugin and
// Plugin pointer handed out holds the library's handle, so a library stays
// mapped while anything from it is referenced; the manager never unloads a
// library early. Shutdown calls each plugin's Shutdown in reverse load order
// (stop the controllers first), then drops the instances, then the handles.
//
// Thread safety: Load, LoadAll and Shutdown run on the main thread at
// start-up and exit; the accessors may be called concurrently once loading
// is over.
#ifndef BERTH_KERNEL_PLUGIN_PLUGIN_LOADER_H_
#define BERTH_KERNEL_PLUGIN_PLUGIN_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "berth/admission.h"
#include "berth/authentication.h"
#include "berth/controller.h"
#include "berth/host.h"
#include "berth/plugin.h"
#include "berth/scheduler.h"
#include "berth/status.h"
#include "kernel/plugin/kind_registry.h"
#include "kernel/plugin/plugin_config.h"

namespace berth {

// What `berth plugins list` shows for one loaded plugin.
struct LoadedPlugin {
  struct ProvidedKind {
    std::string api_version;  // "apps/v1"
    std::string kind;         // "Deployment"
  };
  std::string name;
  std::string version;
  std::string path;  // the .so that was loaded
  std::vector<ProvidedKind> kinds;
  std::vector<std::string> controllers;         // Controller::Name()
  std::vector<std::string> admissions;          // Admission::Name()
  std::vector<std::string> scheduler_plugins;   // SchedulerPlugin::Name()
  std::vector<std::string> container_runtimes;  // ContainerRuntime::Name()
  std::vector<std::string> pod_networks;        // PodNetwork::Name()
  // "pods/log", one per connect subresource served (resource/subresource).
  std::vector<std::string> connect_subresources;
  // "pods", one per resource whose connect subresources it locates.
  std::vector<std::string> connect_locators;
  std::vector<std::string> authenticators;  // Authenticator::Name()
};

// Where plugins are looked for, first match wins: each directory of the
// BERTH_PLUGIN_PATH environment variable (':'-separated), then the config's
// pluginDirs, then <dir of the running executable>/../plugins and
// <dir of the running executable>/plugins.
std::vector<std::string> PluginSearchDirs(const PluginConfig& config);

class PluginManager {
 public:
  // `host` and `kinds` must outlive the manager.
  PluginManager(Host& host, KindRegistry& kinds);
  PluginManager(const PluginManager&) = delete;
  PluginManager& operator=(const PluginManager&) = delete;
  // Shuts down what is still loaded.
  ~PluginManager();

  // Loads every plugin in `config` in order, searching PluginSearchDirs.
  // Stops at the first failure and returns it (see Load).
  Status LoadAll(const PluginConfig& config);

  // Loads one plugin from the first of `dirs` holding berth_<name>.so. On
  // failure returns a Status whose message is one line naming the plugin
  // and the reason (not found, dlopen error, missing symbol, build key
  // mismatch, Register error, duplicate kind or controller); the server
  // prints it and exits. A failed plugin leaves nothing registered.
  Status Load(const PluginSpec& spec, const std::vector<std::string>& dirs);

  // Every controller of the loaded plugins, in load order.
  std::vector<std::shared_ptr<Controller>> Controllers() const;
  // Every admission of the loaded plugins, in load order.
  std::vector<std::shared_ptr<Admission>> Admissions() const;
  // Every scheduler plugin of the loaded plugins, in load order.
  std::vector<std::shared_ptr<SchedulerPlugin>> SchedulerPlugins() const;
  // Every container runtime / pod network / connect handler of the loaded
  // plugins, in load order.
  std::vector<std::shared_ptr<ContainerRuntime>> ContainerRuntimes() const;
  std::vector<std::shared_ptr<PodNetwork>> PodNetworks() const;
  std::vector<std::shared_ptr<ConnectHandler>> ConnectHandlers() const;
  std::vector<std::shared_ptr<ConnectLocator>> ConnectLocators() const;
  // Every plugin bearer-token authenticator, in load order.
  std::vector<std::shared_ptr<Authenticator>> Authenticators() const;
  // The names plugins asked for in the API server's serving certificate
  // (Registrar::AddServingName), in load order.
  std::vector<std::string> ServingNames() const;
  // The loaded plugins, in load order.
  std::vector<LoadedPlugin> Loaded() const;

  // Calls each plugin's Start in load order, once the API serves. Stops at
  // the first failure: one line naming the plugin and the reason.
  Status StartAll();

  // Calls Shutdown on each plugin in reverse load order, then releases the
  // instances, then the manager's library handles. Kinds, controllers and
  // admissions still referenced elsewhere keep their libraries mapped.
  // Idempotent.
  void Shutdown();

  // One loaded plugin and what it provides; defined in the .cc.
  struct Instance;

 private:
  Host& host_;
  KindRegistry& kinds_;
  std::vector<std::unique_ptr<Instance>> instances_;
};

}  // namespace berth

#endif  // BERTH_KERNEL_PLUGIN_PLUGIN_LOADER_H_
