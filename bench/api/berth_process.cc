#include "bench/api/berth_process.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "kernel/api/tls/openssl_util.h"

namespace berth::bench {
namespace {

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace

StatusOr<double> PollUntil200(const std::string& host, int port,
                              const std::string& path,
                              std::chrono::steady_clock::time_point since,
                              ChildProcess* child,
                              std::chrono::seconds timeout) {
  static const auto no_verify = TlsClientConfig::Make({});
  if (!no_verify.ok()) return no_verify.status();
  const auto deadline = since + timeout;
  HttpsConnection conn(*no_verify, host, port);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = conn.Request("GET", path);
    if (r.ok() && r->status == 200) {
      return std::chrono::duration<double, std::milli>(
                 std::chrono::steady_clock::now() - since)
          .count();
    }
    if (child != nullptr && child->Exited()) {
      return Status::Unavailable("the process exited before it was ready");
    }
    // Tight, but leave the starting server the CPU it needs.
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return Status::Unavailable("not ready within " +
                             std::to_string(timeout.count()) + " s");
}

StatusOr<Endpoint> EndpointFromKubeconfig(const std::string& path) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    YAML::Node cluster = root["clusters"][0]["cluster"];
    YAML::Node user = root["users"][0]["user"];
    const std::string server = cluster["server"].as<std::string>();
    auto ca = tls::Base64Decode(
        cluster["certificate-authority-data"].as<std::string>());
    auto cert =
        tls::Base64Decode(user["client-certificate-data"].as<std::string>());
    auto key = tls::Base64Decode(user["client-key-data"].as<std::string>());
    if (!ca.ok() || !cert.ok() || !key.ok()) {
      return Status::Invalid(path + ": bad base64 in a *-data field");
    }
    // https://HOST:PORT
    const size_t colon = server.rfind(':');
    if (server.rfind("https://", 0) != 0 || colon < 8) {
      return Status::Invalid(path + ": unexpected server URL " + server);
    }
    Endpoint e;
    e.host = server.substr(8, colon - 8);
    e.port = std::atoi(server.c_str() + colon + 1);
    auto config = TlsClientConfig::Make({*ca, *cert, *key});
    if (!config.ok()) return config.status();
    e.tls = *config;
    return e;
  } catch (const YAML::Exception& ex) {
    return Status::Invalid(path + ": " + ex.what());
  }
}

StatusOr<std::unique_ptr<BerthProcess>> BerthProcess::Start(
    const std::string& binary, const std::string& data_dir,
    const std::vector<std::string>& extra_args,
    std::chrono::seconds ready_timeout) {
  auto port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  std::unique_ptr<BerthProcess> p(new BerthProcess());
  const std::string log = data_dir + ".log";
  const auto since = std::chrono::steady_clock::now();
  std::vector<std::string> argv = {binary,           "server",
                                   "--data-dir",     data_dir,
                                   "--port",         std::to_string(*port),
                                   "--bind-address", "127.0.0.1"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  // The shipped conf/berth.yaml runs a node on this machine; a bench that
  // names no config measures the control plane alone and touches nothing
  // of the host.
  if (std::find(extra_args.begin(), extra_args.end(), "--config") ==
      extra_args.end()) {
    argv.insert(argv.end(), {"--config", BERTH_CONTROL_PLANE_CONFIG});
  }
  auto child = ChildProcess::Spawn(argv, log);
  if (!child.ok()) return child.status();
  p->child_ = std::move(child).value();
  auto ready = PollUntil200("127.0.0.1", *port, "/readyz", since,
                            p->child_.get(), ready_timeout);
  if (!ready.ok()) {
    return Status::Unavailable("berth server: " + ready.status().message() +
                               "\n" + Tail(log));
  }
  p->ready_ms_ = *ready;
  // The ready line follows /readyz turning 200 by a moment.
  for (int i = 0; i < 200 && p->self_reported_ms_ < 0; ++i) {
    const std::string text = Tail(log);
    const size_t at = text.find("ready on ");
    const size_t in = at == std::string::npos ? at : text.find(" in ", at);
    if (in != std::string::npos) {
      p->self_reported_ms_ = std::atof(text.c_str() + in + 4);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  auto endpoint = EndpointFromKubeconfig(data_dir + "/admin.kubeconfig");
  if (!endpoint.ok()) return endpoint.status();
  p->endpoint_ = std::move(endpoint).value();
  return p;
}

}  // namespace berth::bench
