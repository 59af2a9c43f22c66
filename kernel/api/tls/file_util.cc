#include "kernel/api/tls/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace berth::tls {

namespace {

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::Internal(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    return Status::NotFound("no such file: " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoStatus("cannot open", path);
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return ErrnoStatus("cannot read", path);
  return out.str();
}

Status WriteFileAtomically(const std::string& path, const std::string& data,
                           mode_t mode) {
  std::filesystem::path target(path);
  if (target.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) {
      return Status::Internal("cannot create directory " +
                              target.parent_path().string() + ": " +
                              ec.message());
    }
  }
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoStatus("cannot create", tmp);
  // open() honours the umask and keeps the mode of a leftover temporary file;
  // fchmod makes the final permissions exactly `mode` either way.
  if (::fchmod(fd, mode) != 0) {
    Status s = ErrnoStatus("cannot chmod", tmp);
    ::close(fd);
    return s;
  }
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = ErrnoStatus("cannot write", tmp);
      ::close(fd);
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = ErrnoStatus("cannot fsync", tmp);
    ::close(fd);
    return s;
  }
  if (::close(fd) != 0) return ErrnoStatus("cannot close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return ErrnoStatus("cannot rename onto", path);
  }
  return Status::Ok();
}

}  // namespace berth::tls
