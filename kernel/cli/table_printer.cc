#include "kernel/cli/table_printer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace berth::cli {
namespace {

constexpr size_t kMinWidth = 6;
constexpr size_t kPadding = 3;

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return s;
}

// A cell as Go's fmt prints the decoded JSON value.
std::string CellText(const Json& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v.GetDouble());
    return buf;
  }
  if (v.IsNull()) return "<none>";
  return ToJson(v);
}

// Display width as tabwriter counts it: one per UTF-8 code point.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

void TablePrinter::Add(const Json& table) {
  if (!have_columns_) {
    const Json* columns = Member(table, "columnDefinitions");
    if (!columns || !columns->IsArray()) return;
    have_columns_ = true;
    if (with_namespace_) header_.push_back("NAMESPACE");
    size_t i = 0;
    for (const auto& c : columns->GetArray()) {
      if (GetString(c, {"name"}) == "Name" && name_column_ == SIZE_MAX) {
        name_column_ = i;
      }
      if (wide_ || GetInt(c, {"priority"}) == 0) {
        shown_.push_back(i);
        header_.push_back(Upper(GetString(c, {"name"})));
      }
      ++i;
    }
  }
  const Json* rows = Member(table, "rows");
  if (!rows || !rows->IsArray()) return;
  for (const auto& row : rows->GetArray()) {
    const Json* cells = Member(row, "cells");
    if (!cells || !cells->IsArray()) continue;
    std::vector<std::string> out;
    if (with_namespace_) {
      out.push_back(GetString(row, {"object", "metadata", "namespace"}));
    }
    for (size_t i : shown_) {
      std::string text = i < cells->Size() ? CellText((*cells)[i]) : "";
      out.push_back(i == name_column_ ? name_prefix_ + text : text);
    }
    rows_.push_back(std::move(out));
  }
}

std::string TablePrinter::Render() const {
  if (rows_.empty()) return "";
  std::vector<size_t> widths(header_.size(), kMinWidth);
  auto measure = [&widths](const std::vector<std::string>& line) {
    for (size_t i = 0; i < line.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(line[i]) + kPadding);
    }
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  std::string out;
  auto emit = [&](const std::vector<std::string>& line) {
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out.append(widths[i] - Width(line[i]), ' ');
    }
    out += '\n';
  };
  emit(header_);
  for (const auto& r : rows_) emit(r);
  return out;
}

}  // namespace berth::cli
