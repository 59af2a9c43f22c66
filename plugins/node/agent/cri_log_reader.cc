#include "cri_log_reader.h"

namespace berth::node {

std::vector<LogLine> ParseCriLines(std::string_view data, size_t* consumed) {
  std::vector<LogLine> out;
  size_t pos = 0;
  bool joining = false;
  while (pos < data.size()) {
    const size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) break;
    std::string_view line = data.substr(pos, nl - pos);
    pos = nl + 1;
    const size_t s1 = line.find(' ');
    const size_t s2 =
        s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    const size_t s3 =
        s2 == std::string_view::npos ? s2 : line.find(' ', s2 + 1);
    if (s3 == std::string_view::npos) {
      // Not CRI: shown as is.
      out.push_back({"", std::string(line) + "\n"});
      joining = false;
      continue;
    }
    const std::string_view tag = line.substr(s2 + 1, s3 - s2 - 1);
    std::string text(line.substr(s3 + 1));
    if (tag != "P") text += "\n";
    if (joining && !out.empty()) {
      out.back().text += text;
    } else {
      out.push_back({std::string(line.substr(0, s1)), std::move(text)});
    }
    joining = tag == "P";
  }
  if (consumed) *consumed = pos;
  return out;
}

std::string FormatLogLines(const std::vector<LogLine>& lines,
                           const CriLogOptions& opts) {
  size_t first = 0;
  if (opts.tail_lines && *opts.tail_lines >= 0 &&
      static_cast<size_t>(*opts.tail_lines) < lines.size()) {
    first = lines.size() - static_cast<size_t>(*opts.tail_lines);
  }
  std::string out;
  for (size_t i = first; i < lines.size(); ++i) {
    if (opts.since) {
      auto t = kubelet::ParseTime(lines[i].timestamp);
      if (t && *t < *opts.since) continue;
    }
    if (opts.timestamps) out += lines[i].timestamp + " ";
    out += lines[i].text;
  }
  return out;
}

}  // namespace berth::node
