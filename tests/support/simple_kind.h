// SimpleKind: a Kind with names and scope only (no defaulting, validation or
// columns), for kernel tests that need objects of some kind without loading
// a plugin.
//
// Thread safety: immutable after construction.
#ifndef BERTH_TESTS_SUPPORT_SIMPLE_KIND_H_
#define BERTH_TESTS_SUPPORT_SIMPLE_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::testing {

class SimpleKind : public Kind {
 public:
  // A kind in `group`/v1 named `kind`, served as `plural`.
  SimpleKind(std::string group, std::string kind, std::string plural,
             bool namespaced) {
    info_.group = std::move(group);
    info_.version = "v1";
    info_.kind = std::move(kind);
    info_.plural = std::move(plural);
    info_.singular = info_.plural;
    info_.namespaced = namespaced;
  }
  const KindInfo& Info() const override { return info_; }

 private:
  KindInfo info_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_SIMPLE_KIND_H_
