#include "revision.h"

#include <cstdlib>

#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

bool SkipCopy(const std::string& key) {
  return key == "kubectl.kubernetes.io/last-applied-configuration" ||
         key == kRevisionAnnotation ||
         key == "deployment.kubernetes.io/revision-history" ||
         key == kDesiredReplicasAnnotation || key == kMaxReplicasAnnotation ||
         key == "deprecated.deployment.rollback.to";
}

Json& AnnotationsOf(Json& obj, JsonAlloc& a) {
  return EnsureObject(EnsureObject(obj, "metadata", a), "annotations", a);
}

bool SetAnnotation(Json& obj, const char* key, const std::string& value,
                   JsonAlloc& a) {
  Json& annotations = AnnotationsOf(obj, a);
  if (Str(Member(annotations, key)) == value && Member(annotations, key)) {
    return false;
  }
  SetString(annotations, key, value, a);
  return true;
}

}  // namespace

std::optional<int64_t> IntAnnotation(const Json& obj, const char* key) {
  const Json* annotations = Find(obj, {"metadata", "annotations"});
  if (!annotations) return std::nullopt;
  const std::string v = Str(Member(*annotations, key));
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return n;
}

int64_t Revision(const Json& obj) {
  return IntAnnotation(obj, kRevisionAnnotation).value_or(0);
}

bool SetNewReplicaSetAnnotations(const Json& deployment, Json& rs,
                                 int64_t new_revision, bool exists,
                                 int64_t desired, int64_t max_total,
                                 JsonAlloc& a) {
  bool changed = false;
  if (const Json* from = Find(deployment, {"metadata", "annotations"});
      from && from->IsObject()) {
    for (auto it = from->MemberBegin(); it != from->MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      if (SkipCopy(key)) continue;
      changed |= SetAnnotation(rs, key.c_str(), Str(&it->value), a);
    }
  }
  if (Revision(rs) < new_revision) {
    changed |=
        SetAnnotation(rs, kRevisionAnnotation, std::to_string(new_revision), a);
  }
  if (!exists) changed |= SetReplicasAnnotations(rs, desired, max_total, a);
  return changed;
}

bool SetReplicasAnnotations(Json& rs, int64_t desired, int64_t max_total,
                            JsonAlloc& a) {
  bool changed =
      SetAnnotation(rs, kDesiredReplicasAnnotation, std::to_string(desired), a);
  changed |=
      SetAnnotation(rs, kMaxReplicasAnnotation, std::to_string(max_total), a);
  return changed;
}

bool SetDeploymentRevision(Json& deployment, const std::string& revision,
                           JsonAlloc& a) {
  return SetAnnotation(deployment, kRevisionAnnotation, revision, a);
}

}  // namespace berth::workloads
