#include "logs/log_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <thread>

#include "logs/cri_log.h"

namespace berth::node {
namespace {

constexpr size_t kChunk = 64 * 1024;

std::optional<bool> ParseBool(const std::string& v) {
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" ||
      v == "True") {
    return true;
  }
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" ||
      v == "False") {
    return false;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseInt(const std::string& v) {
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return n;
}

// The offset where the last `n` lines of the file start (tail).
off_t TailStart(int fd, int64_t n) {
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  off_t end = st.st_size;
  if (n <= 0) return end;
  off_t pos = end;
  int64_t newlines = 0;
  char buf[8192];
  bool last_char = true;
  while (pos > 0) {
    const off_t len = std::min<off_t>(pos, static_cast<off_t>(sizeof buf));
    pos -= len;
    if (pread(fd, buf, static_cast<size_t>(len), pos) != len) return 0;
    for (off_t i = len - 1; i >= 0; --i) {
      if (buf[i] == '\n') {
        // The newline ending the file closes the last line, not a line.
        if (last_char) {
          last_char = false;
          continue;
        }
        if (++newlines == n) return pos + i + 1;
      }
      last_char = false;
    }
  }
  return 0;
}

class Writer {
 public:
  Writer(const LogOptions& options, ResponseStream& out)
      : options_(options), out_(out) {
    if (options.limit_bytes) remain_ = *options.limit_bytes;
  }

  // False when the reader should stop (client gone or limit reached).
  bool Write(const CriLogRecord& r) {
    if (!options_.stream.empty() &&
        (options_.stream == "Stdout") != (r.stream == "stdout")) {
      return true;
    }
    if (options_.since_ns && r.time_ns < *options_.since_ns) return true;
    bool& line_start = line_start_[r.stream];
    std::string line;
    if (options_.timestamps && line_start) {
      line = FormatRfc3339Nano(r.time_ns) + " ";
    }
    line += r.text;
    if (!r.partial) line += '\n';
    line_start = !r.partial;
    if (remain_ >= 0 && static_cast<int64_t>(line.size()) > remain_) {
      line.resize(static_cast<size_t>(remain_));
    }
    if (!line.empty() && !out_.Write(line)) return false;
    if (remain_ >= 0) {
      remain_ -= static_cast<int64_t>(line.size());
      if (remain_ <= 0) return false;
    }
    return true;
  }

 private:
  const LogOptions& options_;
  ResponseStream& out_;
  int64_t remain_ = -1;  // -1: no limit
  std::map<std::string, bool> line_start_{{"stdout", true}, {"stderr", true}};
};

bool SameFile(int fd, const std::string& path) {
  struct stat a, b;
  if (fstat(fd, &a) != 0 || stat(path.c_str(), &b) != 0) return true;
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

}  // namespace

StatusOr<LogOptions> LogOptionsFromRequest(const ConnectRequest& request,
                                           int64_t now_ns) {
  LogOptions o;
  auto flag = [&](const char* key, bool* out) -> Status {
    if (auto v = request.Param(key)) {
      auto b = ParseBool(*v);
      if (!b) {
        return Status::BadRequest(std::string(key) + ": Invalid value: \"" +
                                  *v + "\": must be a boolean");
      }
      *out = *b;
    }
    return Status::Ok();
  };
  if (Status s = flag("follow", &o.follow); !s.ok()) return s;
  if (Status s = flag("timestamps", &o.timestamps); !s.ok()) return s;
  auto number = [&](const char* key) -> StatusOr<std::optional<int64_t>> {
    auto v = request.Param(key);
    if (!v) return std::optional<int64_t>();
    auto n = ParseInt(*v);
    if (!n) {
      return Status::BadRequest(std::string(key) + ": Invalid value: \"" + *v +
                                "\": must be an integer");
    }
    return std::optional<int64_t>(*n);
  };
  auto tail = number("tailLines");
  if (!tail.ok()) return tail.status();
  if (*tail && **tail < 0) {
    return Status::BadRequest(
        "tailLines: Invalid value: " + std::to_string(**tail) +
        ": must be greater than or equal to 0");
  }
  o.tail_lines = *tail;
  auto limit = number("limitBytes");
  if (!limit.ok()) return limit.status();
  if (*limit && **limit < 1) {
    return Status::BadRequest(
        "limitBytes: Invalid value: " + std::to_string(**limit) +
        ": must be greater than 0");
  }
  o.limit_bytes = *limit;
  auto since_seconds = number("sinceSeconds");
  if (!since_seconds.ok()) return since_seconds.status();
  auto since_time = request.Param("sinceTime");
  if (*since_seconds && since_time) {
    return Status::BadRequest(
        "at most one of `sinceTime` or `sinceSeconds` may be specified");
  }
  if (*since_seconds) {
    if (**since_seconds < 1) {
      return Status::BadRequest(
          "sinceSeconds: Invalid value: " + std::to_string(**since_seconds) +
          ": must be greater than 0");
    }
    o.since_ns = now_ns - **since_seconds * 1000000000;
  } else if (since_time) {
    auto t = ParseRfc3339(*since_time);
    if (!t) {
      return Status::BadRequest("sinceTime: Invalid value: \"" + *since_time +
                                "\": must be RFC 3339");
    }
    o.since_ns = *t;
  }
  if (auto stream = request.Param("stream")) {
    if (*stream != "Stdout" && *stream != "Stderr" && *stream != "All") {
      return Status::BadRequest("stream: Unsupported value: \"" + *stream +
                                "\": supported values: \"All\", \"Stdout\", "
                                "\"Stderr\"");
    }
    if (*stream != "All") o.stream = *stream;
  }
  return o;
}

Status ReadLogs(const std::string& path, const LogOptions& options,
                ResponseStream& out, const FollowControl& follow) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const std::string err = std::strerror(errno);
    std::string lower = err;
    if (!lower.empty()) lower[0] = static_cast<char>(std::tolower(lower[0]));
    const std::string message =
        "failed to open log file \"" + path + "\": open " + path + ": " + lower;
    return errno == ENOENT ? Status::NotFound(message)
                           : Status::Internal(message);
  }
  struct Closer {
    int* fd;
    ~Closer() {
      if (*fd >= 0) close(*fd);
    }
  } closer{&fd};

