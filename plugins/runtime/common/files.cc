#include "files.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace berth::runtime {

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound(path + " does not exist");
    return Status::Internal("cannot read " + path + ": " + strerror(errno));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      ec);
  std::string tmp = path + ".tmp." + std::to_string(getpid()) + "." +
                    std::to_string(gettid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Internal("cannot write " + tmp + ": " + strerror(errno));
  }
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      unlink(tmp.c_str());
      return Status::Internal("cannot write " + tmp + ": " + strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  fsync(fd);
  close(fd);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    return Status::Internal("cannot rename to " + path + ": " + strerror(e));
  }
  return Status::Ok();
}

std::optional<long long> ReadIntFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return std::nullopt;
  try {
    size_t used = 0;
    long long v = std::stoll(*text, &used);
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

bool ProcessAlive(int pid) {
  if (pid <= 0) return false;
  if (kill(pid, 0) != 0 && errno == ESRCH) return false;
  auto stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return false;
  // The state letter follows the last ')' (the command may contain one).
  size_t close = stat->rfind(')');
  if (close == std::string::npos || close + 2 >= stat->size()) return false;
  char state = (*stat)[close + 2];
  return state != 'Z' && state != 'X';
}

bool ProcessCmdlineContains(int pid, const std::string& needle) {
  auto cmdline = ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
  if (!cmdline.ok()) return false;
  std::string text = *cmdline;
  for (char& c : text) {
    if (c == '\0') c = ' ';
  }
  return text.find(needle) != std::string::npos;
}

std::string FormatRfc3339Nano(std::chrono::system_clock::time_point t) {
  long long ns = ToUnixNanos(t);
  time_t secs = static_cast<time_t>(ns / 1000000000LL);
  long frac = static_cast<long>(ns % 1000000000LL);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[96];
  snprintf(out, sizeof(out), "%s.%09ldZ", buf, frac);
  return out;
}

long long ToUnixNanos(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             t.time_since_epoch())
      .count();
}

std::chrono::system_clock::time_point FromUnixNanos(long long ns) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(ns)));
}

}  // namespace berth::runtime
