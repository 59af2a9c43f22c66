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
#include "kernel/api/server/metrics.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/tls/certificate_request.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/pki.h"
#include "kernel/api/tls/server_context.h"
#include "kernel/api/tls/tokens.h"
#include "kernel/cli/data_dir.h"
#include "kernel/cli/deferred_client.h"
#include "kernel/cli/flags.h"
#include "kernel/controller/controller_manager.h"
#include "kernel/controller/informer_factory.h"
#include "kernel/events/event_recorder.h"
#include "kernel/exec/process_runner.h"
#include "kernel/gc/garbage_collector.h"
#include "kernel/plugin/kind_registry.h"
#include "kernel/plugin/plugin_config.h"
#include "kernel/plugin/plugin_loader.h"
#include "kernel/store/observed_store.h"
#include "kernel/store/store.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

// The kernel services handed to plugins.
class ServerHost : public Host {
 public:
  Client& client() override { return client_; }
  void Log(int level, const std::string& plugin,
           const std::string& message) override {
    auto lvl = level <= kLogDebug  ? spdlog::level::debug
               : level == kLogInfo ? spdlog::level::info
               : level == kLogWarn ? spdlog::level::warn
                                   : spdlog::level::err;
    spdlog::log(lvl, "plugin={} {}", plugin, message);
  }
  void RecordEvent(const std::string& component,
                   const ObjectReference& regarding, const std::string& type,
                   const std::string& reason,
                   const std::string& message) override {
    if (events_) {
      events_->Record({component, regarding, type, reason, message});
    }
  }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  std::vector<std::shared_ptr<SchedulerPlugin>> SchedulerPlugins() override {
    return plugins_ ? plugins_->SchedulerPlugins()
                    : std::vector<std::shared_ptr<SchedulerPlugin>>{};
  }
  std::vector<std::shared_ptr<ContainerRuntime>> ContainerRuntimes() override {
    return plugins_ ? plugins_->ContainerRuntimes()
                    : std::vector<std::shared_ptr<ContainerRuntime>>{};
  }
  std::vector<std::shared_ptr<PodNetwork>> PodNetworks() override {
    return plugins_ ? plugins_->PodNetworks()
                    : std::vector<std::shared_ptr<PodNetwork>>{};
  }
  ProcessRunner* process_runner() override { return &process_runner_; }
  StatusOr<std::string> SignCertificate(
      const std::string& csr_pem, const std::vector<std::string>& usages,
      std::chrono::seconds duration) override {
    if (!pki_) return Host::SignCertificate(csr_pem, usages, duration);
    return tls::SignCertificateRequest(*pki_, csr_pem, usages, duration);
  }
  // The cluster PKI that signs certificate requests; unset (plain HTTP) the
  // host signs nothing. Set before the plugins start.
  void set_pki(const tls::PkiPaths& pki) { pki_ = pki; }
  void set_client(Client* c) { client_.set_target(c); }
  // The manager whose scheduler plugins are brokered; set once loading is
  // over, before any plugin's Start.
  void set_plugins(const PluginManager* plugins) { plugins_ = plugins; }
  // Stops the informers and the event writer; called once no plugin runs
  // any more, before the client they use goes away.
  void StopServices() {
    informers_.Stop();
    events_.reset();
  }

 private:
  DeferredClient client_;
  const PluginManager* plugins_ = nullptr;
  std::optional<tls::PkiPaths> pki_;
  // Until Start, lists fail in the DeferredClient and are retried.
  InformerFactory informers_{client_};
  // Until Start, writes fail in the DeferredClient and are dropped.
  std::unique_ptr<events::EventRecorder> events_ =
      std::make_unique<events::EventRecorder>(&client_);
  SpawnProcessRunner process_runner_;
};

std::string ExeDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

std::string FindConfig(const Flags& flags) {
  if (flags.Has("config")) return flags.Get("config");
  if (const char* env = std::getenv("BERTH_CONFIG")) return env;
  std::vector<std::string> candidates = {
      "conf/berth.yaml", ExeDir() + "/../conf/berth.yaml",
      ExeDir() + "/conf/berth.yaml", BERTH_SOURCE_CONF};
  for (const auto& c : candidates) {
    if (fs::exists(c)) return c;
  }
  return "";
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
  auto flags_or = ParseFlags(args,
                             {"data-dir", "port", "bind-address", "config",
                              "plugin-dir", "log-level", "watch-window-events"},
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
  ServerHost host;
  KindRegistry kinds;
  PluginManager plugins(host, kinds);
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
    ServerHost& host;
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
  std::string scheme = "https";
  tls::TokenAuthenticator tokens;
  std::string ca_pem, admin_cert, admin_key;
  if (flags.Has("insecure-http")) {
    scheme = "http";
    api_options.allow_anonymous = true;
  } else {
    auto pki = tls::EnsurePki(data_dir, {});
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
    if (!read(pki->ca_cert, &ca_pem) || !read(pki->admin_cert, &admin_cert) ||
        !read(pki->admin_key, &admin_key)) {
      return Fail("cannot read the PKI in " + pki->dir);
    }
    api_options.ca_cert_pem = ca_pem;
    api_options.authenticators = plugins.Authenticators();
  }
  api_options.connect_handlers = plugins.ConnectHandlers();
  api::ApiServer server(api_options, &kinds, &service, &metrics);
  if (Status s = server.Start(); !s.ok()) return Fail(s.message());
  std::string url = scheme + "://127.0.0.1:" + std::to_string(server.port());
  if (!flags.Has("insecure-http")) {
    Status s = tls::WriteKubeconfig(
        data_dir + "/admin.kubeconfig",
        tls::RenderKubeconfig(url, ca_pem, admin_cert, admin_key));
    if (!s.ok()) return Fail(s.message());
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
  plugins.Shutdown();
  host.StopServices();
  store.reset();
  return 0;
}

}  // namespace berth::cli
