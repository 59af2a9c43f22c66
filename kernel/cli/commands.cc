#include "kernel/cli/commands.h"

#include <cstdlib>
#include <iostream>

#include "kernel/api/tls/file_util.h"
#include "kernel/cli/config_file.h"
#include "kernel/cli/data_dir.h"
#include "kernel/cli/deferred_client.h"
#include "kernel/cli/flags.h"
#include "kernel/controller/informer_factory.h"
#include "kernel/plugin/kind_registry.h"
#include "kernel/plugin/plugin_config.h"
#include "kernel/plugin/plugin_loader.h"

namespace berth::cli {
namespace {

// Plugins listed outside a server get a client that is never connected:
// they may keep it at Register (as in the server), and nothing calls it.
class ListingHost : public Host {
 public:
  Client& client() override { return client_; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string&, const ObjectReference&,
                   const std::string&, const std::string&,
                   const std::string&) override {}

 private:
  DeferredClient client_;
  InformerFactory informers_{client_};  // never lists: nothing serves
};

}  // namespace

int RunKubeconfig(const std::vector<std::string>& args) {
  auto flags = ParseFlags(args, {"data-dir"}, {});
  if (!flags.ok()) {
    std::cerr << "berth kubeconfig: " << flags.status().message() << "\n";
    return 2;
  }
  std::string path =
      flags->Get("data-dir", DefaultDataDir()) + "/admin.kubeconfig";
  auto text = tls::ReadFileToString(path);
  if (!text.ok()) {
    std::cerr << "berth kubeconfig: " << path
              << " does not exist; start `berth server` first\n";
    return 1;
  }
  std::cout << *text;
  return 0;
}

int RunPlugins(const std::vector<std::string>& args) {
  auto flags = ParseFlags(args, {"config", "plugin-dir"}, {});
  if (!flags.ok() || flags->positional.empty() ||
      flags->positional[0] != "list") {
    std::cerr
        << "usage: berth plugins list [--config FILE] [--plugin-dir DIR]\n";
    return 2;
  }
  PluginConfig config;
  std::string path = flags->Get("config");
  if (path.empty()) path = FindConfigFile("berth.yaml");
  if (!path.empty()) {
    auto c = LoadPluginConfig(path);
    if (!c.ok()) {
      std::cerr << "berth plugins: " << c.status().message() << "\n";
      return 1;
    }
    config = std::move(c).value();
  }
  if (flags->Has("plugin-dir")) {
    config.plugin_dirs.insert(config.plugin_dirs.begin(),
                              flags->Get("plugin-dir"));
  }
  ListingHost host;
  KindRegistry kinds;
  PluginManager plugins(host, kinds);
  if (Status s = plugins.LoadAll(config); !s.ok()) {
    std::cerr << "berth plugins: " << s.message() << "\n";
    return 1;
  }
  for (const auto& p : plugins.Loaded()) {
    std::cout << p.name << " " << p.version << " " << p.path << "\n";
    for (const auto& k : p.kinds) {
      std::cout << "  kind " << k.api_version << " " << k.kind << "\n";
    }
    for (const auto& c : p.controllers)
      std::cout << "  controller " << c << "\n";
    for (const auto& a : p.admissions) std::cout << "  admission " << a << "\n";
    for (const auto& s : p.scheduler_plugins) {
      std::cout << "  scheduler plugin " << s << "\n";
    }
  }
  plugins.Shutdown();
  return 0;
}

}  // namespace berth::cli
