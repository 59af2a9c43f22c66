#include "kernel/api/server/version_priority.h"

#include <cctype>
#include <tuple>

namespace berth::api {
namespace {

// (stability 0 none..3 GA, major, minor) of "v2beta1"-style names.
struct Parsed {
  int stability = 0;
  long major = 0;
  long minor = 0;
};

bool ReadNumber(const std::string& s, size_t* pos, long* out) {
  size_t start = *pos;
  long n = 0;
  while (*pos < s.size() && std::isdigit(static_cast<unsigned char>(s[*pos]))) {
    n = n * 10 + (s[*pos] - '0');
    if (n > 1000000) return false;
    ++*pos;
  }
  *out = n;
  return *pos > start;
}

Parsed Parse(const std::string& v) {
  Parsed p;
  size_t pos = 1;
  if (v.empty() || v[0] != 'v' || !ReadNumber(v, &pos, &p.major) ||
      p.major == 0) {
    return {};
  }
  if (pos == v.size()) {
    p.stability = 3;
    return p;
  }
  int stability = 0;
  if (v.compare(pos, 4, "beta") == 0) {
    stability = 2;
    pos += 4;
  } else if (v.compare(pos, 5, "alpha") == 0) {
    stability = 1;
    pos += 5;
  } else {
    return {};
  }
  if (!ReadNumber(v, &pos, &p.minor) || pos != v.size()) return {};
  p.stability = stability;
  return p;
}

}  // namespace

bool VersionPriorityLess::operator()(const std::string& a,
                                     const std::string& b) const {
  const Parsed pa = Parse(a), pb = Parse(b);
  if (pa.stability == 0 && pb.stability == 0) return a > b;
  return std::tie(pa.stability, pa.major, pa.minor, b) <
         std::tie(pb.stability, pb.major, pb.minor, a);
}

}  // namespace berth::api
