// ResourceService's action subresources: pods/binding and pods/eviction as
// the kinds declare them (a POST that a kind's hook turns into an update or
// a delete of the object), and those another plugin's ActionHandler
// answers with an object (serviceaccounts/token). Kept apart from the rest of
// the service's verbs; the shared update loop is in resource_service.cc.
#include <optional>
#include <string>
#include <string_view>

#include "kernel/api/server/resource_service.h"

namespace berth::api {
namespace {

// `body` parsed as a request of `action`'s kind: BadRequest when it is not
// a JSON object or names another apiVersion or kind.
StatusOr<JsonDoc> ParseActionRequest(const ActionSubresource& action,
                                     std::string_view body) {
  JsonDoc request;
  request.Parse(body.data(), body.size());
  if (request.HasParseError() || !request.IsObject()) {
    return Status::BadRequest("the body of the request is not a valid " +
                              action.request_kind + " object");
  }
  const std::string req_kind = GetString(request, {"kind"});
  const std::string req_version = GetString(request, {"apiVersion"});
  if ((!req_kind.empty() && req_kind != action.request_kind) ||
      (!req_version.empty() && req_version != action.request_group_version)) {
    return Status::BadRequest(
        "the body of the request was not a " + action.request_group_version +
        " " + action.request_kind + ": " + req_version + " " + req_kind);
  }
  return request;
}

}  // namespace

StatusOr<std::string> ResourceService::PostAction(const ActionHandler& handler,
                                                  const std::string& ns,
                                                  const std::string& name,
                                                  std::string_view body,
                                                  const WriteOptions& opts) {
  const ActionSubresource action = handler.Subresource();
  auto request = ParseActionRequest(action, body);
  if (!request.ok()) return request.status();
  JsonDoc& obj = *request;
  auto& a = obj.GetAllocator();
  SetString(obj, "kind", action.request_kind, a);
  SetString(obj, "apiVersion", action.request_group_version, a);
  ActionRequest req;
  req.namespace_name = ns;
  req.name = name;
  req.user = opts.user;
  req.dry_run = opts.dry_run;
  if (Status s = handler.Handle(req, obj, a); !s.ok()) return s;
  return ToJson(obj);
}

StatusOr<std::string> ResourceService::PostSubresource(
    const Kind& kind, const std::string& ns, const std::string& name,
    const std::string& subresource, std::string_view body,
    const WriteOptions& opts) {
  std::optional<ActionSubresource> action;
  for (auto& a : kind.ActionSubresources()) {
    if (a.name == subresource) action = a;
  }
  if (!action) {
    return Status::NotFound("the server could not find the requested resource");
  }
  auto parsed = ParseActionRequest(*action, body);
  if (!parsed.ok()) return parsed.status();
  const JsonDoc& request = *parsed;
  // The request's own name must be the object's, as the apiserver checks
  // for a Binding or an Eviction.
  const std::string req_name = GetString(request, {"metadata", "name"});
  if (!req_name.empty() && req_name != name) {
    return Status::BadRequest("name in URL does not match name in " +
                              action->request_kind + " object");
  }
  // The hook decides per attempt; a delete leaves the update loop with
  // this marker and is carried out below.
  static const char kDeleteMarker[] = "berth: the subresource deletes";
  std::string uid;
  auto written = UpdateLoop(
      kind, ns, name, subresource,
      [&](const Json& old) -> StatusOr<JsonDoc> {
        JsonDoc next;
        next.CopyFrom(old, next.GetAllocator());
        auto outcome = kind.ApplySubresource(subresource, request, next,
                                             next.GetAllocator());
        if (!outcome.ok()) return outcome.status();
        if (*outcome == SubresourceOutcome::kDelete) {
          uid = GetString(old, {"metadata", "uid"});
          return Status::Internal(kDeleteMarker);
        }
        return next;
      },
      opts, /*applied=*/false, /*kind_mutated=*/true);
  if (!written.ok()) {
    const Status& s = written.status();
    if (s.code() != Status::Code::kInternal || s.message() != kDeleteMarker) {
      return s;
    }
    DeleteOptions d;
    d.precondition_uid = uid;
    d.dry_run = opts.dry_run;
    d.user = opts.user;
    auto deleted = Delete(kind, ns, name, d);
    if (!deleted.ok()) return deleted.status();
  }
  JsonDoc reply(rapidjson::kObjectType);
  auto& a = reply.GetAllocator();
  SetString(reply, "kind", "Status", a);
  SetString(reply, "apiVersion", "v1", a);
  SetMember(reply, "metadata", Json(rapidjson::kObjectType), a);
  SetString(reply, "status", "Success", a);
  reply.AddMember("code", 201, a);
  return ToJson(reply);
}

}  // namespace berth::api
