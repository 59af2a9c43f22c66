#include "kernel/cli/cli_connection.h"

#include <cstdlib>
#include <filesystem>

#include "kernel/api/tls/kubeconfig.h"
#include "kernel/cli/data_dir.h"
#include "kernel/client/discovery_client.h"

namespace berth::cli {

std::string KubeconfigPath(const Flags& flags) {
  if (flags.Has("kubeconfig")) return flags.Get("kubeconfig");
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::string list = env;
    return list.substr(0, list.find(':'));
  }
  return DefaultDataDir() + "/admin.kubeconfig";
}

StatusOr<CliConnection> Connect(const Flags& flags) {
  std::string path = KubeconfigPath(flags);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("kubeconfig " + path +
                            " does not exist; start `berth server` or pass "
                            "--kubeconfig");
  }
  auto credentials = tls::ReadKubeconfig(path);
  if (!credentials.ok()) {
    // A certificate or key file it names may be what is missing.
    return Status(credentials.status().code(),
                  path + ": " + credentials.status().message());
  }
  auto transport = client::ApiTransport::Create(*credentials);
  if (!transport.ok()) return transport.status();
  CliConnection c;
  c.client =
      std::make_unique<client::RemoteClient>(std::move(transport).value());
  auto resources = client::DiscoverResources(c.client->transport());
  if (!resources.ok()) return resources.status();
  c.mapper.emplace(std::move(resources).value());
  std::string ns = flags.Get("namespace", flags.Get("n"));
  c.namespace_from_flag = !ns.empty();
  if (ns.empty()) ns = credentials->namespace_;
  c.default_namespace = ns.empty() ? "default" : ns;
  return c;
}

std::string ServerErrorLine(const Status& s, const std::string& doing,
                            const std::string& file) {
  if (s.code() == Status::Code::kUnavailable &&
      s.message().rfind("cannot reach", 0) == 0) {
    return "error: " + s.message();
  }
  if (s.code() == Status::Code::kInvalid) return "The " + s.message();
  std::string line =
      std::string("Error from server (") + StatusReason(s.code()) + "): ";
  if (!doing.empty()) line += "error when " + doing + " \"" + file + "\": ";
  return line + s.message();
}

}  // namespace berth::cli
