// BlobStore: the content-addressed blobs of the image store,
// <root>/blobs/sha256/<hex>. A blob is written to a temporary file, its
// sha256 checked against the digest it is stored under, then renamed into
// place, so a blob that exists is always complete and correct. Writers of
// the same blob serialize on <root>/locks/<hex>.lock; the second finds the
// blob present and does not fetch it again.
//
// Thread safety: every method may be called from many threads and
// processes at once.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_BLOB_STORE_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_BLOB_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::oci {

class BlobStore {
 public:
  // Does not touch the disk; Init creates the directories.
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  Status Init() const;

  // <root>/blobs/sha256/<hex> (whether or not it exists).
  std::string Path(const std::string& digest) const;
  bool Has(const std::string& digest) const;
  // Size in bytes, 0 when absent.
  uint64_t Size(const std::string& digest) const;

  // Stores the blob `digest` unless present: `fill` writes it to the
  // temporary path it is given. Invalid when the written content does not
  // hash to `digest` (the temporary file is removed); fill's own error
  // otherwise.
  Status Ensure(
      const std::string& digest,
      const std::function<Status(const std::string& tmp_path)>& fill) const;
  // Stores bytes; returns their digest.
  StatusOr<std::string> PutBytes(const std::string& data) const;
  // Reads a (small) blob, verifying its digest. NotFound when absent,
  // Invalid when its content no longer matches.
  StatusOr<std::string> Read(const std::string& digest) const;
  // Every stored digest.
  std::vector<std::string> List() const;
  // Removes the blob (no error when absent).
  void Remove(const std::string& digest) const;

 private:
  std::string root_;
};

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_BLOB_STORE_H_
