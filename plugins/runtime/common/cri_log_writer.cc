#include "cri_log_writer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "files.h"

namespace berth::runtime {

std::string FormatCriLine(std::chrono::system_clock::time_point t,
                          std::string_view stream, bool partial,
                          std::string_view text) {
  std::string line = FormatRfc3339Nano(t);
  line += ' ';
  line += stream;
  line += partial ? " P " : " F ";
  line += text;
  line += '\n';
  return line;
}

CriLogWriter::~CriLogWriter() {
  if (file_) fclose(file_);
}

Status CriLogWriter::Open(const std::string& path) {
  path_ = path;
  return Reopen();
}

Status CriLogWriter::Reopen() {
  if (file_) {
    fclose(file_);
    file_ = nullptr;
  }
  std::error_code ec;
  std::filesystem::create_directories(
      std::filesystem::path(path_).parent_path(), ec);
  file_ = fopen(path_.c_str(), "ae");
  if (!file_) {
    return Status::Internal("cannot open log " + path_ + ": " +
                            strerror(errno));
  }
  return Status::Ok();
}

void CriLogWriter::Emit(std::string_view stream, bool partial,
                        std::string_view text) {
  if (!file_) return;
  std::string line =
      FormatCriLine(std::chrono::system_clock::now(), stream, partial, text);
  fwrite(line.data(), 1, line.size(), file_);
}

void CriLogWriter::Write(std::string_view stream, std::string_view data) {
  std::string& pending = stream == "stderr" ? pending_err_ : pending_out_;
  pending.append(data);
  size_t start = 0;
  while (true) {
    size_t nl = pending.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view text(pending.data() + start, nl - start);
    // Long lines arrive as P records, then the rest as F.
    while (text.size() > kMaxLineBytes) {
      Emit(stream, true, text.substr(0, kMaxLineBytes));
      text.remove_prefix(kMaxLineBytes);
    }
    Emit(stream, false, text);
    start = nl + 1;
  }
  pending.erase(0, start);
  while (pending.size() > kMaxLineBytes) {
    Emit(stream, true, std::string_view(pending).substr(0, kMaxLineBytes));
    pending.erase(0, kMaxLineBytes);
  }
  if (file_) fflush(file_);
}

void CriLogWriter::Flush() {
  if (!pending_out_.empty()) Emit("stdout", false, pending_out_);
  if (!pending_err_.empty()) Emit("stderr", false, pending_err_);
  pending_out_.clear();
  pending_err_.clear();
  if (file_) fflush(file_);
}

}  // namespace berth::runtime
