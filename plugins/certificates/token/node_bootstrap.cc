#include "plugins/certificates/token/node_bootstrap.h"

#include <filesystem>
#include <thread>

#include "berth/json.h"
#include "kernel/api/tls/ca_cert_hash.h"
#include "kernel/api/tls/certificate_request.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/openssl_util.h"
#include "kernel/client/api_transport.h"
#include "kernel/client/remote_client.h"

namespace berth::certificates {

namespace {

using client::ApiRequest;
using client::ApiTransport;
using client::RemoteClient;

const ResourceRef kCsrs{"certificates.k8s.io", "v1",
                        "certificatesigningrequests"};
constexpr char kKubeletSigner[] = "kubernetes.io/kube-apiserver-client-kubelet";
constexpr auto kPollInterval = std::chrono::milliseconds(500);

// A kubeconfig left by an earlier run that still reads and holds a client
// certificate.
bool UsableKubeconfig(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  auto creds = tls::ReadKubeconfig(path);
  return creds.ok() && !creds->client_cert_pem.empty() &&
         !creds->client_key_pem.empty();
}

StatusOr<std::string> FetchCa(const NodeBootstrapOptions& o) {
  tls::KubeconfigCredentials anonymous;
  anonymous.server_url = o.server_url;
  // Nothing is trusted yet: the CA is checked against the hash below.
  anonymous.insecure_skip_verify = true;
  auto transport = ApiTransport::Create(anonymous, 1);
  if (!transport.ok()) return transport.status();
  auto ca = (*transport)
                ->Call(ApiRequest::Bodiless("GET", "/cacerts",
                                            "application/x-pem-file, */*"));
  if (!ca.ok()) return ca.status();
  if (o.ca_cert_hash.empty()) return *ca;
  auto matches = tls::CaCertHashMatches(*ca, o.ca_cert_hash);
  if (!matches.ok()) return matches.status();
  if (!*matches) {
    auto have = tls::CaCertHash(*ca);
    return Status::Forbidden(
        "the server's CA (" + (have.ok() ? *have : std::string("unparsable")) +
        ") does not match --ca-cert-hash " + o.ca_cert_hash);
  }
  return *ca;
}

std::string CsrObject(const std::string& node_name,
                      const std::string& request_pem) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "certificates.k8s.io/v1", a);
  SetString(d, "kind", "CertificateSigningRequest", a);
  SetString(EnsureObject(d, "metadata", a), "generateName",
            "node-csr-" + node_name + "-", a);
  Json& spec = EnsureObject(d, "spec", a);
  SetString(spec, "request", tls::Base64Encode(request_pem), a);
  SetString(spec, "signerName", kKubeletSigner, a);
  Json usages(rapidjson::kArrayType);
  for (const char* u : {"digital signature", "key encipherment", "client auth"})
    usages.PushBack(Json(u, a), a);
  SetMember(spec, "usages", std::move(usages), a);
  return ToJson(d);
}

// The issued certificate PEM, "" while pending, or why it never will be.
StatusOr<std::string> IssuedCertificate(const Json& csr) {
  if (const Json* conds = Find(csr, {"status", "conditions"});
      conds && conds->IsArray()) {
    for (const Json& c : conds->GetArray()) {
      const std::string type = GetString(c, {"type"});
      if (type == "Denied" || type == "Failed") {
        return Status::Forbidden("certificate signing request " +
                                 GetString(csr, {"metadata", "name"}) + " " +
                                 (type == "Denied" ? "was denied" : "failed") +
                                 ": " + GetString(c, {"message"}));
      }
    }
  }
  const std::string cert = GetString(csr, {"status", "certificate"});
  if (cert.empty()) return std::string();
  return tls::Base64Decode(cert);
}

}  // namespace

StatusOr<std::string> BootstrapNodeCredentials(const NodeBootstrapOptions& o) {
  if (o.server_url.empty() || o.token.empty() || o.node_name.empty() ||
      o.kubeconfig_path.empty()) {
    return Status::Invalid(
        "bootstrap needs a server URL, a token, a node name and a "
        "kubeconfig path");
  }
  if (UsableKubeconfig(o.kubeconfig_path)) return o.kubeconfig_path;
  if (o.ca_cert_hash.empty() && !o.insecure_skip_ca_verification) {
    return Status::Invalid(
        "no --ca-cert-hash: pass the hash `berth token create "
        "--print-join-command` prints, or --insecure-skip-ca-verification");
  }
  auto ca = FetchCa(o);
  if (!ca.ok()) return ca.status();

  tls::KubeconfigCredentials with_token;
  with_token.server_url = o.server_url;
  with_token.ca_pem = *ca;
  with_token.token = o.token;
  auto transport = ApiTransport::Create(with_token, 1);
  if (!transport.ok()) return transport.status();
  RemoteClient client(std::move(transport).value());

  const std::string user = "system:node:" + o.node_name;
  auto request = tls::MakeCertificateRequest(user, {"system:nodes"});
  if (!request.ok()) return request.status();
  auto created =
      client.Create(kCsrs, "", CsrObject(o.node_name, request->cert_pem));
  if (!created.ok()) return created.status();
  auto created_doc = ParseJson(*created);
  if (!created_doc.ok()) return created_doc.status();
  const std::string name = GetString(*created_doc, {"metadata", "name"});

  const auto deadline = std::chrono::steady_clock::now() + o.timeout;
  std::string cert_pem;
  while (true) {
    auto got = client.Get(kCsrs, "", name);
    if (!got.ok()) return got.status();
    auto doc = ParseJson(*got);
    if (!doc.ok()) return doc.status();
    auto cert = IssuedCertificate(*doc);
    if (!cert.ok()) return cert.status();
    if (!cert->empty()) {
      cert_pem = std::move(cert).value();
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Timeout("certificate signing request " + name +
                             " was not issued within " +
                             std::to_string(o.timeout.count()) + " s");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  Status s = tls::WriteKubeconfig(
      o.kubeconfig_path,
      tls::RenderKubeconfig(o.server_url, *ca, cert_pem, request->key_pem,
                            "berth", user));
  if (!s.ok()) return s;
  return o.kubeconfig_path;
}

}  // namespace berth::certificates
