#include "volumes/service_account_tokens.h"

#include <utility>

namespace berth::node {
namespace {

constexpr auto kMaxTokenAge = std::chrono::hours(24);

Json Str(const std::string& s, JsonAlloc& a) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// The TokenRequest the kubelet sends for a projected token.
std::string RequestBody(const Json& pod, const std::string& audience,
                        int64_t seconds) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "authentication.k8s.io/v1", a);
  SetString(d, "kind", "TokenRequest", a);
  Json spec(rapidjson::kObjectType);
  Json audiences(rapidjson::kArrayType);
  if (!audience.empty()) audiences.PushBack(Str(audience, a), a);
  spec.AddMember("audiences", audiences, a);
  spec.AddMember("expirationSeconds", Json(seconds), a);
  Json ref(rapidjson::kObjectType);
  ref.AddMember("apiVersion", "v1", a);
  ref.AddMember("kind", "Pod", a);
  ref.AddMember("name", Str(GetString(pod, {"metadata", "name"}), a), a);
  ref.AddMember("uid", Str(GetString(pod, {"metadata", "uid"}), a), a);
  spec.AddMember("boundObjectRef", ref, a);
  d.AddMember("spec", spec, a);
  return ToJson(d);
}

}  // namespace

bool ServiceAccountTokens::NeedsRefresh(const Held& held,
                                        Clock::time_point now) {
  if (now >= held.issued + kMaxTokenAge) return true;
  const auto lifetime = held.expires - held.issued;
  return now >= held.issued + lifetime * 8 / 10;
}

StatusOr<std::string> ServiceAccountTokens::Get(const Json& pod,
                                                const std::string& audience,
                                                int64_t seconds) {
  const std::string uid = GetString(pod, {"metadata", "uid"});
  const std::string key =
      uid + "\n" + audience + "\n" + std::to_string(seconds);
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = held_.find(key);
    if (it != held_.end() && !NeedsRefresh(it->second, now_())) {
      return it->second.token;
    }
  }
  const std::string ns = GetString(pod, {"metadata", "namespace"}, "default");
  const std::string account =
      GetString(pod, {"spec", "serviceAccountName"}, "default");
  const Clock::time_point issued = now_();
  auto reply =
      client_.CreateSubresource({"", "v1", "serviceaccounts"}, ns, account,
                                "token", RequestBody(pod, audience, seconds));
  if (!reply.ok()) {
    // The generic 404 of a path the server does not serve, unlike
    // `serviceaccounts "x" not found`.
    if (reply.status().IsNotFound() &&
        reply.status().message() ==
            "the server could not find the requested resource") {
      return std::string();
    }
    return Status(reply.status().code(),
                  "failed to fetch token: " + reply.status().message());
  }
  auto doc = ParseJson(*reply);
  if (!doc.ok()) {
    return Status::Internal("failed to fetch token: " + doc.status().message());
  }
  Held held;
  held.token = GetString(*doc, {"status", "token"});
  if (held.token.empty()) {
    return Status::Internal("failed to fetch token: the answer has no token");
  }
  // The server may grant another lifetime than asked for.
  int64_t granted = GetInt(*doc, {"spec", "expirationSeconds"});
  if (granted <= 0) granted = seconds;
  held.issued = issued;
  held.expires = issued + std::chrono::seconds(granted);
  std::lock_guard<std::mutex> l(mu_);
  held_[key] = held;
  return held.token;
}

void ServiceAccountTokens::Forget(const std::string& uid) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = held_.lower_bound(uid + "\n");
       it != held_.end() && it->first.rfind(uid + "\n", 0) == 0;) {
    it = held_.erase(it);
  }
}

}  // namespace berth::node
