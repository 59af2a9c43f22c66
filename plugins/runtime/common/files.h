// Files: the small file operations the runtimes keep their state with —
// whole-file reads, atomic whole-file writes (temp file + rename, so a
// reader never sees half a record, even across a crash) and process
// liveness checks by pid.
//
// Thread safety: free functions; safe from any thread.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_FILES_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_FILES_H_

#include <chrono>
#include <optional>
#include <string>

#include "berth/status.h"

namespace berth::runtime {

// The whole file, or NotFound when it does not exist (Internal otherwise).
StatusOr<std::string> ReadFile(const std::string& path);
// Replaces `path` with `data` atomically; creates missing parent dirs.
Status WriteFileAtomic(const std::string& path, const std::string& data);
// A decimal integer stored in a file, or nullopt when absent or garbled.
std::optional<long long> ReadIntFile(const std::string& path);

// True when `pid` is a live (not zombie) process.
bool ProcessAlive(int pid);
// The first argv entry's base name of `pid` and whether argv contains
// `needle`; used to make sure a pid read from disk still is our process.
bool ProcessCmdlineContains(int pid, const std::string& needle);

// "2026-11-22T05:41:36.123456789Z".
std::string FormatRfc3339Nano(std::chrono::system_clock::time_point t);
// Nanoseconds since the epoch, as stored in state files.
long long ToUnixNanos(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point FromUnixNanos(long long ns);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_FILES_H_
