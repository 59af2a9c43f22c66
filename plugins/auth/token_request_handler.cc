#include "token_request_handler.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::auth {
namespace {

using Clock = std::chrono::system_clock;

// RFC 3339 in UTC with second precision, as metav1.Time is written.
std::string Rfc3339(Clock::time_point t) {
  const std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The 422 kube-apiserver answers for a TokenRequest, naming its group and
// the service account.
Status InvalidRequest(const std::string& name, std::vector<FieldCause> causes) {
  std::string list;
  for (size_t i = 0; i < causes.size(); ++i) {
    if (i) list += ", ";
    list += causes[i].field + ": " + causes[i].message;
  }
  if (causes.size() > 1) list = "[" + list + "]";
  std::string message =
      "TokenRequest.authentication.k8s.io \"" + name + "\" is invalid: " + list;
  return Status::Invalid(std::move(message), std::move(causes));
}

// The object `ref` names in `ns`, parsed, or the client's error (NotFound
// `pods "x" not found`).
StatusOr<JsonDoc> GetObject(Client& client, const ResourceRef& ref,
                            const std::string& ns, const std::string& name) {
  auto got = client.Get(ref, ns, name);
  if (!got.ok()) return got.status();
  return ParseJson(*got);
}

}  // namespace

Status TokenRequestHandler::Handle(const ActionRequest& request, Json& obj,
                                   JsonAlloc& alloc) const {
  const std::string& ns = request.namespace_name;
  const std::string& name = request.name;
  // The body's name and namespace, when given, must be the URL's.
  std::vector<FieldCause> causes;
  const std::string body_name = GetString(obj, {"metadata", "name"});
  if (!body_name.empty() && body_name != name) {
    causes.push_back(
        field::Invalid("metadata.name", body_name,
                       "must match the service account name if specified"));
  }
  const std::string body_ns = GetString(obj, {"metadata", "namespace"});
  if (!body_ns.empty() && body_ns != ns) {
    causes.push_back(field::Invalid(
        "metadata.namespace", body_ns,
        "must match the service account namespace if specified"));
  }
  if (!causes.empty()) return InvalidRequest(name, std::move(causes));

  auto account = GetObject(client_, {"", "v1", "serviceaccounts"}, ns, name);
  if (!account.ok()) return account.status();

  Json& spec = EnsureObject(obj, "spec", alloc);
  std::vector<std::string> audiences;
  if (const Json* aud = Member(spec, "audiences"); aud && aud->IsArray()) {
    for (const auto& v : aud->GetArray()) {
      if (v.IsString()) audiences.emplace_back(v.GetString());
    }
  }
  if (audiences.empty()) {
    audiences = audiences_;
    Json list(rapidjson::kArrayType);
    for (const auto& a : audiences) {
      list.PushBack(Json(a.c_str(), alloc), alloc);
    }
    SetMember(spec, "audiences", std::move(list), alloc);
  }
  int64_t seconds = kDefaultTokenSeconds;
  if (const Json* exp = Member(spec, "expirationSeconds");
      exp && exp->IsInt64()) {
    seconds = exp->GetInt64();
  } else {
    SetMember(spec, "expirationSeconds", Json(seconds), alloc);
  }
  if (seconds < kMinTokenSeconds) {
    causes.push_back(field::InvalidNumber(
        "spec.expirationSeconds", seconds,
        "may not specify a duration less than 10 minutes"));
  } else if (seconds > kMaxTokenSeconds) {
    causes.push_back({"FieldValueTooLong", "spec.expirationSeconds",
                      "Too long: may not be more than 4294967295 bytes"});
  }
  if (!causes.empty()) return InvalidRequest(name, std::move(causes));

  TokenClaims claims;
  claims.issuer = issuer_;
  claims.audiences = audiences;
  claims.ns = ns;
  claims.service_account = name;
  claims.service_account_uid = GetString(*account, {"metadata", "uid"});
  if (const Json* ref = Member(spec, "boundObjectRef");
      ref && ref->IsObject()) {
    const std::string kind = GetString(*ref, {"kind"});
    std::string api_version = GetString(*ref, {"apiVersion"});
    const std::string ref_name = GetString(*ref, {"name"});
    const std::string ref_uid = GetString(*ref, {"uid"});
    const std::string group =
        api_version.find('/') == std::string::npos
            ? ""
            : api_version.substr(0, api_version.find('/'));
    std::string uid;
    if (group.empty() && kind == "Pod") {
      auto pod = GetObject(client_, {"", "v1", "pods"}, ns, ref_name);
      if (!pod.ok()) return pod.status();
      const std::string runs_as =
          GetString(*pod, {"spec", "serviceAccountName"});
      if (runs_as != name) {
        return Status::BadRequest("cannot bind token for serviceaccount \"" +
                                  name + "\" to pod running with " +
                                  "serviceaccount \"" + runs_as + "\"");
      }
      uid = GetString(*pod, {"metadata", "uid"});
      claims.pod = ref_name;
      claims.pod_uid = uid;
      // The pod's node too, as kube-apiserver's ServiceAccountTokenPodNodeInfo
      // (on by default): its uid when the node is found.
      claims.node = GetString(*pod, {"spec", "nodeName"});
      if (!claims.node.empty()) {
        auto node = GetObject(client_, {"", "v1", "nodes"}, "", claims.node);
        if (node.ok()) claims.node_uid = GetString(*node, {"metadata", "uid"});
      }
    } else if (group.empty() && kind == "Node") {
      auto node = GetObject(client_, {"", "v1", "nodes"}, "", ref_name);
      if (!node.ok()) return node.status();
      uid = GetString(*node, {"metadata", "uid"});
      claims.node = ref_name;
      claims.node_uid = uid;
    } else if (group.empty() && kind == "Secret") {
      auto secret = GetObject(client_, {"", "v1", "secrets"}, ns, ref_name);
      if (!secret.ok()) return secret.status();
      uid = GetString(*secret, {"metadata", "uid"});
      claims.secret = ref_name;
      claims.secret_uid = uid;
    } else {
      // schema.GroupVersionKind's String(): "group/version, Kind=kind".
      const std::string version =
          group.empty() ? api_version
                        : api_version.substr(api_version.find('/') + 1);
      return Status::BadRequest("cannot bind token to object of type " + group +
                                "/" + version + ", Kind=" + kind);
    }
    if (!ref_uid.empty() && ref_uid != uid) {
      return Status::Conflict(
          "Operation cannot be fulfilled on " + kind + " \"" + ref_name +
          "\": the UID in the bound object reference (" + ref_uid +
          ") does not match the UID in record. The object might have been "
          "deleted and then recreated");
    }
  }

  auto key = key_->Get();
  if (!key.ok()) return key.status();
  // Taken before signing, so the expiry reported is never after the
  // token's own exp.
  const Clock::time_point now = now_();
  claims.issued_at = now;
  claims.expires_at = now + std::chrono::seconds(seconds);
  bool api_audiences = true;
  for (const auto& a : audiences) {
    api_audiences &=
        std::find(audiences_.begin(), audiences_.end(), a) != audiences_.end();
  }
  if (!claims.pod.empty() && seconds == kWarnOnlyTokenSeconds &&
      api_audiences) {
    claims.warn_after = claims.expires_at;
    claims.expires_at = now + std::chrono::seconds(kExtendedTokenSeconds);
  }
  auto token = (*key)->Issue(claims);
  if (!token.ok()) return token.status();

  Json& meta = EnsureObject(obj, "metadata", alloc);
  SetString(meta, "name", name, alloc);
  SetString(meta, "namespace", ns, alloc);
  SetString(meta, "creationTimestamp", Rfc3339(now), alloc);
  Json status(rapidjson::kObjectType);
  SetString(status, "token", *token, alloc);
  SetString(status, "expirationTimestamp",
            Rfc3339(now + std::chrono::seconds(seconds)), alloc);
  SetMember(obj, "status", std::move(status), alloc);
  return {};
}

}  // namespace berth::auth
