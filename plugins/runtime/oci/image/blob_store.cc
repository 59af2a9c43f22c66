#include "plugins/runtime/oci/image/blob_store.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plugins/runtime/oci/image/file_lock.h"
#include "plugins/runtime/oci/image/sha256.h"

namespace berth::oci {
namespace fs = std::filesystem;

namespace {

// A name no other writer (thread or process) uses at the same time.
std::string TempName(const std::string& dir, const std::string& hex) {
  static std::atomic<uint64_t> counter{0};
  return dir + "/.tmp-" + hex.substr(0, 16) + "-" + std::to_string(getpid()) +
         "-" + std::to_string(counter.fetch_add(1));
}

}  // namespace

Status BlobStore::Init() const {
  std::error_code ec;
  fs::create_directories(root_ + "/blobs/sha256", ec);
  if (!ec) fs::create_directories(root_ + "/locks", ec);
  if (ec) {
    return Status::Internal("cannot create image store " + root_ + ": " +
                            ec.message());
  }
  return Status::Ok();
}

std::string BlobStore::Path(const std::string& digest) const {
  return root_ + "/blobs/sha256/" + DigestHex(digest);
}

bool BlobStore::Has(const std::string& digest) const {
  std::error_code ec;
  return IsSha256Digest(digest) && fs::is_regular_file(Path(digest), ec);
}

uint64_t BlobStore::Size(const std::string& digest) const {
  std::error_code ec;
  auto n = fs::file_size(Path(digest), ec);
  return ec ? 0 : n;
}

Status BlobStore::Ensure(
    const std::string& digest,
    const std::function<Status(const std::string& tmp_path)>& fill) const {
  if (!IsSha256Digest(digest)) {
    return Status::Invalid("unsupported digest \"" + digest + "\"");
  }
  if (Has(digest)) return Status::Ok();
  std::string hex = DigestHex(digest);
  auto lock = FileLock::Acquire(root_ + "/locks/" + hex + ".lock",
                                FileLock::Mode::kExclusive);
  if (!lock.ok()) return lock.status();
  if (Has(digest)) return Status::Ok();  // another writer finished it
  std::string tmp = TempName(root_ + "/blobs/sha256", hex);
  std::error_code ec;
  Status st = fill(tmp);
  if (st.ok()) {
    auto got = Sha256File(tmp);
    if (!got.ok()) {
      st = got.status();
    } else if (*got != hex) {
      st = Status::Invalid("digest mismatch: expected " + digest +
                           ", content is sha256:" + *got);
    }
  }
  if (!st.ok()) {
    fs::remove(tmp, ec);
    return st;
  }
  fs::rename(tmp, Path(digest), ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::Internal("cannot store blob " + digest + ": " +
                            ec.message());
  }
  return Status::Ok();
}

StatusOr<std::string> BlobStore::PutBytes(const std::string& data) const {
  std::string digest = "sha256:" + Sha256Hex(data);
  Status st = Ensure(digest, [&](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    return out ? Status::Ok() : Status::Internal("cannot write " + tmp);
  });
  if (!st.ok()) return st;
  return digest;
}

StatusOr<std::string> BlobStore::Read(const std::string& digest) const {
  std::ifstream in(Path(digest), std::ios::binary);
  if (!IsSha256Digest(digest) || !in) {
    return Status::NotFound("blob " + digest + " not in the image store");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  if ("sha256:" + Sha256Hex(data) != digest) {
    return Status::Invalid("blob " + digest + " is corrupt");
  }
  return data;
}

std::vector<std::string> BlobStore::List() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root_ + "/blobs/sha256", ec)) {
    std::string d = "sha256:" + e.path().filename().string();
    if (IsSha256Digest(d)) out.push_back(d);
  }
  return out;
}

void BlobStore::Remove(const std::string& digest) const {
  std::error_code ec;
  if (IsSha256Digest(digest)) fs::remove(Path(digest), ec);
}

}  // namespace berth::oci
