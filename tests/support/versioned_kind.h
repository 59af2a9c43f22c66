// VersionedKind: a kind served in two versions of its group, for tests of
// multi-version kinds. example.com/v1 Widget (stored; spec.replicas) is also
// served as example.com/v1beta1, where the same field is called spec.size
// — the kind of rename real API versions make, so a test can tell a
// converted object from one passed through.
//
// Thread safety: immutable after construction.
#ifndef BERTH_TESTS_SUPPORT_VERSIONED_KIND_H_
#define BERTH_TESTS_SUPPORT_VERSIONED_KIND_H_

#include <string>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::testing {

class VersionedKind : public Kind {
 public:
  VersionedKind() {
    info_.group = "example.com";
    info_.version = "v1";
    info_.kind = "Widget";
    info_.plural = "widgets";
    info_.singular = "widget";
    info_.also_served_versions = {"v1beta1"};
  }
  const KindInfo& Info() const override { return info_; }

  void ConvertFromVersion(const std::string& version, Json& obj,
                          JsonAlloc& alloc) const override {
    if (version == "v1beta1") Rename(obj, "size", "replicas", alloc);
  }
  void ConvertToVersion(const std::string& version, Json& obj,
                        JsonAlloc& alloc) const override {
    if (version == "v1beta1") Rename(obj, "replicas", "size", alloc);
  }

 private:
  static void Rename(Json& obj, const char* from, const char* to,
                     JsonAlloc& alloc) {
    Json* spec = Member(obj, "spec");
    if (!spec || !spec->IsObject()) return;
    Json* value = Member(*spec, from);
    if (!value) return;
    Json moved(*value, alloc);
    spec->RemoveMember(from);
    SetMember(*spec, to, std::move(moved), alloc);
  }

  KindInfo info_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_VERSIONED_KIND_H_
