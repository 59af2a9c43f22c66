#include "volumes/host_path.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace berth::node {
namespace {

// The file type the kubelet's hostutil.GetFileType sees (stat follows
// symlinks), or -1 when the path does not exist.
int FileType(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & S_IFMT);
}

Status Failed(const std::string& path, const char* what) {
  return Status::Invalid("hostPath type check failed: " + path + " is not " +
                         what);
}

}  // namespace

Status CheckHostPathType(const std::string& path, const std::string& type) {
  const int t = FileType(path);
  if (type.empty()) return Status::Ok();
  if (type == "DirectoryOrCreate") {
    if (t < 0) {
      std::error_code ec;
      std::filesystem::create_directories(path, ec);
      if (ec) return Status::Internal("mkdir " + path + ": " + ec.message());
      chmod(path.c_str(), 0755);
      return Status::Ok();
    }
    return t == S_IFDIR ? Status::Ok() : Failed(path, "a directory");
  }
  if (type == "Directory") {
    return t == S_IFDIR ? Status::Ok() : Failed(path, "a directory");
  }
  if (type == "FileOrCreate") {
    if (t < 0) {
      int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
      if (fd < 0 && errno != EEXIST) {
        return Status::Internal("open " + path + ": " + std::strerror(errno));
      }
      if (fd >= 0) close(fd);
      return Status::Ok();
    }
    return t == S_IFREG ? Status::Ok() : Failed(path, "a file");
  }
  if (type == "File") {
    return t == S_IFREG ? Status::Ok() : Failed(path, "a file");
  }
  if (type == "Socket") {
    return t == S_IFSOCK ? Status::Ok() : Failed(path, "a socket file");
  }
  if (type == "CharDevice") {
    return t == S_IFCHR ? Status::Ok() : Failed(path, "a character device");
  }
  if (type == "BlockDevice") {
    return t == S_IFBLK ? Status::Ok() : Failed(path, "a block device");
  }
  return Status::Invalid(type + " is an invalid volume type");
}

}  // namespace berth::node
