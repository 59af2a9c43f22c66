#include "kernel/api/tls/server_context.h"

#include <Poco/Exception.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "kernel/api/tls/accepted_ssl.h"
#include "kernel/api/tls/openssl_util.h"

namespace berth::tls {

namespace {

constexpr char kCipherList[] = "HIGH:!aNULL:!MD5:!RC4:!3DES";
constexpr unsigned char kSessionIdContext[] = "berth-apiserver";

// Poco 1.11 has no ALPN API, so the selection callback is set on the raw
// SSL_CTX. A client that offers no http/1.1 gets no ALPN answer at all and
// the connection goes on as HTTP/1.1, which is what such clients assume.
int SelectHttp11(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                 const unsigned char* in, unsigned int inlen, void* arg) {
  static constexpr unsigned char kProtos[] = {8,   'h', 't', 't', 'p',
                                              '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kProtos, sizeof(kProtos), in,
                            inlen) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// A client that sends no signature_algorithms extension, such as busybox
// wget's own TLS (what a busybox pod uses to reach the API), may only be
// answered with a SHA-1 handshake signature (RFC 5246 7.4.1.4.1). OpenSSL 3
// refuses those at every security level above 0, while Go's crypto/tls, and
// so kube-apiserver, answers such a client. Only those connections get level
// 0; the cipher list and TLS 1.2 minimum still hold. A client that sends the
// extension keeps the default level, and the Finished messages cover the
// extension, so no one can strip it to push a client down.
int AllowSha1SignaturesWhenNoneOffered(SSL* ssl, int* alert, void* arg) {
  const unsigned char* ext = nullptr;
  size_t ext_len = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_signature_algorithms, &ext,
                                &ext_len) == 0) {
    SSL_set_security_level(ssl, 0);
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

// Poco's verify callback hands a failed chain to the process-wide
// SSLManager's InvalidCertificateHandler, whose configured default is
// ConsoleCertificateHandler (it asks on stdin). Without a callback OpenSSL's
// verdict is final and no global state is involved.
void UseOpenSslVerification(Poco::Net::Context& ctx) {
  SSL_CTX_set_verify(ctx.sslContext(), SSL_VERIFY_PEER, nullptr);
}

}  // namespace

StatusOr<Poco::Net::Context::Ptr> MakeServerContext(const PkiPaths& pki) {
  try {
    Poco::Net::Context::Params params;
    params.privateKeyFile = pki.server_key;
    params.certificateFile = pki.server_cert;
    params.caLocation = pki.ca_cert;
    // RELAXED on a server is SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT:
    // the certificate is requested, verified if sent, and optional.
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = false;
    params.cipherList = kCipherList;
    Poco::Net::Context::Ptr ctx =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Otherwise Poco matches the *client's* certificate against the client's
    // IP address after the handshake and drops every non-loopback client.
    ctx->enableExtendedCertificateVerification(false);
    UseOpenSslVerification(*ctx);
    SSL_CTX* ssl = ctx->sslContext();
    // Tells clients which CA to pick a certificate for.
    STACK_OF(X509_NAME)* ca_names =
        SSL_load_client_CA_file(pki.ca_cert.c_str());
    if (ca_names == nullptr) {
      return Status::Internal("cannot read CA names from " + pki.ca_cert +
                              ": " + OpenSslErrors());
    }
    SSL_CTX_set_client_CA_list(ssl, ca_names);
    // OpenSSL refuses to resume sessions of verified peers without one.
    SSL_CTX_set_session_id_context(ssl, kSessionIdContext,
                                   sizeof(kSessionIdContext) - 1);
    SSL_CTX_set_alpn_select_cb(ssl, SelectHttp11, nullptr);
    SSL_CTX_set_client_hello_cb(ssl, AllowSha1SignaturesWhenNoneOffered,
                                nullptr);
    // One read(2) per TLS record instead of two (header, then body).
    SSL_CTX_set_read_ahead(ssl, 1);
    // Watches leave Poco for the fan-out writer, which needs the SSL*.
    TrackAcceptedSsl(ssl);
    return ctx;
  } catch (const Poco::Exception& e) {
    return Status::Internal("cannot build TLS server context: " +
                            e.displayText());
  }
}

StatusOr<Poco::Net::Context::Ptr> MakeClientContext(
    const std::string& ca_file, const std::string& cert_file,
    const std::string& key_file) {
  try {
    Poco::Net::Context::Params params;
    params.caLocation = ca_file;
    params.certificateFile = cert_file;
    params.privateKeyFile = key_file;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = false;
    params.cipherList = kCipherList;
    Poco::Net::Context::Ptr ctx =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    UseOpenSslVerification(*ctx);
    return ctx;
  } catch (const Poco::Exception& e) {
    return Status::Internal("cannot build TLS client context: " +
                            e.displayText());
  }
}

StatusOr<Poco::Net::Context::Ptr> MakeClientContextFromPem(
    const std::string& ca_pem, const std::string& cert_pem,
    const std::string& key_pem, bool skip_verify) {
  Poco::Net::Context::Ptr ctx;
  try {
    Poco::Net::Context::Params params;
    params.verificationMode = skip_verify ? Poco::Net::Context::VERIFY_NONE
                                          : Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = false;
    params.cipherList = kCipherList;
    ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  } catch (const Poco::Exception& e) {
    return Status::Internal("cannot build TLS client context: " +
                            e.displayText());
  }
  SSL_CTX* ssl = ctx->sslContext();
  if (skip_verify) {
    ctx->enableExtendedCertificateVerification(false);
    SSL_CTX_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
  } else {
    UseOpenSslVerification(*ctx);
    // A bundle may hold several CA certificates; each one is trusted.
    OpenSslPtr<BIO> bio(
        BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())));
    X509_STORE* store = SSL_CTX_get_cert_store(ssl);
    int added = 0;
    while (X509* cert =
               PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      OpenSslPtr<X509> owned(cert);
      if (X509_STORE_add_cert(store, cert) == 1) ++added;
    }
    ERR_clear_error();  // the loop ends on a "no start line" error
    if (added == 0) {
      return Status::BadRequest(
          "the certificate authority data holds no PEM certificate");
    }
  }
  if (!cert_pem.empty()) {
    auto cert = ParseCertificatePem(cert_pem);
    if (!cert.ok()) return cert.status();
    auto key = ParsePrivateKeyPem(key_pem);
    if (!key.ok()) return key.status();
    if (SSL_CTX_use_certificate(ssl, cert->get()) != 1 ||
        SSL_CTX_use_PrivateKey(ssl, key->get()) != 1 ||
        SSL_CTX_check_private_key(ssl) != 1) {
      return Status::BadRequest(
          "the client certificate and key do not match: " + OpenSslErrors());
    }
  }
  return ctx;
}

StatusOr<Poco::Net::Context::Ptr> MakeKubeletClientContext(
    const std::string& cert_pem, const std::string& key_pem) {
  auto ctx = MakeClientContextFromPem("", cert_pem, key_pem,
                                      /*skip_verify=*/true);
  if (!ctx.ok()) return ctx.status();
  TrackAcceptedSsl((*ctx)->sslContext());
  return ctx;
}

}  // namespace berth::tls
