// Request authentication: turns a TLS client certificate or an
// `Authorization: Bearer` header into a UserInfo, the way kube-apiserver's
// x509 and static-token authenticators do. Client certificates win over
// tokens. Every failure is Status::Unauthorized("Unauthorized"), the body a
// 401 metav1.Status carries.
//
// The user a connection's client certificate names is worked out on the
// connection's first request and kept on its OpenSSL connection object
// (ex_data freed with it), so later requests on a keep-alive connection do
// not parse the certificate again.
//
// Thread safety: all functions are safe to call concurrently; each request
// (and so each connection) is handled by one thread at a time.
#ifndef BERTH_KERNEL_API_TLS_AUTHN_H_
#define BERTH_KERNEL_API_TLS_AUTHN_H_

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/authentication.h"
#include "berth/status.h"
#include "kernel/api/tls/tokens.h"
#include "kernel/api/tls/user_info.h"

namespace berth::tls {

// The user a client certificate names: CN is the user, each O a group, plus
// system:authenticated. Does not verify the chain: the server Context
// (server_context.h) already refused any certificate the CA did not sign.
// Unauthorized if the subject has no CN.
StatusOr<UserInfo> UserFromCertificate(
    const Poco::Crypto::X509Certificate& cert);
StatusOr<UserInfo> UserFromX509(const X509* cert);

// Plugin token authenticators (berth/authentication.h), asked in order.
using PluginAuthenticators = std::vector<std::shared_ptr<Authenticator>>;

// The user of an `Authorization` header value "Bearer <token>" (scheme
// case-insensitive), plus system:authenticated: the static `tokens` first,
// then each of `plugins` until one accepts the token. Unauthorized if the
// header is not a bearer header or no authenticator knows the token.
StatusOr<UserInfo> UserFromBearer(const std::string& authorization_header,
                                  const TokenAuthenticator& tokens,
                                  const PluginAuthenticators& plugins = {});

// The certificate the client presented on the TLS connection `request` came
// in on; nullopt for plain-HTTP requests, requests without a client
// certificate, and requests not created by Poco's HTTPServer.
std::optional<Poco::Net::X509Certificate> PeerCertificate(
    Poco::Net::HTTPServerRequest& request);

// The whole chain for one request, in kube-apiserver's order: the peer
// certificate, then (if there is none or it names no user) the bearer token.
// Unauthorized when neither yields a user (including requests without
// credentials; the caller decides whether those become anonymous).
StatusOr<UserInfo> AuthenticateRequest(
    Poco::Net::HTTPServerRequest& request, const TokenAuthenticator& tokens,
    const PluginAuthenticators& plugins = {});

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_AUTHN_H_