  off_t offset = options.tail_lines ? TailStart(fd, *options.tail_lines) : 0;
  Writer writer(options, out);
  std::string pending;  // bytes after the last newline read
  bool stopping = false;
  char buf[kChunk];
  while (true) {
    const ssize_t n = pread(fd, buf, sizeof buf, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Internal("failed to read log file \"" + path +
                              "\": " + std::strerror(errno));
    }
    if (n > 0) {
      offset += n;
      pending.append(buf, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos;
           start = nl + 1) {
        auto record = ParseCriLogLine(
            std::string_view(pending).substr(start, nl - start));
        if (record && !writer.Write(*record)) return Status::Ok();
      }
      pending.erase(0, start);
      continue;
    }
    // End of the file.
    if (!options.follow) {
      if (!pending.empty()) {
        if (auto record = ParseCriLogLine(pending)) writer.Write(*record);
      }
      return Status::Ok();
    }
    if (out.ClientGone()) return Status::Ok();
    if (!SameFile(fd, path)) {
      // Rotated: what was written to the old file is read; go on with the
      // new one from its start.
      int next = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (next >= 0) {
        close(fd);
        fd = next;
        offset = 0;
        pending.clear();
        continue;
      }
    }
    if (stopping) return Status::Ok();
    if (follow.container_running && !follow.container_running()) {
      stopping = true;  // one more look for what it wrote last
      continue;
    }
    std::this_thread::sleep_for(follow.poll);
  }
}

}  // namespace berth::node
