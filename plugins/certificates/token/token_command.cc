#include "plugins/certificates/token/token_command.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <sstream>

#include "berth/json.h"
#include "kernel/api/tls/ca_cert_hash.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/openssl_util.h"
#include "kernel/cli/cli_connection.h"
#include "kernel/cli/flags.h"
#include "kernel/client/remote_client.h"
#include "plugins/certificates/token/bootstrap_token.h"
#include "plugins/certificates/token/node_bootstrap.h"

namespace berth::certificates {

namespace {

using cli::Flags;
using cli::ParseFlags;
using cli::ServerErrorLine;

const ResourceRef kSecrets{"", "v1", "secrets"};
constexpr char kNamespace[] = "kube-system";
constexpr char kSecretType[] = "bootstrap.kubernetes.io/token";
constexpr char kUsage[] =
    "usage: berth token create [--ttl 24h] [--description TEXT] "
    "[--groups G1,G2] [--print-join-command [--server URL]]\n"
    "       berth token list\n"
    "       berth token delete ID|TOKEN...\n"
    "each takes --kubeconfig FILE or --data-dir DIR (its admin.kubeconfig)\n"
    "       berth token join --server URL --token TOKEN --node-name NAME\n"
    "         --out FILE (--ca-cert-hash sha256:HEX |\n"
    "         --discovery-token-unsafe-skip-ca-verification) [--timeout 5m]\n";

int Fail(const std::string& line) {
  std::cerr << "berth token: " << line << "\n";
  return 1;
}

std::string AdminKubeconfig(const Flags& flags) {
  if (!flags.Has("kubeconfig") && flags.Has("data-dir")) {
    return flags.Get("data-dir") + "/admin.kubeconfig";
  }
  return KubeconfigPath(flags);
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

int Create(const Flags& flags, Client& client,
           const tls::KubeconfigCredentials& creds) {
  auto ttl = ParseDuration(flags.Get("ttl", "24h"));
  if (!ttl.ok()) return Fail(ttl.status().message());
  std::vector<std::string> groups =
      SplitCommas(flags.Get("groups", kDefaultBootstrapGroup));
  // Ids are random; a clash with an existing token is retried.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto token = GenerateBootstrapToken();
    if (!token.ok()) return Fail(token.status().message());
    auto secret =
        BootstrapTokenSecret(*token, *ttl, flags.Get("description"), groups,
                             std::chrono::system_clock::now());
    if (!secret.ok()) return Fail(secret.status().message());
    auto created = client.Create(kSecrets, kNamespace, *secret);
    if (!created.ok() && created.status().code() == Status::Code::kConflict) {
      continue;
    }
    if (!created.ok()) return Fail(ServerErrorLine(created.status()));
    const std::string value = token->id + "." + token->secret;
    if (!flags.Has("print-join-command")) {
      std::cout << value << "\n";
      return 0;
    }
    auto hash = tls::CaCertHash(creds.ca_pem);
    if (!hash.ok()) {
      return Fail("the kubeconfig's CA: " + hash.status().message());
    }
    std::cout << "berth agent --server "
              << flags.Get("server", creds.server_url) << " --token " << value
              << " --ca-cert-hash " << *hash << "\n";
    return 0;
  }
  return Fail("could not find a free token id");
}

std::string Decoded(const Json& secret, const char* key) {
  std::string b64 = GetString(secret, {"data", key});
  auto text = tls::Base64Decode(b64);
  return text.ok() ? *text : "";
}

std::string Ttl(const std::string& expiration) {
  if (expiration.empty()) return "<forever>";
  std::tm tm{};
  if (strptime(expiration.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) {
    return "<invalid>";
  }
  long left = static_cast<long>(timegm(&tm) - std::time(nullptr));
  if (left <= 0) return "<invalid>";
  if (left >= 3600) return std::to_string(left / 3600) + "h";
  if (left >= 60) return std::to_string(left / 60) + "m";
  return std::to_string(left) + "s";
}

// Columns padded to their widest cell plus three spaces, as kubeadm's
// tabwriter prints them.
std::string FormatColumns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size())
        out += std::string(width[c] - row[c].size() + 3, ' ');
    }
    out += "\n";
  }
  return out;
}

