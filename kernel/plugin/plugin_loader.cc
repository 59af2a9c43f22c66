#include "kernel/plugin/plugin_loader.h"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <exception>
#include <functional>
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
};

namespace {

// Hands a plugin's providers to the kernel while its Register runs. Kinds go
// to the registry at once (so duplicates are caught at the AddKind call);
// controllers and admissions are kept until Register succeeds. The first
// refusal is remembered, because the plugin may swallow the Status.
class PluginRegistrar : public Registrar {
 public:
  // `controller_owner` and `scheduler_plugin_owner` name the loaded plugin
  // providing a controller / scheduler plugin name, or return "".
  PluginRegistrar(
      const std::string& plugin, std::shared_ptr<Library> library,
      KindRegistry& kinds,
      std::function<std::string(const std::string&)> controller_owner,
      std::function<std::string(const std::string&)> scheduler_plugin_owner)
      : plugin_(plugin),
        library_(std::move(library)),
        kinds_(kinds),
        controller_owner_(std::move(controller_owner)),
        scheduler_plugin_owner_(std::move(scheduler_plugin_owner)) {}

  Status AddKind(std::shared_ptr<Kind> kind) override {
    if (!kind) return Refuse(Status::Invalid(Prefix() + "AddKind(nullptr)"));
    const KindInfo& info = kind->Info();
    Status s = kinds_.Add(PinToLibrary(std::move(kind), library_), plugin_);
    if (!s.ok()) return Refuse(s);
    kinds_added_.push_back({info.ApiVersion(), info.kind});
    return Status::Ok();
  }

  Status AddController(std::shared_ptr<Controller> controller) override {
    if (!controller) {
      return Refuse(Status::Invalid(Prefix() + "AddController(nullptr)"));
    }
    std::string name = controller->Name();
    std::string owner = ControllerOwner(name);
    if (!owner.empty()) {
      return Refuse(Status::AlreadyExists(
          Prefix() + "controller " + Quoted(name) +
          " is already provided by plugin " + Quoted(owner)));
    }
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
    std::string name = plugin->Name();
    std::string owner = scheduler_plugin_owner_(name);
    for (const auto& p : scheduler_plugins_) {
      if (p->Name() == name) owner = plugin_;
    }
    if (!owner.empty()) {
      return Refuse(Status::AlreadyExists(
          Prefix() + "scheduler plugin " + Quoted(name) +
          " is already provided by plugin " + Quoted(owner)));
    }
    scheduler_plugins_.push_back(PinToLibrary(std::move(plugin), library_));
    return Status::Ok();
  }

  const Status& first_error() const { return first_error_; }

  // Moves what was registered out, once Register succeeded.
  void Commit(
      LoadedPlugin& info, std::vector<std::shared_ptr<Controller>>& controllers,
      std::vector<std::shared_ptr<Admission>>& admissions,
      std::vector<std::shared_ptr<SchedulerPlugin>>& scheduler_plugins) {
    info.kinds = std::move(kinds_added_);
    for (const auto& c : controllers_) info.controllers.push_back(c->Name());
    for (const auto& a : admissions_) info.admissions.push_back(a->Name());
    for (const auto& p : scheduler_plugins_) {
      info.scheduler_plugins.push_back(p->Name());
    }
    controllers = std::move(controllers_);
    admissions = std::move(admissions_);
    scheduler_plugins = std::move(scheduler_plugins_);
  }

 private:
  std::string Prefix() const { return "plugin " + Quoted(plugin_) + ": "; }

  Status Refuse(Status s) {
    if (first_error_.ok()) first_error_ = s;
    return s;
  }

  // The plugin already providing controller `name`, or "".
  std::string ControllerOwner(const std::string& name) const {
    for (const auto& c : controllers_) {
      if (c->Name() == name) return plugin_;
    }
    return controller_owner_(name);
  }

  const std::string& plugin_;
  std::shared_ptr<Library> library_;
  KindRegistry& kinds_;
  std::function<std::string(const std::string&)> controller_owner_;
  std::function<std::string(const std::string&)> scheduler_plugin_owner_;
  Status first_error_;
  std::vector<LoadedPlugin::ProvidedKind> kinds_added_;
  std::vector<std::shared_ptr<Controller>> controllers_;
  std::vector<std::shared_ptr<Admission>> admissions_;
  std::vector<std::shared_ptr<SchedulerPlugin>> scheduler_plugins_;
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
      [this](const std::string& controller) {
        for (const auto& loaded : instances_) {
          for (const auto& c : loaded->info.controllers) {
            if (c == controller) return loaded->info.name;
          }
        }
        return std::string();
      },
      [this](const std::string& scheduler_plugin) {
        for (const auto& loaded : instances_) {
          for (const auto& p : loaded->info.scheduler_plugins) {
            if (p == scheduler_plugin) {
              return loaded->info.name;
            }
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
  registrar.Commit(instance->info, instance->controllers, instance->admissions,
                   instance->scheduler_plugins);
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

std::vector<std::shared_ptr<Admission>> PluginManager::Admissions() const {
  std::vector<std::shared_ptr<Admission>> all;
  for (const auto& instance : instances_) {
    all.insert(all.end(), instance->admissions.begin(),
               instance->admissions.end());
  }
  return all;
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
