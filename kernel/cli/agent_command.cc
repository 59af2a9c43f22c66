#include "kernel/cli/agent_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "kernel/api/server/kubelet_server.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/cli/config_file.h"
#include "kernel/cli/data_dir.h"
#include "kernel/cli/extensions.h"
#include "kernel/cli/flags.h"
#include "kernel/cli/plugin_host.h"
#include "kernel/client/remote_client.h"
#include "kernel/controller/controller_manager.h"
#include "kernel/exec/process_runner.h"
#include "kernel/plugin/kind_registry.h"
#include "kernel/plugin/plugin_config.h"
#include "kernel/plugin/plugin_loader.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

int Fail(const std::string& line) {
  std::cerr << "berth agent: " << line << std::endl;
  return 1;
}

// Sleeps for `delay` unless one of the blocked `signals` arrives first;
// returns whether one did.
bool WaitForSignal(const sigset_t& signals, std::chrono::milliseconds delay) {
  timespec wait{};
  wait.tv_sec = delay.count() / 1000;
  wait.tv_nsec = (delay.count() % 1000) * 1000000;
  return sigtimedwait(&signals, nullptr, &wait) > 0;
}

// A Node name as the kubelet takes it from --hostname-override: trimmed and
// lowercased; then it must be a DNS subdomain.
StatusOr<std::string> NodeNameFromFlag(std::string name) {
  name.erase(0, name.find_first_not_of(" \t"));
  name.erase(name.find_last_not_of(" \t") + 1);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const bool valid = !name.empty() && name.size() <= 253 &&
                     std::all_of(name.begin(), name.end(),
                                 [](char c) {
                                   return (c >= 'a' && c <= 'z') ||
                                          (c >= '0' && c <= '9') || c == '-' ||
                                          c == '.';
                                 }) &&
                     std::isalnum(static_cast<unsigned char>(name.front())) &&
                     std::isalnum(static_cast<unsigned char>(name.back()));
  if (!valid) {
    return Status::Invalid("--node-name \"" + name +
                           "\" is not a valid node name (lowercase letters, "
                           "digits, '-' and '.')");
  }
  return name;
}

// The plugins of an agent only reach the API through the client: what
// needs the server's store or request chain is refused by name.
Status RefuseServerOnly(const std::vector<LoadedPlugin>& loaded) {
  for (const auto& p : loaded) {
    std::string what;
    if (!p.kinds.empty()) {
      what = "kind " + p.kinds.front().kind;
    } else if (!p.admissions.empty()) {
      what = "admission " + p.admissions.front();
    } else if (!p.scheduler_plugins.empty()) {
      what = "scheduler plugin " + p.scheduler_plugins.front();
    } else {
      continue;
    }
    return Status::Invalid("plugin " + p.name + " registers " + what +
                           ", which only berth server can serve; remove it "
                           "from the agent config");
  }
  return {};
}

// Waits until the API server answers an authenticated request. Transport
// errors are retried (a machine often boots before its control plane);
// a reply that refuses us (bad credentials, no such API) is returned.
// Sets *signalled and returns OK when a shutdown signal arrives first.
Status WaitForServer(client::RemoteClient& remote, const sigset_t& signals,
                     bool* signalled) {
  auto delay = std::chrono::milliseconds(500);
  bool said = false;
  while (true) {
    auto reply = remote.transport().Call(
        client::ApiRequest::Bodiless("GET", "/api/v1/namespaces/default"));
    // NotFound or Forbidden still prove the server is up and knows us.
    if (reply.ok() || reply.status().IsNotFound() ||
        reply.status().code() == Status::Code::kForbidden) {
      if (said) std::cout << "berth agent: API server answers" << std::endl;
      return {};
    }
    const Status::Code code = reply.status().code();
    if (code != Status::Code::kUnavailable && code != Status::Code::kTimeout &&
        code != Status::Code::kTooManyRequests) {
      return reply.status();
    }
    if (!said) {
      std::cout << "berth agent: " << reply.status().message()
                << "; retrying until it answers" << std::endl;
      said = true;
    }
    if (WaitForSignal(signals, delay)) {
      *signalled = true;
      return {};
    }
    delay = std::min(delay * 2, std::chrono::milliseconds(8000));
  }
}

