// FileLock: an flock(2) on a lock file, held for the object's lifetime.
// Each FileLock opens its own descriptor, so it excludes other threads of
// this process as well as other processes.
//
// Thread safety: one owner.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_FILE_LOCK_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_FILE_LOCK_H_

#include <string>

#include "berth/status.h"

namespace berth::oci {

class FileLock {
 public:
  enum class Mode { kShared, kExclusive };
  FileLock() = default;
  ~FileLock();
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;

  // Creates `path` when missing and blocks until the lock is held.
  // Internal when the file cannot be opened.
  static StatusOr<FileLock> Acquire(const std::string& path, Mode mode);

 private:
  int fd_ = -1;
};

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_FILE_LOCK_H_
