#include "kernel/api/tls/kubeconfig.h"

#include <yaml-cpp/yaml.h>

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

}  // namespace

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
