// OpenSSL plumbing shared by the TLS module: owning pointers for OpenSSL
// objects, PEM conversion, base64 and error text.
//
// Thread safety: stateless functions; OpenSSL 3 is safe to call from many
// threads. An owned object is used by one thread at a time.
#ifndef BERTH_KERNEL_API_TLS_OPENSSL_UTIL_H_
#define BERTH_KERNEL_API_TLS_OPENSSL_UTIL_H_

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "berth/status.h"

namespace berth::tls {

struct OpenSslFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(ASN1_OCTET_STRING* p) const { ASN1_OCTET_STRING_free(p); }
};

template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree>;

// Drains OpenSSL's thread-local error queue into one line ("" if empty).
std::string OpenSslErrors();

// The first certificate / private key in a PEM text. Invalid on bad input.
StatusOr<std::shared_ptr<X509>> ParseCertificatePem(const std::string& pem);
StatusOr<std::shared_ptr<EVP_PKEY>> ParsePrivateKeyPem(const std::string& pem);

// PEM text of a certificate / of a private key (unencrypted PKCS#8).
std::string CertificateToPem(X509* cert);
std::string PrivateKeyToPem(EVP_PKEY* key);

// Standard base64 (RFC 4648, with padding, no line breaks) and its inverse.
// Base64Decode returns Invalid on characters outside the alphabet.
std::string Base64Encode(const std::string& data);
StatusOr<std::string> Base64Decode(const std::string& text);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_OPENSSL_UTIL_H_
