#include "kernel/cli/server_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "kernel/api/server/api_server.h"
#include "kernel/api/server/in_process_client.h"
#include "kernel/api/server/kubelet_server.h"
#include "kernel/api/server/metrics.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/tls/certificate_request.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/pki.h"
#include "kernel/api/tls/server_context.h"
#include "kernel/api/tls/tokens.h"
#include "kernel/cli/advertise_address.h"
#include "kernel/cli/config_file.h"
#include "kernel/cli/data_dir.h"
#include "kernel/cli/flags.h"
#include "kernel/cli/plugin_host.h"
#include "kernel/controller/controller_manager.h"
#include "kernel/gc/garbage_collector.h"
#include "kernel/plugin/kind_registry.h"
#include "kernel/plugin/plugin_config.h"
#include "kernel/plugin/plugin_loader.h"
#include "kernel/store/observed_store.h"
#include "kernel/store/store.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

std::string FindConfig(const Flags& flags) {
  if (flags.Has("config")) return flags.Get("config");
  if (const char* env = std::getenv("BERTH_CONFIG")) return env;
  return FindConfigFile("berth.yaml");
}

// Every open watch holds a socket, and the distribution default soft limit
// (1024) would cap them far below what the server can serve: raise the soft
// limit to the hard one.
void RaiseOpenFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) {
    return;
  }
  const rlim_t before = lim.rlim_cur;
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0) {
    spdlog::warn("cannot raise the open file limit from {}", before);
  }
}

int Fail(const std::string& line) {
  std::cerr << "berth server: " << line << std::endl;
  return 1;
}

}  // namespace

