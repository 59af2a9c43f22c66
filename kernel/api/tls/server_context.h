// Poco TLS contexts built from the cluster PKI: the API server's (serving
// certificate, optional client-certificate authentication) and a client's
// (for tests and the `berth` CLI).
//
// Wiring into Poco's HTTPServer:
//   auto ctx = MakeServerContext(pki);            // StatusOr<Context::Ptr>
//   Poco::Net::SecureServerSocket socket(
//       Poco::Net::SocketAddress("0.0.0.0", 6443), 64, *ctx);
//   Poco::Net::HTTPServer server(factory, socket, params);
// and in a request handler, AuthenticateRequest(request, tokens) (authn.h).
//
// Thread safety: building a context is thread-safe; a built Context is
// shared read-only by every connection.
#ifndef BERTH_KERNEL_API_TLS_SERVER_CONTEXT_H_
#define BERTH_KERNEL_API_TLS_SERVER_CONTEXT_H_

#include <Poco/Net/Context.h>

#include <string>

#include "berth/status.h"
#include "kernel/api/tls/pki.h"

namespace berth::tls {

// TLS 1.2 or newer, serving server.crt/server.key, ALPN "http/1.1" (kubectl's
// WebSocket and SPDY upgrades need HTTP/1.1, and Go would pick h2 if
// offered). A client certificate is requested but optional, so bearer-token
// clients connect too; one that is presented must chain to ca.crt or the
// handshake fails. Poco's own certificate callbacks (which can prompt on
// the console) are bypassed. Internal if a file cannot be loaded.
StatusOr<Poco::Net::Context::Ptr> MakeServerContext(const PkiPaths& pki);

// A client context trusting only `ca_file` and, when `cert_file` and
// `key_file` are given, presenting that client certificate. The server
// certificate must chain to the CA; Poco additionally checks the host name
// against it for non-loopback peers. Internal if a file cannot be loaded.
StatusOr<Poco::Net::Context::Ptr> MakeClientContext(
    const std::string& ca_file, const std::string& cert_file = "",
    const std::string& key_file = "");

// The same from PEM texts, as a kubeconfig carries them inline: `ca_pem`
// may hold several certificates; `cert_pem`/`key_pem` are both empty or
// both set. `skip_verify` (kubeconfig insecure-skip-tls-verify) accepts any
// server certificate. Invalid if a PEM does not parse, BadRequest if the CA
// text holds no certificate or the key does not match the certificate,
// Internal if the context cannot be built.
StatusOr<Poco::Net::Context::Ptr> MakeClientContextFromPem(
    const std::string& ca_pem, const std::string& cert_pem,
    const std::string& key_pem, bool skip_verify = false);

// The API server's client context for nodes' kubelet ports: presents
// `cert_pem`/`key_pem` (the kubelet-client certificate), accepts any
// serving certificate (kubelets serve self-signed ones; kube-apiserver
// without --kubelet-certificate-authority does not verify them either), and
// records each connection's SSL* so a proxied connection can be taken over
// (accepted_ssl.h). Errors as MakeClientContextFromPem.
StatusOr<Poco::Net::Context::Ptr> MakeKubeletClientContext(
    const std::string& cert_pem, const std::string& key_pem);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_SERVER_CONTEXT_H_
