// YAML scalar resolution shared by the YAML reader and writer: what type
// go-yaml v2 (behind sigs.k8s.io/yaml, which Kubernetes uses) gives an
// untagged plain scalar — null, bool, int, float, string or the merge key.
// The reader types values with it; the writer quotes strings that would
// otherwise read back as another type. Internal to berth_codec.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_CODEC_YAML_SCALAR_H_
#define BERTH_KERNEL_API_CODEC_YAML_SCALAR_H_

#include <cstdint>
#include <string>

namespace berth::codec::internal {

struct Resolved {
  enum class Kind { kNull, kBool, kInt, kUint, kFloat, kString, kMerge };
  Kind kind = Kind::kString;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
};

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The type and value go-yaml v2 resolves the plain scalar `s` to.
Resolved ResolvePlain(const std::string& s);

}  // namespace berth::codec::internal

#endif  // BERTH_KERNEL_API_CODEC_YAML_SCALAR_H_
