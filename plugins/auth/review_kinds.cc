#include "review_kinds.h"

#include <string>

namespace berth::auth {
namespace {

KindInfo ReviewInfo(const std::string& group, const std::string& kind,
                    const std::string& plural, const std::string& schema) {
  KindInfo info;
  info.group = group;
  info.version = "v1";
  info.kind = kind;
  info.plural = plural;
  info.singular = plural.substr(0, plural.size() - 1);
  info.namespaced = false;
  info.verbs = {"create"};
  info.stored = false;
  info.schema_name = schema;
  return info;
}

Json Strings(const std::vector<std::string>& values, JsonAlloc& alloc) {
  Json out(rapidjson::kArrayType);
  for (const auto& v : values) out.PushBack(Json(v.c_str(), alloc), alloc);
  return out;
}

}  // namespace

SelfSubjectAccessReviewKind::SelfSubjectAccessReviewKind()
    : info_(ReviewInfo("authorization.k8s.io", "SelfSubjectAccessReview",
                       "selfsubjectaccessreviews",
                       "io.k8s.api.authorization.v1.SelfSubjectAccessReview")) {
}

std::vector<FieldCause> SelfSubjectAccessReviewKind::Validate(
    const Json& obj, const Json* old) const {
  const bool resource = Find(obj, {"spec", "resourceAttributes"}) != nullptr;
  const bool non_resource =
      Find(obj, {"spec", "nonResourceAttributes"}) != nullptr;
  // The apiserver's wording.
  if (!resource && !non_resource) {
    return {field::Required(
        "spec.resourceAttributes",
        "exactly one of nonResourceAttributes or resourceAttributes must be "
        "specified")};
  }
  if (resource && non_resource) {
    return {field::Invalid(
        "spec.nonResourceAttributes", "",
        "cannot be specified in combination with resourceAttributes")};
  }
  return {};
}

Status SelfSubjectAccessReviewKind::Review(Json& obj, JsonAlloc& alloc,
                                           const UserInfo& user,
                                           const Authorizer& authorizer) const {
  AuthorizationAttributes attrs;
  attrs.user = user;
  if (const Json* r = Find(obj, {"spec", "resourceAttributes"})) {
    attrs.resource_request = true;
    attrs.ns = GetString(*r, {"namespace"});
    attrs.verb = GetString(*r, {"verb"});
    attrs.group = GetString(*r, {"group"});
    attrs.version = GetString(*r, {"version"});
    attrs.resource = GetString(*r, {"resource"});
    attrs.subresource = GetString(*r, {"subresource"});
    attrs.name = GetString(*r, {"name"});
  } else if (const Json* n = Find(obj, {"spec", "nonResourceAttributes"})) {
    attrs.resource_request = false;
    attrs.path = GetString(*n, {"path"});
    attrs.verb = GetString(*n, {"verb"});
  }
  AuthorizationDecision decision = authorizer.Authorize(attrs);
  Json status(rapidjson::kObjectType);
  status.AddMember("allowed", decision.allowed, alloc);
  if (!decision.reason.empty())
    SetString(status, "reason", decision.reason, alloc);
  SetMember(obj, "status", std::move(status), alloc);
  return {};
}

SelfSubjectRulesReviewKind::SelfSubjectRulesReviewKind()
    : info_(ReviewInfo("authorization.k8s.io", "SelfSubjectRulesReview",
                       "selfsubjectrulesreviews",
                       "io.k8s.api.authorization.v1.SelfSubjectRulesReview")) {}

Status SelfSubjectRulesReviewKind::Review(Json& obj, JsonAlloc& alloc,
                                          const UserInfo& user,
                                          const Authorizer& authorizer) const {
  UserRules rules =
      authorizer.RulesFor(user, GetString(obj, {"spec", "namespace"}));
  Json resource_rules(rapidjson::kArrayType);
  for (const auto& r : rules.resource_rules) {
    Json rule(rapidjson::kObjectType);
    SetMember(rule, "verbs", Strings(r.verbs, alloc), alloc);
    SetMember(rule, "apiGroups", Strings(r.api_groups, alloc), alloc);
    SetMember(rule, "resources", Strings(r.resources, alloc), alloc);
    if (!r.resource_names.empty()) {
      SetMember(rule, "resourceNames", Strings(r.resource_names, alloc), alloc);
    }
    resource_rules.PushBack(std::move(rule), alloc);
  }
  Json non_resource_rules(rapidjson::kArrayType);
  for (const auto& r : rules.non_resource_rules) {
    Json rule(rapidjson::kObjectType);
    SetMember(rule, "verbs", Strings(r.verbs, alloc), alloc);
    SetMember(rule, "nonResourceURLs", Strings(r.non_resource_urls, alloc),
              alloc);
    non_resource_rules.PushBack(std::move(rule), alloc);
  }
  Json status(rapidjson::kObjectType);
  SetMember(status, "resourceRules", std::move(resource_rules), alloc);
  SetMember(status, "nonResourceRules", std::move(non_resource_rules), alloc);
  status.AddMember("incomplete", rules.incomplete, alloc);
  if (!rules.evaluation_error.empty()) {
    SetString(status, "evaluationError", rules.evaluation_error, alloc);
  }
  SetMember(obj, "status", std::move(status), alloc);
  return {};
}

SelfSubjectReviewKind::SelfSubjectReviewKind()
    : info_(ReviewInfo("authentication.k8s.io", "SelfSubjectReview",
                       "selfsubjectreviews",
                       "io.k8s.api.authentication.v1.SelfSubjectReview")) {}

Status SelfSubjectReviewKind::Review(Json& obj, JsonAlloc& alloc,
                                     const UserInfo& user,
                                     const Authorizer& authorizer) const {
  Json info(rapidjson::kObjectType);
  SetString(info, "username", user.name, alloc);
  if (!user.uid.empty()) SetString(info, "uid", user.uid, alloc);
  SetMember(info, "groups", Strings(user.groups, alloc), alloc);
  Json status(rapidjson::kObjectType);
  SetMember(status, "userInfo", std::move(info), alloc);
  SetMember(obj, "status", std::move(status), alloc);
  return {};
}

}  // namespace berth::auth
