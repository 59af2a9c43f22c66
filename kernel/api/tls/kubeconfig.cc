#include "kernel/api/tls/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/openssl_util.h"

namespace berth::tls {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Render(const std::string& server_url, const std::string& ca_pem,
                   const Fields& user_fields, const std::string& cluster_name,
                   const std::string& user) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "kind" << YAML::Value << "Config";
  out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq
      << YAML::BeginMap << YAML::Key << "name" << YAML::Value << cluster_name
      << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap << YAML::Key
      << "server" << YAML::Value << server_url << YAML::Key
      << "certificate-authority-data" << YAML::Value << Base64Encode(ca_pem)
      << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq << YAML::BeginMap
      << YAML::Key << "name" << YAML::Value << user << YAML::Key << "user"
      << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : user_fields) {
    out << YAML::Key << key << YAML::Value << value;
  }
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq
      << YAML::BeginMap << YAML::Key << "name" << YAML::Value << cluster_name
      << YAML::Key << "context" << YAML::Value << YAML::BeginMap << YAML::Key
      << "cluster" << YAML::Value << cluster_name << YAML::Key << "user"
      << YAML::Value << user << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "current-context" << YAML::Value << cluster_name;
  out << YAML::Key << "preferences" << YAML::Value << YAML::Flow
      << YAML::BeginMap << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

// The entry of `list` (clusters, users, contexts) called `name`, whose body
// is under `field`; a null node when absent.
YAML::Node NamedEntry(const YAML::Node& list, const std::string& name,
                      const char* field) {
  if (!list.IsSequence()) return YAML::Node();
  for (const auto& entry : list) {
    if (entry["name"] && entry["name"].as<std::string>() == name) {
      return entry[field];
    }
  }
  return YAML::Node();
}

std::string Scalar(const YAML::Node& map, const char* key) {
  if (!map.IsMap() || !map[key] || !map[key].IsScalar()) return "";
  return map[key].as<std::string>();
}

// The PEM of `<key>-data` (base64) or of the file named by `<key>`; "" when
// neither is set.
StatusOr<std::string> InlineOrFile(const YAML::Node& map,
                                   const std::string& key,
                                   const std::string& base_dir) {
  std::string data = Scalar(map, (key + "-data").c_str());
  if (!data.empty()) {
    auto decoded = Base64Decode(data);
    if (!decoded.ok()) {
      return Status::BadRequest("kubeconfig: " + key +
                                "-data is not valid base64");
    }
    return decoded;
  }
  std::string file = Scalar(map, key.c_str());
  if (file.empty()) return std::string();
  std::filesystem::path path(file);
  if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
  return ReadFileToString(path.string());
}

}  // namespace

StatusOr<KubeconfigCredentials> ParseKubeconfig(const std::string& text,
                                                const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::BadRequest("kubeconfig is not valid YAML: " +
                              std::string(e.what()));
  }
  if (!root.IsMap()) return Status::BadRequest("kubeconfig is not a map");
  std::string context_name = Scalar(root, "current-context");
  if (context_name.empty()) {
    return Status::BadRequest("kubeconfig has no current-context");
  }
  YAML::Node context = NamedEntry(root["contexts"], context_name, "context");
  if (!context.IsMap()) {
    return Status::BadRequest("kubeconfig: context \"" + context_name +
                              "\" not found");
  }
  std::string cluster_name = Scalar(context, "cluster");
  YAML::Node cluster = NamedEntry(root["clusters"], cluster_name, "cluster");
  if (!cluster.IsMap() || Scalar(cluster, "server").empty()) {
    return Status::BadRequest("kubeconfig: cluster \"" + cluster_name +
                              "\" not found or has no server");
  }
  KubeconfigCredentials c;
  c.server_url = Scalar(cluster, "server");
  c.insecure_skip_verify =
      Scalar(cluster, "insecure-skip-tls-verify") == "true";
  c.namespace_ = Scalar(context, "namespace");
  auto ca = InlineOrFile(cluster, "certificate-authority", base_dir);
  if (!ca.ok()) return ca.status();
  c.ca_pem = *ca;
  std::string user_name = Scalar(context, "user");
  YAML::Node user = NamedEntry(root["users"], user_name, "user");
  if (!user_name.empty() && !user.IsMap()) {
    return Status::BadRequest("kubeconfig: user \"" + user_name +
                              "\" not found");
  }
  if (user.IsMap()) {
    auto cert = InlineOrFile(user, "client-certificate", base_dir);
    if (!cert.ok()) return cert.status();
    auto key = InlineOrFile(user, "client-key", base_dir);
    if (!key.ok()) return key.status();
    c.client_cert_pem = *cert;
    c.client_key_pem = *key;
    c.token = Scalar(user, "token");
    if (c.token.empty() && !Scalar(user, "tokenFile").empty()) {
      auto token = InlineOrFile(user, "tokenFile", base_dir);
      if (!token.ok()) return token.status();
      c.token = *token;
      while (!c.token.empty() &&
             (c.token.back() == '\n' || c.token.back() == '\r')) {
        c.token.pop_back();
      }
    }
  }
  if (c.client_cert_pem.empty() != c.client_key_pem.empty()) {
    return Status::BadRequest(
        "kubeconfig: client-certificate and client-key must be given together");
  }
  return c;
}

StatusOr<KubeconfigCredentials> ReadKubeconfig(const std::string& path) {
  auto text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  return ParseKubeconfig(*text,
                         std::filesystem::path(path).parent_path().string());
}

std::string RenderKubeconfig(const std::string& server_url,
                             const std::string& ca_pem,
                             const std::string& client_cert_pem,
                             const std::string& client_key_pem,
                             const std::string& cluster_name,
                             const std::string& user) {
  return Render(server_url, ca_pem,
                {{"client-certificate-data", Base64Encode(client_cert_pem)},
                 {"client-key-data", Base64Encode(client_key_pem)}},
                cluster_name, user);
}

std::string RenderTokenKubeconfig(const std::string& server_url,
                                  const std::string& ca_pem,
                                  const std::string& token,
                                  const std::string& cluster_name,
                                  const std::string& user) {
  return Render(server_url, ca_pem, {{"token", token}}, cluster_name, user);
}

Status WriteKubeconfig(const std::string& path, const std::string& kubeconfig) {
  return WriteFileAtomically(path, kubeconfig, 0600);
}

}  // namespace berth::tls
