#include "kernel/api/tls/authn.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <strings.h>

#include <algorithm>

#include "kernel/api/tls/accepted_ssl.h"

namespace berth::tls {

namespace {

Status Unauthorized() { return Status::Unauthorized("Unauthorized"); }

std::string EntryText(const X509_NAME_ENTRY* entry) {
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
  if (len < 0) return "";
  std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return text;
}

void FreeCachedUser(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/,
                    int /*idx*/, long /*argl*/, void* /*argp*/) {
  delete static_cast<UserInfo*>(ptr);
}

// The ex_data slot on SSL objects that holds the certificate user.
int CachedUserIndex() {
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeCachedUser);
  return index;
}

// The certificate user of the TLS connection `request` came in on, from the
// connection's cache or parsed and cached now; nullopt when the connection
// is not one whose SSL object is known (then the Poco path decides) or has
// no client certificate.
std::optional<StatusOr<UserInfo>> CachedCertificateUser(
    Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return std::nullopt;
  Poco::Net::Socket& socket = impl->socket();
  if (dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) ==
      nullptr) {
    return std::nullopt;
  }
  SSL* ssl = AcceptedSslForFd(socket.impl()->sockfd());
  if (ssl == nullptr) return std::nullopt;
  const int index = CachedUserIndex();
  if (index < 0) return std::nullopt;
  if (auto* cached = static_cast<UserInfo*>(SSL_get_ex_data(ssl, index))) {
    return StatusOr<UserInfo>(*cached);
  }
  const X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return std::nullopt;
  if (SSL_get_verify_result(ssl) != X509_V_OK) {
    return StatusOr<UserInfo>(Unauthorized());
  }
  StatusOr<UserInfo> user = UserFromX509(cert);
  if (user.ok()) SSL_set_ex_data(ssl, index, new UserInfo(*user));
  return user;
}

void AddAuthenticatedGroup(UserInfo& user) {
  if (std::find(user.groups.begin(), user.groups.end(), kAuthenticatedGroup) ==
      user.groups.end()) {
    user.groups.push_back(kAuthenticatedGroup);
  }
}

}  // namespace

StatusOr<UserInfo> UserFromCertificate(
    const Poco::Crypto::X509Certificate& cert) {
  return UserFromX509(cert.certificate());
}

StatusOr<UserInfo> UserFromX509(const X509* cert) {
  if (cert == nullptr) return Unauthorized();
  const X509_NAME* subject = X509_get_subject_name(cert);
  if (subject == nullptr) return Unauthorized();
  UserInfo user;
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    if (nid == NID_commonName && user.name.empty()) {
      user.name = EntryText(entry);
    } else if (nid == NID_organizationName) {
      user.groups.push_back(EntryText(entry));
    }
  }
  if (user.name.empty()) return Unauthorized();
  AddAuthenticatedGroup(user);
  return user;
}

StatusOr<UserInfo> UserFromBearer(const std::string& authorization_header,
                                  const TokenAuthenticator& tokens,
                                  const PluginAuthenticators& plugins) {
  static constexpr char kScheme[] = "bearer";
  constexpr size_t kSchemeLen = sizeof(kScheme) - 1;
  const std::string& h = authorization_header;
  if (h.size() <= kSchemeLen ||
      strncasecmp(h.c_str(), kScheme, kSchemeLen) != 0 ||
      h[kSchemeLen] != ' ') {
    return Unauthorized();
  }
  size_t begin = h.find_first_not_of(' ', kSchemeLen);
  size_t end = h.find_last_not_of(" \t\r\n");
  if (begin == std::string::npos || end < begin) return Unauthorized();
  const std::string_view token =
      std::string_view(h).substr(begin, end - begin + 1);
  StatusOr<UserInfo> user = tokens.Authenticate(token);
  for (size_t i = 0; !user.ok() && i < plugins.size(); ++i) {
    if (std::optional<UserInfo> u = plugins[i]->AuthenticateToken(token)) {
      user = std::move(*u);
    }
  }
  if (!user.ok()) return user;
  AddAuthenticatedGroup(*user);
  return user;
}

std::optional<Poco::Net::X509Certificate> PeerCertificate(
    Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return std::nullopt;
  Poco::Net::StreamSocket& socket = impl->socket();
  // Checked first because the SecureStreamSocket constructor throws on a
  // plain socket.
  if (dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) ==
      nullptr) {
    return std::nullopt;
  }
  try {
    Poco::Net::SecureStreamSocket secure(socket);
    // The request has been read, so the lazy server-side handshake is done
    // and the peer certificate is known; no completeHandshake() needed.
    if (!secure.havePeerCertificate()) return std::nullopt;
    return secure.peerCertificate();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

StatusOr<UserInfo> AuthenticateRequest(Poco::Net::HTTPServerRequest& request,
                                       const TokenAuthenticator& tokens,
                                       const PluginAuthenticators& plugins) {
  if (std::optional<StatusOr<UserInfo>> user = CachedCertificateUser(request)) {
    return std::move(*user);
  }
  if (std::optional<Poco::Net::X509Certificate> cert =
          PeerCertificate(request)) {
    return UserFromCertificate(*cert);
  }
  // A copy: get() returns a reference to its default argument when absent.
  const std::string authorization =
      request.get(Poco::Net::HTTPRequest::AUTHORIZATION, "");
  if (authorization.empty()) return Unauthorized();
  return UserFromBearer(authorization, tokens, plugins);
}

}  // namespace berth::tls
