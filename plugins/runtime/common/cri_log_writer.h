// CriLogWriter: writes a container's stdout and stderr to its log file in
// the CRI format the node agent and `kubectl logs` read:
//   "<RFC3339Nano> <stdout|stderr> <F|P> <text>\n"
// one record per line; a line longer than kMaxLineBytes is cut into partial
// ("P") records ended by a full ("F") one. Each stream keeps its own
// unfinished line, so interleaved writes never mix within a record.
//
// Thread safety: not synchronized; the shim drives it from one thread.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_CRI_LOG_WRITER_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_CRI_LOG_WRITER_H_

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "berth/status.h"

namespace berth::runtime {

// One CRI log record (with its trailing newline).
std::string FormatCriLine(std::chrono::system_clock::time_point t,
                          std::string_view stream, bool partial,
                          std::string_view text);

class CriLogWriter {
 public:
  static constexpr size_t kMaxLineBytes = 16 * 1024;

  CriLogWriter() = default;
  ~CriLogWriter();
  CriLogWriter(const CriLogWriter&) = delete;
  CriLogWriter& operator=(const CriLogWriter&) = delete;

  // Opens `path` for appending (creating it and its directory). Internal
  // when it cannot be opened; the writer then drops output until Reopen
  // succeeds.
  Status Open(const std::string& path);
  // Closes and opens the same path again (after the agent rotated it).
  Status Reopen();
  // Adds output of `stream` ("stdout" or "stderr"); complete lines are
  // written at once.
  void Write(std::string_view stream, std::string_view data);
  // Writes any unfinished lines as full records (the stream ended).
  void Flush();

 private:
  void Emit(std::string_view stream, bool partial, std::string_view text);

  std::string path_;
  FILE* file_ = nullptr;
  std::string pending_out_;
  std::string pending_err_;
};

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_CRI_LOG_WRITER_H_
