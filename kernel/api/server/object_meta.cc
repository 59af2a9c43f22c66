#include "kernel/api/server/object_meta.h"

#include <cstdio>
#include <ctime>
#include <random>

#include "berth/kind.h"
#include "kernel/api/selector/label_syntax.h"

namespace berth::api {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!IsLabelChar(c)) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

// Label and annotation keys are qualified names; label values as selectors
// check them.
bool IsQualifiedName(const std::string& s) {
  return selector::LabelKeyErrors(s).empty();
}

bool IsLabelValue(const std::string& s) {
  return selector::LabelValueErrors(s).empty();
}

}  // namespace

std::string NewUid() {
  uint64_t hi = Rng()(), lo = Rng()();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff),
                static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::string FormatTime(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> ParseTime(
    const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string NowRfc3339() {
  return FormatTime(std::chrono::system_clock::now());
}

std::string GenerateName(const std::string& prefix) {
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out = prefix;
  for (int i = 0; i < 5; ++i) out += kAlphabet[Rng()() % 27];
  return out;
}

void ValidateDnsSubdomain(const std::string& value, const std::string& field,
                          std::vector<FieldCause>* causes) {
  bool ok = !value.empty() && value.size() <= 253;
  if (ok) {
    size_t start = 0;
    while (ok) {
      size_t dot = value.find('.', start);
      std::string part = value.substr(
          start, dot == std::string::npos ? std::string::npos : dot - start);
      ok = IsDnsLabel(part);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  if (!ok) {
    causes->push_back(field::Invalid(
        field, value,
        "a lowercase RFC 1123 subdomain must consist of lower case "
        "alphanumeric characters, '-' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'example.com', regex used for "
        "validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
  }
}

void ValidateMetadataMaps(const Json& metadata,
                          std::vector<FieldCause>* causes) {
  if (const Json* labels = Member(metadata, "labels")) {
    if (!labels->IsObject()) {
      causes->push_back(
          field::Invalid("metadata.labels", "", "must be a map of strings"));
    } else {
      for (auto& m : labels->GetObject()) {
        std::string key = m.name.GetString();
        if (!IsQualifiedName(key)) {
          causes->push_back(field::Invalid(
              "metadata.labels", key,
              "name part must consist of alphanumeric characters, '-', '_' "
              "or '.', and must start and end with an alphanumeric "
              "character"));
        }
        if (!m.value.IsString()) {
          causes->push_back(field::Invalid("metadata.labels", key,
                                           "label values must be strings"));
        } else if (!IsLabelValue(m.value.GetString())) {
          causes->push_back(field::Invalid(
              "metadata.labels", m.value.GetString(),
              "a valid label must be an empty string or consist of "
              "alphanumeric characters, '-', '_' or '.', and must start and "
              "end with an alphanumeric character"));
        }
      }
    }
  }
  if (const Json* ann = Member(metadata, "annotations")) {
    if (!ann->IsObject()) {
      causes->push_back(field::Invalid("metadata.annotations", "",
                                       "must be a map of strings"));
      return;
    }
    size_t total = 0;
    for (auto& m : ann->GetObject()) {
      std::string key = m.name.GetString();
      if (!IsQualifiedName(key)) {
        causes->push_back(field::Invalid(
            "metadata.annotations", key,
            "name part must consist of alphanumeric characters, '-', '_' or "
            "'.', and must start and end with an alphanumeric character"));
      }
      if (!m.value.IsString()) {
        causes->push_back(field::Invalid("metadata.annotations", key,
                                         "annotation values must be strings"));
      } else {
        total += key.size() + m.value.GetStringLength();
      }
    }
    if (total > 256 * 1024) {
      causes->push_back({"FieldValueTooLong", "metadata.annotations",
                         "Too long: must have at most 262144 bytes"});
    }
  }
}

}  // namespace berth::api
