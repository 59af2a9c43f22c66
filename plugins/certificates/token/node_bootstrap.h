// Node TLS bootstrap, the client half (kubelet's --bootstrap-kubeconfig
// flow, with kubeadm's CA pinning): a machine that holds only a bootstrap
// token gets its own client certificate, CN=system:node:<name> in
// O=system:nodes, and a kubeconfig that uses it.
//
//  1. GET /cacerts without credentials and check the CA against the
//     --ca-cert-hash the admin gave (ca_cert_hash.h); without a hash the
//     CA is trusted only if the caller explicitly skips the check.
//  2. Make a key and a certificate request, and create a
//     certificates.k8s.io/v1 CertificateSigningRequest for signer
//     kubernetes.io/kube-apiserver-client-kubelet with the token, over TLS
//     verified by that CA.
//  3. Wait until the server (the certificates plugin's approver and signer)
//     has issued the certificate; write the kubeconfig (mode 0600).
//
// A kubeconfig already at the output path is reused: the exchange runs once.
//
// Thread safety: a free function; concurrent calls for the same path race
// (the last write wins, each result is a complete file).
#ifndef BERTH_PLUGINS_CERTIFICATES_TOKEN_NODE_BOOTSTRAP_H_
#define BERTH_PLUGINS_CERTIFICATES_TOKEN_NODE_BOOTSTRAP_H_

#include <chrono>
#include <string>

#include "berth/status.h"

namespace berth::certificates {

struct NodeBootstrapOptions {
  std::string server_url;  // "https://10.0.0.1:6443"
  std::string token;       // "<id>.<secret>" from `berth token create`
  // "sha256:<hex>" from `berth token create --print-join-command`.
  std::string ca_cert_hash;
  // Trust whatever CA the server sends when no hash is given (a man in the
  // middle could then take the token): the caller's explicit choice.
  bool insecure_skip_ca_verification = false;
  std::string node_name;        // the Node this machine registers
  std::string kubeconfig_path;  // where the node's kubeconfig is written
  // How long to wait for the certificate after the request was created.
  std::chrono::seconds timeout{300};
};

// Returns the kubeconfig path. Errors: Invalid for missing options or a
// malformed hash; Forbidden when the CA does not match the hash or the
// request was denied or failed; Unauthorized when the server refuses the
// token; Unavailable when the server cannot be reached; Timeout when no
// certificate came in time; Internal when the file cannot be written.
StatusOr<std::string> BootstrapNodeCredentials(
    const NodeBootstrapOptions& options);

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_TOKEN_NODE_BOOTSTRAP_H_
