#include "greeting_controller.h"

#include "berth/json.h"

namespace greeting {

GreetingController::GreetingController(berth::Client& client,
                                       std::string salutation)
    : client_(client), salutation_(std::move(salutation)) {}

berth::StatusOr<berth::ReconcileResult> GreetingController::Reconcile(
    const berth::ReconcileRequest& req) {
  auto current = client_.Get(Primary(), req.ns, req.name);
  if (current.status().IsNotFound()) return berth::ReconcileResult{};
  if (!current.ok()) return current.status();
  auto obj = berth::ParseJson(*current);
  if (!obj.ok()) return obj.status();

  std::string want =
      salutation_ + ", " + berth::GetString(*obj, {"spec", "name"}) + "!";
  if (berth::GetString(*obj, {"status", "message"}) == want) {
    return berth::ReconcileResult{};
  }
  berth::JsonDoc patch(rapidjson::kObjectType);
  berth::Json& status =
      berth::EnsureObject(patch, "status", patch.GetAllocator());
  berth::SetString(status, "message", want, patch.GetAllocator());
  auto patched = client_.MergePatch(Primary(), req.ns, req.name,
                                    berth::ToJson(patch), "status");
  // Deleted meanwhile: nothing left to greet.
  if (!patched.ok() && !patched.status().IsNotFound()) return patched.status();
  return berth::ReconcileResult{};
}

}  // namespace greeting
