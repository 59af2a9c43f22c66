// Kubeconfig files: rendering the ones `berth server` writes for kubectl (one
// cluster, one user, one context, with all credentials inline as base64
// *-data fields so the file is self-contained), and reading any kubeconfig's
// current context back for Berth's own clients.
//
// Thread safety: stateless functions.
#ifndef BERTH_KERNEL_API_TLS_KUBECONFIG_H_
#define BERTH_KERNEL_API_TLS_KUBECONFIG_H_

#include <string>

#include "berth/status.h"

namespace berth::tls {

// A kubeconfig authenticating with a client certificate. The context is named
// after the cluster and is the current context. Arguments are PEM texts.
std::string RenderKubeconfig(const std::string& server_url,
                             const std::string& ca_pem,
                             const std::string& client_cert_pem,
                             const std::string& client_key_pem,
                             const std::string& cluster_name = "berth",
                             const std::string& user = "admin");

// The same with `token: <token>` (a bearer token) instead of a certificate.
std::string RenderTokenKubeconfig(const std::string& server_url,
                                  const std::string& ca_pem,
                                  const std::string& token,
                                  const std::string& cluster_name = "berth",
                                  const std::string& user = "admin");

// Writes a rendered kubeconfig with mode 0600 (it holds secrets), creating
// missing parent directories and replacing `path` atomically. Internal on
// failure.
Status WriteKubeconfig(const std::string& path, const std::string& kubeconfig);

// What a client needs from a kubeconfig's current context: where the server
// is and how to trust and authenticate to it. Credentials are PEM texts,
// whether the file held them inline (*-data) or named files (read relative
// to the kubeconfig's directory, as kubectl does).
struct KubeconfigCredentials {
  std::string server_url;  // "https://127.0.0.1:6443"
  std::string ca_pem;      // empty: verify against no CA (will fail)
  bool insecure_skip_verify = false;
  std::string client_cert_pem;  // with client_key_pem, or both empty
  std::string client_key_pem;
  std::string token;       // bearer token, or empty
  std::string namespace_;  // the context's namespace, or empty
};

// Reads the current context of a kubeconfig text. `base_dir` resolves
// relative certificate/key/token file paths. BadRequest naming the problem
// when the YAML is malformed, there is no current context, or the context
// names a cluster or user the file lacks; NotFound/Internal when a referenced
// file cannot be read.
StatusOr<KubeconfigCredentials> ParseKubeconfig(const std::string& text,
                                                const std::string& base_dir);

// ParseKubeconfig of the file at `path` (its directory is the base dir).
// NotFound when the file does not exist.
StatusOr<KubeconfigCredentials> ReadKubeconfig(const std::string& path);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_KUBECONFIG_H_
