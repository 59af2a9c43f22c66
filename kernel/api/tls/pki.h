// The cluster PKI: one self-signed CA under DATA_DIR/pki/ that signs the API
// server's serving certificate and client certificates. A client
// certificate's subject is its identity: CN is the user name, every O a group
// (the Kubernetes x509 convention, so kubectl's kubeconfigs just work).
//
// Files (PEM; keys are unencrypted PKCS#8 EC P-256, mode 0600):
//   ca.crt ca.key           CA, valid 10 years
//   server.crt server.key   serving cert, serverAuth, valid 1 year
//   admin.crt admin.key     CN=admin O=system:masters, clientAuth, 1 year
//   apiserver-kubelet-client.crt .key
//                           CN=kube-apiserver-kubelet-client
//                           O=system:masters, clientAuth, 1 year: what the
//                           API server presents to a node's kubelet port
//
// Thread safety: the functions are safe to call concurrently from threads of
// one process except EnsurePki, which must not race with another EnsurePki on
// the same directory (call it once at server start).
#ifndef BERTH_KERNEL_API_TLS_PKI_H_
#define BERTH_KERNEL_API_TLS_PKI_H_

#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::tls {

// Where every PKI file is; each path is DATA_DIR (as given) + /pki/<file>.
struct PkiPaths {
  std::string dir;  // DATA_DIR/pki
  std::string ca_cert;
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
  std::string admin_cert;
  std::string admin_key;
  std::string kubelet_client_cert;
  std::string kubelet_client_key;
};

// The identity the API server presents to kubelet ports, as kubeadm names it.
inline constexpr char kKubeletClientUser[] = "kube-apiserver-kubelet-client";
inline constexpr char kKubeletClientGroup[] = "system:masters";

// A certificate and its private key, both PEM.
struct CertAndKey {
  std::string cert_pem;
  std::string key_pem;
};

// The paths EnsurePki uses under `data_dir`, without touching the disk.
PkiPaths PkiPathsFor(const std::string& data_dir);

// The subjectAltNames the serving certificate must carry: 127.0.0.1, ::1,
// localhost, this machine's hostname, then `extra_sans` (each an IPv4/IPv6
// literal or a DNS name), without duplicates.
std::vector<std::string> ServingSans(
    const std::vector<std::string>& extra_sans);

// Creates the PKI on first start and reuses it afterwards. An existing CA is
// never replaced (every issued credential depends on it). The serving
// certificate is reissued when it lacks one of ServingSans(extra_sans), does
// not match its key or the CA, or expires within 90 days; the admin
// certificate likewise except for SANs. Returns Internal when the directory
// cannot be written or only half of the CA (cert without key or the reverse)
// exists, Invalid when an existing CA file cannot be parsed.
StatusOr<PkiPaths> EnsurePki(const std::string& data_dir,
                             const std::vector<std::string>& extra_sans);

// A new client certificate (clientAuth, 1 year) and key signed by the CA of
// `pki`, subject O=<each group>, CN=<cn>. Nothing is written to disk; the
// caller owns the key. Invalid if `cn` is empty; Internal/NotFound if the CA
// cannot be read.
StatusOr<CertAndKey> IssueClientCert(const PkiPaths& pki, const std::string& cn,
                                     const std::vector<std::string>& groups);

// A self-signed serving certificate (serverAuth, 1 year) for `cn` and
// `sans` at cert_path/key_path, as a kubelet makes for its port when no CA
// signs one: an existing pair is kept when it matches its key, carries every
// SAN and is not about to expire, else a new one is written. Internal when
// the files cannot be written.
Status EnsureSelfSignedServingCert(const std::string& cert_path,
                                   const std::string& key_path,
                                   const std::string& cn,
                                   const std::vector<std::string>& sans);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_PKI_H_