// Runs `spec` (the join) on a thread of its own while this one waits for a
// signal, so SIGTERM during a long approval wait stops the agent at once
// rather than after the join gives up. The join ends with its parent (it
// asks for a parent-death signal), so leaving it behind here kills it when
// the agent exits. nullopt with *signalled set when a signal came first.
std::optional<StatusOr<ProcessResult>> RunUnlessSignalled(
    const ProcessSpec& spec, const sigset_t& signals, bool* signalled) {
  struct Run {
    std::mutex mu;
    bool done = false;
    StatusOr<ProcessResult> result = Status::Internal("not run");
  };
  auto run = std::make_shared<Run>();
  std::thread([run, spec] {
    SpawnProcessRunner runner;
    auto result = runner.Run(spec);
    std::lock_guard<std::mutex> lock(run->mu);
    run->result = std::move(result);
    run->done = true;
  }).detach();
  while (true) {
    if (WaitForSignal(signals, std::chrono::milliseconds(100))) {
      *signalled = true;
      return std::nullopt;
    }
    std::lock_guard<std::mutex> lock(run->mu);
    if (run->done) return std::move(run->result);
  }
}

// The exit code of `berth token join` when the server cannot be reached
// (plugins/certificates/token/token_command.h): worth another try.
constexpr int kJoinUnavailableExit = 3;

// Joining with a bootstrap token, as `kubeadm join` discovers the cluster
// and kubelet's TLS bootstrap gets the node its own certificate: the token
// is exchanged for a system:node:<name> kubeconfig written at `kubeconfig`.
// The exchange names kinds (Secrets, CSRs), so it is the certificates
// plugin's `berth token join` extension, which the agent runs rather than
// links. A kubeconfig already there is used as it is, so a restarted agent
// does not join again. Retries while the server does not answer, as the
// agent does; sets *signalled and returns OK when asked to stop meanwhile.
Status JoinWithToken(const Flags& flags, const std::string& node_name,
                     const std::string& kubeconfig, const sigset_t& signals,
                     bool* signalled) {
  std::error_code ec;
  if (fs::exists(kubeconfig, ec)) return {};
  if (!flags.Has("server") || !flags.Has("token")) {
    return Status::Invalid(
        "joining with a bootstrap token needs both --server URL and --token");
  }
  if (!flags.Has("ca-cert-hash") &&
      !flags.Has("discovery-token-unsafe-skip-ca-verification")) {
    return Status::Invalid(
        "--ca-cert-hash sha256:HEX is required to trust the server (from "
        "`berth token create --print-join-command`), or "
        "--discovery-token-unsafe-skip-ca-verification");
  }
  auto extension = FindExtension("token");
  if (!extension) {
    return Status::NotFound(
        "joining with a token needs the certificates plugin's berth-token "
        "command, found neither next to berth nor on PATH");
  }
  ProcessSpec spec;
  // The join ends with this process (see RunUnlessSignalled).
  spec.env["BERTH_JOIN_PARENT"] = std::to_string(getpid());
  spec.argv = {*extension,          "join",    "--server",
               flags.Get("server"), "--token", flags.Get("token"),
               "--node-name",       node_name, "--out",
               kubeconfig};
  if (flags.Has("ca-cert-hash")) {
    spec.argv.insert(spec.argv.end(),
                     {"--ca-cert-hash", flags.Get("ca-cert-hash")});
  } else {
    spec.argv.push_back("--discovery-token-unsafe-skip-ca-verification");
  }
  std::chrono::milliseconds delay(500);
  bool said = false;
  while (true) {
    auto run = RunUnlessSignalled(spec, signals, signalled);
    if (!run) return {};
    auto& result = *run;
    if (!result.ok()) return result.status();
    if (result->exit_code == 0) {
      std::cout << result->stdout_data << std::flush;
      return {};
    }
    // The extension's one line, in the agent's name.
    std::string line = result->stderr_data;
    if (line.rfind("berth token: ", 0) == 0) line.erase(0, 13);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    if (result->exit_code != kJoinUnavailableExit) {
      return Status::Invalid(line.empty() ? "berth token join failed" : line);
    }
    if (!said) {
      std::cout << "berth agent: " << line << "; retrying until it answers"
                << std::endl;
      said = true;
    }
    if (WaitForSignal(signals, delay)) {
      *signalled = true;
      return {};
    }
    delay = std::min(delay * 2, std::chrono::milliseconds(8000));
  }
}

}  // namespace

