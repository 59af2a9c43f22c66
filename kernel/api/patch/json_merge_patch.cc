#include "kernel/api/patch/json_merge_patch.h"

namespace berth::patch {

void ApplyMergePatch(const Json& patch, Json& target, JsonAlloc& alloc) {
  if (!patch.IsObject()) {
    target.CopyFrom(patch, alloc);
    return;
  }
  if (!target.IsObject()) target.SetObject();
  for (const auto& m : patch.GetObject()) {
    auto it = target.FindMember(m.name);
    if (m.value.IsNull()) {
      if (it != target.MemberEnd()) target.EraseMember(it);
      continue;
    }
    if (it == target.MemberEnd()) {
      // A new member still goes through the merge so nested nulls vanish.
      Json fresh;
      ApplyMergePatch(m.value, fresh, alloc);
      target.AddMember(Json(m.name, alloc), std::move(fresh), alloc);
    } else {
      ApplyMergePatch(m.value, it->value, alloc);
    }
  }
}

}  // namespace berth::patch
