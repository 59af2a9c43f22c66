#include "namespace_controller.h"

#include "berth/json.h"
#include "validation.h"

namespace berth::core {
namespace {

constexpr const char* kFinalizer = "kubernetes";

// Resources that cannot be listed are not part of a namespace's contents.
bool Unlistable(const Status& s) {
  return s.IsNotFound() || s.code() == Status::Code::kMethodNotAllowed;
}

}  // namespace

StatusOr<int> NamespaceController::DeleteContents(const std::string& ns) {
  int remaining = 0;
  for (const ServedResource& r : client_.ServerResources()) {
    if (!r.namespaced) continue;
    auto list = client_.List(r.ref, ns);
    if (!list.ok()) {
      if (Unlistable(list.status())) continue;
      return list.status();
    }
    auto doc = ParseJson(*list);
    if (!doc.ok())
      return Status::Internal("listing " + r.ref.resource + ": " +
                              doc.status().message());
    const Json* items = Member(*doc, "items");
    if (!items || !items->IsArray()) continue;
    for (const auto& item : items->GetArray()) {
      ++remaining;
      // Objects already being deleted wait for their own finalizers.
      if (Find(item, {"metadata", "deletionTimestamp"})) continue;
      Status s =
          client_.Delete(r.ref, ns, Str(Find(item, {"metadata", "name"})));
      if (!s.ok() && !s.IsNotFound()) return s;
    }
  }
  return remaining;
}

StatusOr<ReconcileResult> NamespaceController::Reconcile(
    const ReconcileRequest& req) {
  const ResourceRef namespaces = Primary();
  auto got = client_.Get(namespaces, "", req.name);
  if (!got.ok()) {
    if (got.status().IsNotFound()) return ReconcileResult{};
    return got.status();
  }
  auto doc = ParseJson(*got);
  if (!doc.ok())
    return Status::Internal("namespace " + req.name + ": " +
                            doc.status().message());
  if (!Find(*doc, {"metadata", "deletionTimestamp"})) return ReconcileResult{};

  auto remaining = DeleteContents(req.name);
  if (!remaining.ok()) return remaining.status();
  if (*remaining > 0) return ReconcileResult{kRecheck};

  Json* finalizers = Find(*doc, {"spec", "finalizers"});
  if (finalizers && finalizers->IsArray()) {
    Json kept(rapidjson::kArrayType);
    bool removed = false;
    for (auto& f : finalizers->GetArray()) {
      if (Str(&f) == kFinalizer) {
        removed = true;
      } else {
        kept.PushBack(Json(f, doc->GetAllocator()), doc->GetAllocator());
      }
    }
    if (removed) {
      *finalizers = std::move(kept);
      auto updated = client_.Update(namespaces, "", ToJson(*doc));
      if (!updated.ok()) {
        if (updated.status().IsNotFound()) return ReconcileResult{};
        return updated.status();
      }
    }
  }
  Status s = client_.Delete(namespaces, "", req.name);
  if (!s.ok() && !s.IsNotFound()) return s;
  return ReconcileResult{};
}

}  // namespace berth::core