int RunAgent(const std::vector<std::string>& args) {
  auto flags_or = ParseFlags(args,
                             {"kubeconfig", "config", "data-dir", "node-name",
                              "plugin-dir", "log-level", "server", "token",
                              "ca-cert-hash", "kubelet-port", "bind-address"},
                             {"discovery-token-unsafe-skip-ca-verification"});
  if (!flags_or.ok()) return Fail(flags_or.status().message());
  const Flags& flags = *flags_or;
  if (!flags.positional.empty()) {
    return Fail("unexpected argument \"" + flags.positional.front() + "\"");
  }
  spdlog::set_level(spdlog::level::from_str(flags.Get("log-level", "warn")));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  const bool joining = flags.Has("server") || flags.Has("token");
  if (!joining && !flags.Has("kubeconfig")) {
    return Fail(
        "--kubeconfig FILE is required (the API server to join), or "
        "--server URL --token TOKEN --ca-cert-hash HASH to join with a "
        "bootstrap token");
  }
  const std::string data_dir =
      flags.Get("data-dir", DefaultDataDir() + "/agent");
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) {
    return Fail("cannot create data dir " + data_dir + ": " + ec.message());
  }
  // Before any plugin reads them (Register) and before any thread starts.
  setenv("BERTH_DATA_DIR", data_dir.c_str(), 1);
  std::string node_name;
  if (flags.Has("node-name") || joining) {
    // A joining node asks for its certificate by name: the kubelet's
    // default, the host name, when no --node-name is given.
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    auto name = NodeNameFromFlag(flags.Get("node-name", host));
    if (!name.ok()) return Fail(name.status().message());
    node_name = *name;
    setenv("BERTH_NODE_NAME", node_name.c_str(), 1);
  }

  // Only the sigwait below (and the waits for the server) receives these.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // As kubelet's --kubeconfig with --bootstrap-kubeconfig: where the joined
  // node's credentials are written, and read from then on.
  const std::string kubeconfig =
      flags.Get("kubeconfig", joining ? data_dir + "/kubelet.kubeconfig" : "");
  if (joining) {
    bool signalled = false;
    if (Status s =
            JoinWithToken(flags, node_name, kubeconfig, signals, &signalled);
        !s.ok()) {
      return Fail(s.message());
    }
    if (signalled) return 0;
  }

  auto remote_or = client::RemoteClient::FromKubeconfig(kubeconfig);
  if (!remote_or.ok()) {
    return Fail("kubeconfig " + kubeconfig + ": " +
                remote_or.status().message());
  }
  std::unique_ptr<client::RemoteClient> remote = std::move(remote_or).value();

  // The kubelet port: the API server reaches this node's pod streams (logs,
  // exec, attach, port-forward) there, authenticating with a certificate of
  // the cluster CA, which the kubeconfig carries.
  int kubelet_port = 10250;
  if (flags.Has("kubelet-port")) {
    const std::string value = flags.Get("kubelet-port");
    kubelet_port = value == "off" ? -1 : std::atoi(value.c_str());
    if (value != "off" &&
        (value.empty() || kubelet_port < 0 || kubelet_port > 65535 ||
         value.find_first_not_of("0123456789") != std::string::npos)) {
      return Fail("--kubelet-port must be a port (0: any free one) or off");
    }
  }
  std::unique_ptr<api::KubeletServer> kubelet;
  if (kubelet_port >= 0) {
    auto creds = tls::ReadKubeconfig(kubeconfig);
    if (!creds.ok()) {
      return Fail("kubeconfig " + kubeconfig + ": " + creds.status().message());
    }
    if (creds->ca_pem.empty()) {
      return Fail("kubeconfig " + kubeconfig +
                  " names no certificate authority, which the kubelet port "
                  "needs to check the API server (or pass --kubelet-port off)");
    }
    const std::string pki_dir = data_dir + "/pki";
    fs::create_directories(pki_dir, ec);
    const std::string ca_file = pki_dir + "/ca.crt";
    if (Status s = tls::WriteFileAtomically(ca_file, creds->ca_pem, 0644);
        !s.ok()) {
      return Fail(s.message());
    }
    auto bound = api::BindKubeletPort(
        pki_dir, ca_file, flags.Get("bind-address", "0.0.0.0"), kubelet_port);
    if (!bound.ok()) return Fail("kubelet port: " + bound.status().message());
    kubelet = std::move(bound).value();
  }

  const std::string config_path =
      flags.Has("config") ? flags.Get("config") : FindConfigFile("agent.yaml");
  if (config_path.empty()) {
    return Fail("no conf/agent.yaml found; pass --config FILE");
  }
  auto config_or = LoadPluginConfig(config_path);
  if (!config_or.ok()) return Fail(config_or.status().message());
  PluginConfig config = std::move(config_or).value();
  if (flags.Has("plugin-dir")) {
    config.plugin_dirs.insert(config.plugin_dirs.begin(),
                              flags.Get("plugin-dir"));
  }

  PluginHost host;
  KindRegistry kinds;
  PluginManager plugins(host, kinds);
  // Before the plugins register, so the node agent publishes the port.
  if (kubelet) host.set_kubelet_port(kubelet->port());
  if (Status s = plugins.LoadAll(config); !s.ok()) return Fail(s.message());
  if (Status s = RefuseServerOnly(plugins.Loaded()); !s.ok()) {
    return Fail(s.message());
  }
  kinds.Freeze();
  host.set_plugins(&plugins);
  host.set_client(remote.get());
  // On an early return the host's services stop before `remote` goes away.
  struct ServicesStopper {
    PluginHost& host;
    ~ServicesStopper() { host.StopServices(); }
  } services_stopper{host};

  bool signalled = false;
  if (Status s = WaitForServer(*remote, signals, &signalled); !s.ok()) {
    return Fail("API server " + remote->transport().server_url() + ": " +
                s.message());
  }
  if (signalled) return 0;
  if (Status s = plugins.StartAll(); !s.ok()) return Fail(s.message());
  // Node-side controllers (a service proxy, say) reconcile over the same
  // remote client.
  ControllerManager controllers(*remote);
  for (auto& c : plugins.Controllers()) controllers.Add(c);
  controllers.Start();
  if (kubelet) {
    if (Status s = kubelet->Start(plugins.ConnectHandlers()); !s.ok()) {
      return Fail("kubelet port: " + s.message());
    }
  }

  std::string names;
  for (const auto& p : plugins.Loaded()) {
    names += (names.empty() ? "" : ",") + p.name;
  }
  std::cout << "berth agent ready"
            << (node_name.empty() ? "" : " as node " + node_name) << " against "
            << remote->transport().server_url() << " (data dir " << data_dir
            << ", plugins " << names << ")"
            << (kubelet ? ", kubelet port " + std::to_string(kubelet->port())
                        : std::string())
            << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "berth agent: received "
            << (sig == SIGINT ? "SIGINT" : "SIGTERM")
            << ", stopping (containers keep running)" << std::endl;
  controllers.Stop();
  // No new stream reaches a plugin that is going away.
  if (kubelet) kubelet->Stop();
  plugins.Shutdown();
  host.StopServices();
  return 0;
}

}  // namespace berth::cli