int RunServer(const std::vector<std::string>& args) {
  const auto started = std::chrono::steady_clock::now();
  auto flags_or = ParseFlags(
      args,
      {"data-dir", "port", "bind-address", "config", "plugin-dir", "log-level",
       "watch-window-events", "tls-san", "kubelet-port", "advertise-address"},
      {"insecure-http"});
  if (!flags_or.ok()) return Fail(flags_or.status().message());
  const Flags& flags = *flags_or;
  spdlog::set_level(spdlog::level::from_str(flags.Get("log-level", "warn")));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  RaiseOpenFileLimit();
  std::string data_dir = flags.Get("data-dir", DefaultDataDir());
  int port = std::atoi(flags.Get("port", "6443").c_str());
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec)
    return Fail("cannot create data dir " + data_dir + ": " + ec.message());
  // Plugins get no data dir through the SDK; those keeping state default to
  // $BERTH_DATA_DIR (the node agent's <data dir>/node), so it must be ours.
  setenv("BERTH_DATA_DIR", data_dir.c_str(), 1);

  // Block the shutdown signals before any thread starts so that only the
  // sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Plugins.
  std::string config_path = FindConfig(flags);
  PluginConfig config;
  if (!config_path.empty()) {
    auto c = LoadPluginConfig(config_path);
    if (!c.ok()) return Fail(c.status().message());
    config = std::move(c).value();
  } else {
    config.plugins.push_back(PluginSpec{"core"});
  }
  if (flags.Has("plugin-dir")) {
    config.plugin_dirs.insert(config.plugin_dirs.begin(),
                              flags.Get("plugin-dir"));
  }
  PluginHost host;
  KindRegistry kinds;
  PluginManager plugins(host, kinds);
  // The kubelet port is bound before the plugins register, so the node
  // agent knows the port it publishes.
  std::unique_ptr<api::KubeletServer> kubelet;
  if (flags.Has("kubelet-port")) {
    if (flags.Has("insecure-http")) {
      return Fail("--kubelet-port needs TLS (drop --insecure-http)");
    }
    auto pki = tls::EnsurePki(data_dir, {});
    if (!pki.ok()) return Fail(pki.status().message());
    auto bound = api::BindKubeletPort(
        pki->dir, pki->ca_cert, flags.Get("bind-address", "0.0.0.0"),
        std::atoi(flags.Get("kubelet-port").c_str()));
    if (!bound.ok()) return Fail(bound.status().message());
    kubelet = std::move(bound).value();
    host.set_kubelet_port(kubelet->port());
  }
  if (Status s = plugins.LoadAll(config); !s.ok()) return Fail(s.message());
  kinds.Freeze();
  host.set_plugins(&plugins);

  // Store.
  store::Options store_options;
  // Like kube-apiserver's watch cache size: how far back a watch can
  // resume; each event keeps the object's previous version alive.
  if (flags.Has("watch-window-events")) {
    const long events = std::atol(flags.Get("watch-window-events").c_str());
    if (events < 0) return Fail("--watch-window-events must be >= 0");
    store_options.watch_window_events = static_cast<size_t>(events);
  }
  store_options.attrs_for_load = [&kinds](std::string_view key,
                                          std::string_view data) {
    store::Attrs attrs;
    const auto [group, plural] = api::ResourceService::GroupResourceOfKey(key);
    const Kind* kind = kinds.ByGroupResource(group, plural);
    if (kind == nullptr) return attrs;
    JsonDoc d;
    d.Parse(data.data(), data.size());
    if (d.HasParseError()) return attrs;
    return api::ResourceService::AttrsFor(*kind, d);
  };
  auto store_or = store::OpenLevelDbStore(data_dir + "/store", store_options);
  if (!store_or.ok()) return Fail(store_or.status().message());
  std::unique_ptr<store::Store> store = std::move(store_or).value();

  api::Metrics metrics;
  store::ObservedStore observed_store(
      store.get(), [&metrics](const char* op, double seconds) {
        metrics.ObserveStoreOp(op, seconds);
      });
  api::ResourceService service(&observed_store);
  service.set_admissions(plugins.Admissions());
  api::InProcessClient client(&kinds, &service);
  host.set_client(&client);
  // On an early return the host's services stop before `client` goes away.
  struct ServicesStopper {
    PluginHost& host;
    ~ServicesStopper() { host.StopServices(); }
  } services_stopper{host};
  store::Store* store_ptr = store.get();
  metrics.set_gauge_source([store_ptr] {
    return "# HELP berth_store_revision The store's current revision.\n"
           "# TYPE berth_store_revision gauge\nberth_store_revision " +
           std::to_string(store_ptr->CurrentRevision()) +
           "\n# HELP berth_store_objects Objects in the store.\n"
           "# TYPE berth_store_objects gauge\nberth_store_objects " +
           std::to_string(store_ptr->Count("/registry/")) + "\n";
  });

  // API server.
  api::ApiServerOptions api_options;
  api_options.bind_address = flags.Get("bind-address", "0.0.0.0");
  api_options.port = port;
  const std::string advertise_address = ChooseAdvertiseAddress(
      flags.Get("advertise-address"), api_options.bind_address);
  std::string scheme = "https";
  tls::TokenAuthenticator tokens;
  std::string ca_pem, admin_cert, admin_key;
  if (flags.Has("insecure-http")) {
    scheme = "http";
    api_options.allow_anonymous = true;
  } else {
    // Agents on other machines dial the server by an address of its own,
    // and pods by the names plugins ask for (the `kubernetes` Service's):
    // the one it binds to, the advertised one, those names and the
    // --tls-san names must be in its certificate.
    std::vector<std::string> sans;
    if (api_options.bind_address != "0.0.0.0" &&
        api_options.bind_address != "::") {
      sans.push_back(api_options.bind_address);
    }
    if (!advertise_address.empty()) sans.push_back(advertise_address);
    for (const std::string& name : plugins.ServingNames()) {
      sans.push_back(name);
    }
    std::string listed = flags.Get("tls-san");
    for (size_t at = 0; at < listed.size();) {
      size_t comma = listed.find(',', at);
      if (comma == std::string::npos) comma = listed.size();
      if (comma > at) sans.push_back(listed.substr(at, comma - at));
      at = comma + 1;
    }
    auto pki = tls::EnsurePki(data_dir, sans);
    if (!pki.ok()) return Fail(pki.status().message());
    auto ctx = tls::MakeServerContext(*pki);
    if (!ctx.ok()) return Fail(ctx.status().message());
    api_options.tls = *ctx;
    host.set_pki(*pki);
    if (auto t = tls::EnsureAdminToken(data_dir); !t.ok()) {
      return Fail(t.status().message());
    }
    auto loaded =
        tls::TokenAuthenticator::LoadFile(tls::TokenFilePath(data_dir));
    if (!loaded.ok()) return Fail(loaded.status().message());
    tokens = std::move(loaded).value();
    api_options.tokens = &tokens;
    auto read = [](const std::string& p, std::string* out) {
      auto r = tls::ReadFileToString(p);
      if (r.ok()) *out = *r;
      return r.ok();
    };
    std::string kubelet_client_cert, kubelet_client_key;
    if (!read(pki->ca_cert, &ca_pem) || !read(pki->admin_cert, &admin_cert) ||
        !read(pki->admin_key, &admin_key) ||
        !read(pki->kubelet_client_cert, &kubelet_client_cert) ||
        !read(pki->kubelet_client_key, &kubelet_client_key)) {
      return Fail("cannot read the PKI in " + pki->dir);
    }
    auto kubelet_client =
        tls::MakeKubeletClientContext(kubelet_client_cert, kubelet_client_key);
    if (!kubelet_client.ok()) return Fail(kubelet_client.status().message());
    api_options.kubelet_client_tls = *kubelet_client;
    api_options.ca_cert_pem = ca_pem;
    api_options.authenticators = plugins.Authenticators();
  }
  api_options.connect_handlers = plugins.ConnectHandlers();
  api_options.connect_locators = plugins.ConnectLocators();
  api::ApiServer server(api_options, &kinds, &service, &metrics);
  if (Status s = server.Start(); !s.ok()) return Fail(s.message());
  std::string url = scheme + "://127.0.0.1:" + std::to_string(server.port());
  if (!flags.Has("insecure-http")) {
    Status s = tls::WriteKubeconfig(
        data_dir + "/admin.kubeconfig",
        tls::RenderKubeconfig(url, ca_pem, admin_cert, admin_key));
    if (!s.ok()) return Fail(s.message());
  }

  // In-cluster clients find this server through the `kubernetes` Service,
  // whose endpoints the core plugin keeps at this address and port.
  host.set_api_endpoint(ApiEndpoint{advertise_address, server.port()});
  host.set_cluster_ca_pem(ca_pem);
  if (kubelet) {
    if (Status s = kubelet->Start(plugins.ConnectHandlers()); !s.ok()) {
      return Fail(s.message());
    }
  }
  if (Status s = plugins.StartAll(); !s.ok()) return Fail(s.message());
  ControllerManager controllers(client);
  for (auto& c : plugins.Controllers()) controllers.Add(c);
  controllers.Start();
  // The collector lists and watches the store itself; it deletes nothing
  // until its graph holds the whole start-up list.
  gc::GarbageCollector collector(&observed_store, &service, &kinds);
  collector.Start();
  server.set_ready(true);

  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started)
                .count();
  std::string names;
  for (const auto& p : plugins.Loaded())
    names += (names.empty() ? "" : ",") + p.name;
  std::cout << "berth server ready on " << url << " in " << ms
            << " ms (data dir " << data_dir << ", plugins " << names
            << "; KUBECONFIG=" << data_dir << "/admin.kubeconfig)" << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "berth server: received "
            << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down"
            << std::endl;
  server.set_ready(false);
  collector.Stop();
  controllers.Stop();
  server.Stop();
  if (kubelet) kubelet->Stop();
  plugins.Shutdown();
  host.StopServices();
  store.reset();
  return 0;
}

}  // namespace berth::cli
