#include "plugins/runtime/oci/image/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace berth::oci {

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);  // closing the descriptor releases the lock
}

StatusOr<FileLock> FileLock::Acquire(const std::string& path, Mode mode) {
  FileLock lock;
  lock.fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd_ < 0) {
    return Status::Internal("cannot open lock " + path + ": " +
                            std::strerror(errno));
  }
  int op = mode == Mode::kShared ? LOCK_SH : LOCK_EX;
  while (flock(lock.fd_, op) != 0) {
    if (errno != EINTR) {
      return Status::Internal("cannot lock " + path + ": " +
                              std::strerror(errno));
    }
  }
  return lock;
}

}  // namespace berth::oci
