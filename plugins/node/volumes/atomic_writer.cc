#include "volumes/atomic_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace berth::node {
namespace {

namespace fs = std::filesystem;

constexpr char kDataDir[] = "..data";
constexpr char kDataTmp[] = "..data_tmp";

Status Errno(const std::string& what, const std::string& path) {
  return Status::Internal(what + " " + path + ": " + std::strerror(errno));
}

Status ValidatePath(const std::string& path) {
  if (path.empty()) return Status::Invalid("invalid path: must not be empty");
  if (path[0] == '/') {
    return Status::Invalid("invalid path: must be relative path: " + path);
  }
  if (path.rfind("..", 0) == 0) {
    return Status::Invalid("invalid path: must not start with '..': " + path);
  }
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part == "..") {
      return Status::Invalid("invalid path: must not contain '..': " + path);
    }
  }
  return Status::Ok();
}

std::string FirstElement(const std::string& path) {
  return path.substr(0, path.find('/'));
}

// True when the published files equal `payload` (content and mode).
bool SameAsPublished(const std::string& dir, const Payload& payload) {
  char target[PATH_MAX];
  ssize_t n = readlink((dir + "/" + kDataDir).c_str(), target, sizeof target);
  if (n <= 0) return false;
  const std::string ts_dir = dir + "/" + std::string(target, n);
  std::set<std::string> published;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(ts_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      published.insert(fs::relative(it->path(), ts_dir, ec).string());
    }
  }
  if (published.size() != payload.size()) return false;
  for (const auto& [path, file] : payload) {
    if (!published.count(path)) return false;
    const std::string full = ts_dir + "/" + path;
    struct stat st;
    if (stat(full.c_str(), &st) != 0 || (st.st_mode & 07777) != file.mode) {
      return false;
    }
    std::ifstream in(full, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
    if (content != file.data) return false;
  }
  return true;
}

Status WriteFile(const std::string& path, const FileProjection& file) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("open", path);
  size_t off = 0;
  while (off < file.data.size()) {
    ssize_t w = write(fd, file.data.data() + off, file.data.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("write", path);
      close(fd);
      return s;
    }
    off += static_cast<size_t>(w);
  }
  // fchmod: the mode the pod asked for, whatever the umask.
  if (fchmod(fd, file.mode) != 0) {
    Status s = Errno("chmod", path);
    close(fd);
    return s;
  }
  close(fd);
  return Status::Ok();
}

std::string TimestampDirPrefix() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc;
  gmtime_r(&ts.tv_sec, &utc);
  char buf[64];
  strftime(buf, sizeof buf, "..%Y_%m_%d_%H_%M_%S.", &utc);
  return buf;
}

}  // namespace

Status WriteAtomically(const std::string& dir, const Payload& payload,
                       bool* changed) {
  if (changed) *changed = false;
  for (const auto& [path, file] : payload) {
    if (Status s = ValidatePath(path); !s.ok()) return s;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Status::Internal("mkdir " + dir + ": " + ec.message());
  }
  if (SameAsPublished(dir, payload)) return Status::Ok();

  char old_target[PATH_MAX];
  ssize_t n =
      readlink((dir + "/" + kDataDir).c_str(), old_target, sizeof old_target);
  const std::string old_ts = n > 0 ? std::string(old_target, n) : "";

  std::string tmpl = dir + "/" + TimestampDirPrefix() + "XXXXXX";
  if (!mkdtemp(tmpl.data())) return Errno("mkdtemp", tmpl);
  chmod(tmpl.c_str(), 0755);
  const std::string ts_name = fs::path(tmpl).filename().string();
  for (const auto& [path, file] : payload) {
    const fs::path full = fs::path(tmpl) / path;
    fs::create_directories(full.parent_path(), ec);
    if (ec) return Status::Internal("mkdir " + full.parent_path().string());
    if (Status s = WriteFile(full.string(), file); !s.ok()) return s;
  }

  // The swap: a new symlink renamed over ..data is one atomic step.
  const std::string tmp_link = dir + "/" + kDataTmp;
  unlink(tmp_link.c_str());
  if (symlink(ts_name.c_str(), tmp_link.c_str()) != 0) {
    return Errno("symlink", tmp_link);
  }
  if (rename(tmp_link.c_str(), (dir + "/" + kDataDir).c_str()) != 0) {
    return Errno("rename", tmp_link);
  }

  std::set<std::string> wanted;
  for (const auto& [path, file] : payload) wanted.insert(FirstElement(path));
  for (const auto& top : wanted) {
    const std::string link = dir + "/" + top;
    const std::string target = std::string(kDataDir) + "/" + top;
    char cur[PATH_MAX];
    ssize_t m = readlink(link.c_str(), cur, sizeof cur);
    if (m > 0 && std::string(cur, m) == target) continue;
    if (m < 0 && errno != ENOENT && errno != EINVAL) {
      return Errno("readlink", link);
    }
    const std::string tmp = link + ".tmp-link";
    unlink(tmp.c_str());
    if (symlink(target.c_str(), tmp.c_str()) != 0) return Errno("symlink", tmp);
    if (rename(tmp.c_str(), link.c_str()) != 0) return Errno("rename", tmp);
  }
  // Top-level names no longer published.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("..", 0) == 0 || wanted.count(name)) continue;
    if (entry.is_symlink(ec)) fs::remove(entry.path(), ec);
  }
  if (!old_ts.empty() && old_ts != ts_name) {
    fs::remove_all(fs::path(dir) / old_ts, ec);
  }
  if (changed) *changed = true;
  return Status::Ok();
}

}  // namespace berth::node
