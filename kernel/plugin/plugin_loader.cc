#include "kernel/plugin/plugin_loader.h"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <utility>

namespace berth {

namespace {

using Library = boost::dll::shared_library;

constexpr char kBuildKeySymbol[] = "berth_plugin_build_key";
constexpr char kCreateSymbol[] = "berth_plugin_create";

// Returns `object` as a pointer that also owns `library`: the library stays
// mapped until the last copy is gone, and the object (whose destructor and
// deleter are plugin code) is released before the library.
template <typename T>
std::shared_ptr<T> PinToLibrary(std::shared_ptr<T> object,
                                std::shared_ptr<Library> library) {
  struct Holder {
    std::shared_ptr<Library> library;  // declared first: destroyed last
    std::shared_ptr<T> object;
  };
  auto holder =
      std::make_shared<Holder>(Holder{std::move(library), std::move(object)});
  T* raw = holder->object.get();
  return std::shared_ptr<T>(std::move(holder), raw);
}

std::string JoinDirs(const std::vector<std::string>& dirs) {
  std::string out = "[";
  for (size_t i = 0; i < dirs.size(); ++i) {
    if (i) out += ", ";
    out += dirs[i];
  }
  return out + "]";
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string CurrentExceptionText() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

struct PluginManager::Instance {
  std::shared_ptr<Library> library;
  std::shared_ptr<Plugin> plugin;
  LoadedPlugin info;
  std::vector<std::shared_ptr<Controller>> controllers;
  std::vector<std::shared_ptr<Admission>> admissions;
  std::vector<std::shared_ptr<SchedulerPlugin>> scheduler_plugins;
  std::vector<std::shared_ptr<ContainerRuntime>> container_runtimes;
  std::vector<std::shared_ptr<PodNetwork>> pod_networks;
  std::vector<std::shared_ptr<ConnectHandler>> connect_handlers;
  std::vector<std::shared_ptr<ConnectLocator>> connect_locators;
  std::vector<std::shared_ptr<Authenticator>> authenticators;
  std::vector<std::string> serving_names;
};

namespace {

// What a provider of `category` is called in LoadedPlugin.
const std::vector<std::string>& ProvidedNames(const LoadedPlugin& info,
                                              const std::string& category) {
  if (category == "controller") return info.controllers;
  if (category == "scheduler plugin") return info.scheduler_plugins;
  if (category == "container runtime") return info.container_runtimes;
  if (category == "pod network") return info.pod_networks;
  if (category == "connect locator") return info.connect_locators;
  if (category == "authenticator") return info.authenticators;
  return info.connect_subresources;
}

// Hands a plugin's providers to the kernel while its Register runs. Kinds go
// to the registry at once (so duplicates are caught at the AddKind call);
// controllers and admissions are kept until Register succeeds. The first
// refusal is remembered, because the plugin may swallow the Status.
class PluginRegistrar : public Registrar {
 public:
  // `owner(category, name)` names the loaded plugin already providing the
  // named controller, scheduler plugin, container runtime, pod network or
  // connect subresource ("pods/log"), or returns "".
  PluginRegistrar(
      const std::string& plugin, std::shared_ptr<Library> library,
      KindRegistry& kinds,
      std::function<std::string(const std::string&, const std::string&)> owner)
      : plugin_(plugin),
        library_(std::move(library)),
        kinds_(kinds),
        owner_(std::move(owner)) {}

  Status AddKind(std::shared_ptr<Kind> kind) override {
    if (!kind) return Refuse(Status::Invalid(Prefix() + "AddKind(nullptr)"));
    const KindInfo& info = kind->Info();
    Status s = kinds_.Add(PinToLibrary(std::move(kind), library_), plugin_);
    if (!s.ok()) return Refuse(s);
    kinds_added_.push_back({info.ApiVersion(), info.kind});
    return Status::Ok();
  }

  // The tables a schema points into stay with the plugin's library, which
  // is never unloaded.
  Status AddProtobufSchema(ProtobufSchema schema) override {
    Status s = kinds_.AddProtobufSchema(std::move(schema), plugin_);
    if (!s.ok()) return Refuse(Status(s.code(), Prefix() + s.message()));
    return Status::Ok();
  }

  Status AddActionHandler(std::shared_ptr<ActionHandler> handler) override {
    if (!handler) {
      return Refuse(Status::Invalid(Prefix() + "AddActionHandler(nullptr)"));
    }
    return Refuse(kinds_.AddActionHandler(
        PinToLibrary(std::move(handler), library_), plugin_));
  }

  Status AddController(std::shared_ptr<Controller> controller) override {
    if (!controller) {
      return Refuse(Status::Invalid(Prefix() + "AddController(nullptr)"));
    }
    if (Status s = Claim("controller", controller->Name()); !s.ok()) return s;
    controllers_.push_back(PinToLibrary(std::move(controller), library_));
    return Status::Ok();
  }

  Status AddAdmission(std::shared_ptr<Admission> admission) override {
    if (!admission) {
      return Refuse(Status::Invalid(Prefix() + "AddAdmission(nullptr)"));
    }
    admissions_.push_back(PinToLibrary(std::move(admission), library_));
    return Status::Ok();
  }

  Status AddSchedulerPlugin(std::shared_ptr<SchedulerPlugin> plugin) override {
    if (!plugin) {
      return Refuse(Status::Invalid(Prefix() + "AddSchedulerPlugin(nullptr)"));
    }
    if (Status s = Claim("scheduler plugin", plugin->Name()); !s.ok()) {
      return s;
    }
    scheduler_plugins_.push_back(PinToLibrary(std::move(plugin), library_));
    return Status::Ok();
  }

  Status AddContainerRuntime(std::shared_ptr<ContainerRuntime> rt) override {
    if (!rt) {
      return Refuse(Status::Invalid(Prefix() + "AddContainerRuntime(nullptr)"));
    }
    if (Status s = Claim("container runtime", rt->Name()); !s.ok()) return s;
    container_runtimes_.push_back(PinToLibrary(std::move(rt), library_));
    return Status::Ok();
  }

  Status AddPodNetwork(std::shared_ptr<PodNetwork> network) override {
    if (!network) {
      return Refuse(Status::Invalid(Prefix() + "AddPodNetwork(nullptr)"));
    }
    if (Status s = Claim("pod network", network->Name()); !s.ok()) return s;
    pod_networks_.push_back(PinToLibrary(std::move(network), library_));
    return Status::Ok();
  }

  Status AddConnectHandler(std::shared_ptr<ConnectHandler> handler) override {
    if (!handler) {
      return Refuse(Status::Invalid(Prefix() + "AddConnectHandler(nullptr)"));
    }
    const std::string resource = handler->Resource().resource;
    for (const ConnectSubresource& sub : handler->Subresources()) {
      if (Status s = Claim("connect subresource", resource + "/" + sub.name);
          !s.ok()) {
        return s;
      }
    }
    connect_handlers_.push_back(PinToLibrary(std::move(handler), library_));
    return Status::Ok();
  }

  Status AddConnectLocator(std::shared_ptr<ConnectLocator> locator) override {
    if (!locator) {
      return Refuse(Status::Invalid(Prefix() + "AddConnectLocator(nullptr)"));
    }
    const ResourceRef ref = locator->Resource();
    if (Status s = Claim(
            "connect locator",
            ref.group.empty() ? ref.resource : ref.resource + "." + ref.group);
        !s.ok()) {
      return s;
    }
    connect_locators_.push_back(PinToLibrary(std::move(locator), library_));
    return Status::Ok();
  }

  Status AddAuthenticator(std::shared_ptr<Authenticator> auth) override {
    if (!auth) {
      return Refuse(Status::Invalid(Prefix() + "AddAuthenticator(nullptr)"));
    }
    if (Status s = Claim("authenticator", auth->Name()); !s.ok()) return s;
    authenticators_.push_back(PinToLibrary(std::move(auth), library_));
    return Status::Ok();
  }

  Status AddServingName(const std::string& name) override {
    if (name.empty()) {
      return Refuse(Status::Invalid(Prefix() + "AddServingName(\"\")"));
    }
    serving_names_.push_back(name);
    return Status::Ok();
  }

  const Status& first_error() const { return first_error_; }

  // Moves what was registered into `instance`, once Register succeeded.
  void Commit(PluginManager::Instance& instance) {
    LoadedPlugin& info = instance.info;
    info.kinds = std::move(kinds_added_);
    for (const auto& a : admissions_) info.admissions.push_back(a->Name());
    for (auto& [category, names] : claimed_) {
      std::vector<std::string>& into =
          const_cast<std::vector<std::string>&>(ProvidedNames(info, category));
      into.insert(into.end(), names.begin(), names.end());
    }
    instance.controllers = std::move(controllers_);
    instance.admissions = std::move(admissions_);
    instance.scheduler_plugins = std::move(scheduler_plugins_);
    instance.container_runtimes = std::move(container_runtimes_);
    instance.pod_networks = std::move(pod_networks_);
    instance.connect_handlers = std::move(connect_handlers_);
    instance.connect_locators = std::move(connect_locators_);
    instance.authenticators = std::move(authenticators_);
    instance.serving_names = std::move(serving_names_);
  }

 private:
  std::string Prefix() const { return "plugin " + Quoted(plugin_) + ": "; }

  Status Refuse(Status s) {
    if (first_error_.ok()) first_error_ = s;
    return s;
  }

  // Records that this plugin provides `name` of `category`, or refuses
  // with AlreadyExists naming the plugin that already does.
  Status Claim(const std::string& category, const std::string& name) {
    std::vector<std::string>& mine = claimed_[category];
    std::string owner = owner_(category, name);
    if (std::find(mine.begin(), mine.end(), name) != mine.end()) {
      owner = plugin_;
    }
    if (!owner.empty()) {
      return Refuse(Status::AlreadyExists(
          Prefix() + category + " " + Quoted(name) +
          " is already provided by plugin " + Quoted(owner)));
    }
    mine.push_back(name);
    return Status::Ok();
  }

  const std::string& plugin_;
  std::shared_ptr<Library> library_;
  KindRegistry& kinds_;
  std::function<std::string(const std::string&, const std::string&)> owner_;
  Status first_error_;
  std::map<std::string, std::vector<std::string>> claimed_;
  std::vector<LoadedPlugin::ProvidedKind> kinds_added_;
  std::vector<std::shared_ptr<Controller>> controllers_;
  std::vector<std::shared_ptr<Admission>> admissions_;
  std::vector<std::shared_ptr<SchedulerPlugin>> scheduler_plugins_;
  std::vector<std::shared_ptr<ContainerRuntime>> container_runtimes_;
  std::vector<std::shared_ptr<PodNetwork>> pod_networks_;
  std::vector<std::shared_ptr<ConnectHandler>> connect_handlers_;
  std::vector<std::shared_ptr<ConnectLocator>> connect_locators_;
  std::vector<std::shared_ptr<Authenticator>> authenticators_;
  std::vector<std::string> serving_names_;
};

}  // namespace

std::vector<std::string> PluginSearchDirs(const PluginConfig& config) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("BERTH_PLUGIN_PATH")) {
    std::string path = env;
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find(':', start);
      if (end == std::string::npos) end = path.size();
      if (end > start) dirs.push_back(path.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.insert(dirs.end(), config.plugin_dirs.begin(), config.plugin_dirs.end());
  boost::dll::fs::error_code ec;
  boost::dll::fs::path exe = boost::dll::program_location(ec);
  if (!ec) {
    boost::dll::fs::path exe_dir = exe.parent_path();
    dirs.push_back((exe_dir / ".." / "plugins").lexically_normal().string());
    dirs.push_back((exe_dir / "plugins").lexically_normal().string());
  }
  return dirs;
}

PluginManager::PluginManager(Host& host, KindRegistry& kinds)
    : host_(host), kinds_(kinds) {}

PluginManager::~PluginManager() { Shutdown(); }

Status PluginManager::LoadAll(const PluginConfig& config) {
  std::vector<std::string> dirs = PluginSearchDirs(config);
  for (const PluginSpec& spec : config.plugins) {
    if (Status s = Load(spec, dirs); !s.ok()) return s;
  }
  return Status::Ok();
}

Status PluginManager::Load(const PluginSpec& spec,
                           const std::vector<std::string>& dirs) {
  const std::string& name = spec.name;
  for (const auto& instance : instances_) {
    if (instance->info.name == name) {
      return Status::AlreadyExists("plugin " + Quoted(name) +
                                   ": already loaded from " +
                                   instance->info.path);
    }
  }

  std::string path;
  for (const std::string& dir : dirs) {
    boost::filesystem::path candidate =
        boost::filesystem::path(dir) / ("berth_" + name + ".so");
    boost::system::error_code ec;
    if (boost::filesystem::is_regular_file(candidate, ec)) {
      path = candidate.string();
      break;
    }
  }
  if (path.empty()) {
    return Status::NotFound("plugin " + Quoted(name) + ": not found in " +
                            JoinDirs(dirs));
  }
  const std::string where = "plugin " + Quoted(name) + " (" + path + "): ";

  auto library = std::make_shared<Library>();
  boost::dll::fs::error_code ec;
  // Boost.DLL turns every dlopen failure into one error code; the reason
  // (missing dependency, undefined symbol, bad ELF) is only in dlerror().
  dlerror();
  library->load(
      path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
      ec);
  if (ec) {
    const char* reason = dlerror();
    return Status::Internal(where +
                            "cannot load: " + (reason ? reason : ec.message()));
  }
  for (const char* symbol : {kBuildKeySymbol, kCreateSymbol}) {
    if (!library->has(symbol)) {
      return Status::Internal(where + "not a Berth plugin: missing symbol " +
                              symbol);
    }
  }

  // Nothing else in the library may run before its build key is checked:
  // a plugin built against another SDK or C++ ABI would crash on first use.
  const std::string kernel_key = BERTH_BUILD_KEY;
  std::string plugin_key;
  std::shared_ptr<Plugin> plugin;
  try {
    const char* key = library->get<const char*()>(kBuildKeySymbol)();
    plugin_key = key ? key : "";
    if (plugin_key != kernel_key) {
      return Status::Internal(where + "build key mismatch: plugin has " +
                              Quoted(plugin_key) + " but the server needs " +
                              Quoted(kernel_key));
    }
    Plugin* raw = library->get<Plugin*()>(kCreateSymbol)();
    if (!raw) return Status::Internal(where + kCreateSymbol + " returned null");
    plugin = PinToLibrary(std::shared_ptr<Plugin>(raw), library);
  } catch (...) {
    return Status::Internal(where +
                            "threw while starting: " + CurrentExceptionText());
  }

  auto instance = std::make_unique<Instance>();
  instance->library = library;
  instance->info.path = path;
  PluginRegistrar registrar(
      name, library, kinds_,
      [this](const std::string& category, const std::string& provided) {
        for (const auto& loaded : instances_) {
          for (const auto& p : ProvidedNames(loaded->info, category)) {
            if (p == provided) return loaded->info.name;
          }
        }
        return std::string();
      });
  Status registered;
  try {
    std::string reported = plugin->Name();
    if (reported != name) {
      return Status::Internal(where + "the library calls itself " +
                              Quoted(reported));
    }
    instance->info.name = reported;
    instance->info.version = plugin->Version();
    registered = plugin->Register(host_, spec.settings_json, registrar);
  } catch (...) {
    registered =
        Status::Internal("threw in Register: " + CurrentExceptionText());
  }
  if (!registrar.first_error().ok()) {
    registered = registrar.first_error();
  } else if (!registered.ok()) {
    registered = Status(registered.code(),
                        "plugin " + Quoted(name) + ": " + registered.message());
  }
  if (!registered.ok()) {
    // Register may have started threads before failing; they must be joined
    // before the plugin's last reference (and maybe its library) goes.
    kinds_.RemovePlugin(name);
    try {
      plugin->Shutdown();
    } catch (...) {
      spdlog::warn("plugin {}: Shutdown threw: {}", name,
                   CurrentExceptionText());
    }
    return registered;
  }
  registrar.Commit(*instance);
  instance->plugin = std::move(plugin);
  spdlog::info("plugin {} {} loaded from {}", name, instance->info.version,
               path);
  instances_.push_back(std::move(instance));
  return Status::Ok();
}

std::vector<std::shared_ptr<Controller>> PluginManager::Controllers() const {
  std::vector<std::shared_ptr<Controller>> all;
  for (const auto& instance : instances_) {
    all.insert(all.end(), instance->controllers.begin(),
               instance->controllers.end());
  }
  return all;
}

std::vector<std::shared_ptr<SchedulerPlugin>> PluginManager::SchedulerPlugins()
    const {
  std::vector<std::shared_ptr<SchedulerPlugin>> all;
  for (const auto& instance : instances_) {
    all.insert(all.end(), instance->scheduler_plugins.begin(),
               instance->scheduler_plugins.end());
  }
  return all;
}

namespace {

template <typename T>
std::vector<T> Gather(
    const std::vector<std::unique_ptr<PluginManager::Instance>>& instances,
    std::vector<T> PluginManager::Instance::*member) {
  std::vector<T> all;
  for (const auto& instance : instances) {
    const auto& mine = (*instance).*member;
    all.insert(all.end(), mine.begin(), mine.end());
  }
  return all;
}

}  // namespace

std::vector<std::shared_ptr<ContainerRuntime>>
PluginManager::ContainerRuntimes() const {
  return Gather(instances_, &Instance::container_runtimes);
}

std::vector<std::shared_ptr<PodNetwork>> PluginManager::PodNetworks() const {
  return Gather(instances_, &Instance::pod_networks);
}

std::vector<std::shared_ptr<ConnectHandler>> PluginManager::ConnectHandlers()
    const {
  return Gather(instances_, &Instance::connect_handlers);
}

std::vector<std::shared_ptr<ConnectLocator>> PluginManager::ConnectLocators()
    const {
  return Gather(instances_, &Instance::connect_locators);
}

std::vector<std::shared_ptr<Authenticator>> PluginManager::Authenticators()
    const {
  return Gather(instances_, &Instance::authenticators);
}

std::vector<std::string> PluginManager::ServingNames() const {
  return Gather(instances_, &Instance::serving_names);
}

std::vector<std::shared_ptr<Admission>> PluginManager::Admissions() const {
  return Gather(instances_, &Instance::admissions);
}

std::vector<LoadedPlugin> PluginManager::Loaded() const {
  std::vector<LoadedPlugin> loaded;
  for (const auto& instance : instances_) loaded.push_back(instance->info);
  return loaded;
}

Status PluginManager::StartAll() {
  for (auto& instance : instances_) {
    Status s;
    try {
      s = instance->plugin->Start();
    } catch (...) {
      s = Status::Internal("Start threw: " + CurrentExceptionText());
    }
    if (!s.ok()) {
      return Status(s.code(), "plugin \"" + instance->info.name +
                                  "\": start failed: " + s.message());
    }
  }
  return {};
}

void PluginManager::Shutdown() {
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
    Instance& instance = **it;
    if (!instance.plugin) continue;
    try {
      instance.plugin->Shutdown();
    } catch (...) {
      spdlog::warn("plugin {}: Shutdown threw: {}", instance.info.name,
                   CurrentExceptionText());
    }
  }
  for (auto& instance : instances_) {
    instance->controllers.clear();
    instance->admissions.clear();
    instance->plugin.reset();
  }
  instances_.clear();  // the handles, last
}

}  // namespace berth
