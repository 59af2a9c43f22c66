#include "kernel/api/server/api_errors.h"

#include "berth/json.h"

namespace berth::api {

std::string QualifiedResource(const KindInfo& info) {
  return info.group.empty() ? info.plural : info.plural + "." + info.group;
}

Status NotFoundError(const KindInfo& info, const std::string& name) {
  return Status::NotFound(QualifiedResource(info) + " \"" + name +
                          "\" not found");
}

Status AlreadyExistsError(const KindInfo& info, const std::string& name) {
  return Status::AlreadyExists(QualifiedResource(info) + " \"" + name +
                               "\" already exists");
}

Status ConflictError(const KindInfo& info, const std::string& name,
                     const std::string& detail) {
  return Status::Conflict("Operation cannot be fulfilled on " +
                          QualifiedResource(info) + " \"" + name +
                          "\": " + detail);
}

Status InvalidError(const KindInfo& info, const std::string& name,
                    std::vector<FieldCause> causes) {
  // As apierrors.NewInvalid: the kind qualified by its group
  // ("Deployment.apps"); kubectl prints "The Deployment ... is invalid"
  // from the details either way.
  const std::string qualified =
      info.group.empty() ? info.kind : info.kind + "." + info.group;
  std::string msg = qualified + " \"" + name + "\" is invalid: ";
  auto one = [](const FieldCause& c) {
    return c.field.empty() ? c.message : c.field + ": " + c.message;
  };
  if (causes.size() == 1) {
    msg += one(causes[0]);
  } else {
    msg += "[";
    for (size_t i = 0; i < causes.size(); ++i) {
      if (i) msg += ", ";
      msg += one(causes[i]);
    }
    msg += "]";
  }
  return Status::Invalid(msg, std::move(causes));
}

std::string StatusBody(const Status& status, const KindInfo* info,
                       const std::string& name) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "Status", a);
  SetString(d, "apiVersion", "v1", a);
  SetMember(d, "metadata", Json(rapidjson::kObjectType), a);
  SetString(d, "status", status.ok() ? "Success" : "Failure", a);
  SetString(d, "message", status.message(), a);
  SetString(d, "reason", StatusReason(status.code()), a);
  Json details(rapidjson::kObjectType);
  if (!name.empty()) SetString(details, "name", name, a);
  if (info) {
    if (!info->group.empty()) SetString(details, "group", info->group, a);
    // Invalid errors name the Kind; the others name the resource.
    SetString(
        details, "kind",
        status.code() == Status::Code::kInvalid ? info->kind : info->plural, a);
  }
  if (!status.causes().empty()) {
    Json causes(rapidjson::kArrayType);
    for (const auto& c : status.causes()) {
      Json cause(rapidjson::kObjectType);
      SetString(cause, "reason", c.reason, a);
      SetString(cause, "message", c.message, a);
      SetString(cause, "field", c.field, a);
      causes.PushBack(cause, a);
    }
    SetMember(details, "causes", std::move(causes), a);
  }
  if (details.MemberCount() > 0) SetMember(d, "details", std::move(details), a);
  d.AddMember("code", HttpCode(status.code()), a);
  return ToJson(d);
}

}  // namespace berth::api
