#include "kernel/api/tls/openssl_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace berth::tls {

namespace {

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

StatusOr<std::shared_ptr<X509>> ParseCertificatePem(const std::string& pem) {
  OpenSslPtr<BIO> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert =
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (cert == nullptr) {
    return Status::Invalid("invalid PEM certificate: " + OpenSslErrors());
  }
  return std::shared_ptr<X509>(cert, X509_free);
}

StatusOr<std::shared_ptr<EVP_PKEY>> ParsePrivateKeyPem(const std::string& pem) {
  OpenSslPtr<BIO> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
          : nullptr;
  if (key == nullptr) {
    return Status::Invalid("invalid PEM private key: " + OpenSslErrors());
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::string CertificateToPem(X509* cert) {
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return BioContents(bio.get());
}

std::string PrivateKeyToPem(EVP_PKEY* key) {
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                           nullptr);
  return BioContents(bio.get());
}

std::string Base64Encode(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

StatusOr<std::string> Base64Decode(const std::string& text) {
  if (text.size() % 4 != 0)
    return Status::Invalid("base64 length not a multiple of 4");
  std::string out(3 * (text.size() / 4) + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return Status::Invalid("invalid base64");
  // EVP_DecodeBlock counts the bytes that padding stands for; drop them.
  size_t len = static_cast<size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() > 1 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

}  // namespace berth::tls