int List(Client& client) {
  auto list = client.List(kSecrets, kNamespace);
  if (!list.ok()) return Fail(ServerErrorLine(list.status()));
  auto doc = ParseJson(*list);
  if (!doc.ok()) return Fail(doc.status().message());
  std::vector<std::vector<std::string>> rows = {
      {"TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"}};
  if (const Json* items = Member(*doc, "items"); items && items->IsArray()) {
    for (const Json& s : items->GetArray()) {
      if (GetString(s, {"type"}) != kSecretType) continue;
      std::string usages;
      for (const char* u : {"authentication", "signing"}) {
        if (Decoded(s, (std::string("usage-bootstrap-") + u).c_str()) ==
            "true") {
          usages += (usages.empty() ? "" : ",") + std::string(u);
        }
      }
      std::string expiration = Decoded(s, "expiration");
      rows.push_back(
          {Decoded(s, "token-id") + "." + Decoded(s, "token-secret"),
           Ttl(expiration), expiration.empty() ? "<never>" : expiration,
           usages.empty() ? "<none>" : usages,
           Decoded(s, "description").empty() ? "<none>"
                                             : Decoded(s, "description"),
           Decoded(s, "auth-extra-groups")});
    }
  }
  std::cout << FormatColumns(rows);
  return 0;
}

int Delete(const Flags& flags, Client& client) {
  if (flags.positional.size() < 2) {
    std::cerr << kUsage;
    return 2;
  }
  int rc = 0;
  for (size_t i = 1; i < flags.positional.size(); ++i) {
    std::string id = flags.positional[i];
    if (auto parts = ParseBootstrapToken(id)) id = parts->id;
    Status s = client.Delete(kSecrets, kNamespace, "bootstrap-token-" + id);
    if (!s.ok()) {
      std::cerr << ServerErrorLine(s) << "\n";
      rc = 1;
      continue;
    }
    std::cout << "bootstrap token \"" << id << "\" deleted\n";
  }
  return rc;
}

// The machine side: exchanges the token for the node's kubeconfig at
// --out (node_bootstrap.h). `berth agent --server --token` runs this.
int Join(const Flags& flags) {
  for (const char* required : {"server", "token", "node-name", "out"}) {
    if (!flags.Has(required)) {
      std::cerr << "berth token: join needs --" << required << "\n" << kUsage;
      return 2;
    }
  }
  // `berth agent` runs this and may be stopped while it waits for the
  // approval: end with the parent instead of polling on alone. The agent
  // names itself in BERTH_JOIN_PARENT, so a parent that died before the
  // request took effect is noticed too.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (const char* parent = getenv("BERTH_JOIN_PARENT");
      parent != nullptr && getppid() != std::atoi(parent)) {
    return 1;
  }
  NodeBootstrapOptions options;
  options.server_url = flags.Get("server");
  options.token = flags.Get("token");
  options.ca_cert_hash = flags.Get("ca-cert-hash");
  options.insecure_skip_ca_verification =
      flags.Has("discovery-token-unsafe-skip-ca-verification");
  options.node_name = flags.Get("node-name");
  options.kubeconfig_path = flags.Get("out");
  if (flags.Has("timeout")) {
    auto timeout = ParseDuration(flags.Get("timeout"));
    if (!timeout.ok()) return Fail(timeout.status().message());
    options.timeout = *timeout;
  }
  auto path = BootstrapNodeCredentials(options);
  if (!path.ok()) {
    std::cerr << "berth token: join " << options.server_url << " as node "
              << options.node_name << ": " << path.status().message() << "\n";
    // The caller may retry a server that does not answer yet.
    return path.status().code() == Status::Code::kUnavailable
               ? kJoinUnavailableExit
               : 1;
  }
  std::cout << "node " << options.node_name << " joined " << options.server_url
            << ": credentials in " << *path << "\n";
  return 0;
}

}  // namespace

int RunToken(const std::vector<std::string>& args) {
  auto flags_or = ParseFlags(
      args,
      {"ttl", "description", "groups", "kubeconfig", "data-dir", "server",
       "token", "ca-cert-hash", "node-name", "out", "timeout"},
      {"print-join-command", "discovery-token-unsafe-skip-ca-verification"});
  if (!flags_or.ok()) {
    std::cerr << "berth token: " << flags_or.status().message() << "\n"
              << kUsage;
    return 2;
  }
  const Flags& flags = *flags_or;
  const std::string verb =
      flags.positional.empty() ? "" : flags.positional.front();
  if (verb == "join") return Join(flags);
  if (verb != "create" && verb != "list" && verb != "delete") {
    std::cerr << kUsage;
    return 2;
  }
  const std::string path = AdminKubeconfig(flags);
  auto creds = tls::ReadKubeconfig(path);
  if (!creds.ok()) return Fail(path + ": " + creds.status().message());
  auto transport = client::ApiTransport::Create(*creds);
  if (!transport.ok()) return Fail(transport.status().message());
  client::RemoteClient client(std::move(transport).value());
  if (verb == "create") return Create(flags, client, *creds);
  if (verb == "list") return List(client);
  return Delete(flags, client);
}

}  // namespace berth::certificates
