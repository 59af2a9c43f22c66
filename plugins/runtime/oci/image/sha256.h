// Sha256: streaming SHA-256 (OpenSSL) for content digests, and the
// "sha256:<hex>" digest strings OCI uses.
//
// Thread safety: a Sha256 is used by one thread; the free functions are
// thread-safe.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_SHA256_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_SHA256_H_

#include <memory>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::oci {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  // Lowercase hex of the digest; the hasher is spent afterwards.
  std::string FinishHex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// Hex SHA-256 of bytes.
std::string Sha256Hex(std::string_view data);
// Hex SHA-256 of a file's content; NotFound/Internal when it cannot be
// read.
StatusOr<std::string> Sha256File(const std::string& path);

// True for "sha256:" followed by 64 lowercase hex digits.
bool IsSha256Digest(std::string_view digest);
// The hex part of a valid digest ("" otherwise).
std::string DigestHex(std::string_view digest);

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_SHA256_H_
