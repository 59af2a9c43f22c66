// Kubeconfig files for kubectl: one cluster, one user, one context, with all
// credentials inline (base64 *-data fields) so the file is self-contained.
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

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_KUBECONFIG_H_
