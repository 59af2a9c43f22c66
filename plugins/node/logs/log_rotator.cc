#include "logs/log_rotator.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace berth::node {
namespace {

namespace fs = std::filesystem;

Status Errno(const std::string& what, const std::string& path) {
  return Status::Internal(what + " " + path + ": " + std::strerror(errno));
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// The number of "<log>.<n>", or -1.
int RotationNumber(const std::string& suffix) {
  if (suffix.empty() || suffix.size() > 6) return -1;
  for (char c : suffix) {
    if (c < '0' || c > '9') return -1;
  }
  return std::stoi(suffix);
}

// "<log>.YYYYMMDD-hhmmss" optionally followed by ".<n>" for a second
// rotation within the same second.
bool IsTimestampSuffix(const std::string& suffix) {
  if (suffix.size() < 15 || suffix[8] != '-') return false;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (suffix[i] < '0' || suffix[i] > '9')) return false;
  }
  return suffix.size() == 15 ||
         (suffix[15] == '.' && RotationNumber(suffix.substr(16)) >= 0);
}

}  // namespace

LogRotator::LogRotator(LogRotation options, NowFn now)
    : options_(options), now_(std::move(now)) {
  if (options_.max_files < 2) options_.max_files = 2;
  if (!now_) now_ = [] { return std::chrono::system_clock::now(); };
}

std::vector<std::string> LogRotator::RotatedFiles(
    const std::string& log_path) const {
  const fs::path p(log_path);
  const std::string prefix = p.filename().string() + ".";
  std::vector<std::pair<std::string, int>> found;  // name, number
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(p.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string suffix = name.substr(prefix.size());
    if (options_.naming == LogRotation::Naming::kNumbered) {
      const int n = RotationNumber(suffix);
      if (n > 0) found.emplace_back(e.path().string(), n);
    } else if (IsTimestampSuffix(suffix)) {
      found.emplace_back(e.path().string(), 0);
    }
  }
  if (options_.naming == LogRotation::Naming::kNumbered) {
    // Oldest first: the highest number.
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
  } else {
    std::sort(found.begin(), found.end());
  }
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.first));
  return out;
}

StatusOr<bool> LogRotator::RotateIfNeeded(const std::string& log_path,
                                          const ReopenFn& reopen) {
  struct stat st;
  if (stat(log_path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return Errno("stat", log_path);
  }
  if (st.st_size < options_.max_size_bytes) return false;

  // Room for the file about to be rotated: keep max_files - 2 old ones.
  std::vector<std::string> rotated = RotatedFiles(log_path);
  const size_t keep = static_cast<size_t>(options_.max_files - 2);
  while (rotated.size() > keep) {
    if (unlink(rotated.front().c_str()) != 0 && errno != ENOENT) {
      return Errno("remove", rotated.front());
    }
    rotated.erase(rotated.begin());
  }

  std::string target;
  if (options_.naming == LogRotation::Naming::kNumbered) {
    // rotated is oldest first: shift from the highest number down.
    for (const auto& old : rotated) {
      const int n = RotationNumber(old.substr(log_path.size() + 1));
      const std::string next = log_path + "." + std::to_string(n + 1);
      if (rename(old.c_str(), next.c_str()) != 0) return Errno("rename", old);
    }
    target = log_path + ".1";
  } else {
    const time_t t = std::chrono::system_clock::to_time_t(now_());
    tm utc;
    gmtime_r(&t, &utc);
    char buf[32];
    strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &utc);
    target = log_path + "." + buf;
    // Two rotations in one second must not overwrite the first.
    for (int i = 1; Exists(target); ++i) {
      target = log_path + "." + buf + "." + std::to_string(i);
    }
  }
  if (rename(log_path.c_str(), target.c_str()) != 0) {
    return Errno("rename", log_path);
  }
  if (reopen) {
    Status s = reopen();
    if (!s.ok()) {
      // The runtime still writes to the renamed file: put it back where
      // readers look.
      if (rename(target.c_str(), log_path.c_str()) != 0) {
        return Status::Internal(s.message() + "; and renaming " + target +
                                " back failed: " + std::strerror(errno));
      }
      return s;
    }
  }
  return true;
}

}  // namespace berth::node
