// Authorization: the question "may this user do this?" as Kubernetes asks
// it (authorization.k8s.io attributes), and the Authorizer that answers it.
// The kernel hands its authorizer to review kinds (Kind::Review) so a plugin
// can serve SelfSubjectAccessReview and SelfSubjectRulesReview; with no
// authorization plugin enabled the kernel's authorizer allows every
// authenticated request, as kube-apiserver's AlwaysAllow mode does.
//
// Thread safety: Authorizer methods are called from many request threads at
// once and must be safe for that; the structs are values.
#ifndef BERTH_SDK_AUTHORIZATION_H_
#define BERTH_SDK_AUTHORIZATION_H_

#include <string>
#include <vector>

#include "berth/admission.h"

namespace berth {

// A request on an API resource ("create deployments.apps in default") or on
// a non-resource path ("get /healthz").
struct AuthorizationAttributes {
  UserInfo user;
  bool resource_request = true;
  std::string verb;  // "get", "list", "create", ... ("*" in rules)
  // Resource requests.
  std::string ns;     // "" for cluster scope or all namespaces
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // "pods"
  std::string subresource;
  std::string name;
  // Non-resource requests.
  std::string path;  // "/healthz"
};

struct AuthorizationDecision {
  bool allowed = false;
  std::string reason;  // why, for the user; may be empty
};

// What a user may do, as SelfSubjectRulesReview reports it.
struct ResourceRule {
  std::vector<std::string> verbs;
  std::vector<std::string> api_groups;
  std::vector<std::string> resources;
  std::vector<std::string> resource_names;
};
struct NonResourceRule {
  std::vector<std::string> verbs;
  std::vector<std::string> non_resource_urls;
};
struct UserRules {
  std::vector<ResourceRule> resource_rules;
  std::vector<NonResourceRule> non_resource_rules;
  // True when the authorizer cannot list every rule (e.g. a webhook).
  bool incomplete = false;
  std::string evaluation_error;
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // The decision for one request. Never fails: an authorizer that cannot
  // decide denies and says why in `reason`.
  virtual AuthorizationDecision Authorize(
      const AuthorizationAttributes& attributes) const = 0;
  // Everything `user` may do in namespace `ns` ("" for cluster scope).
  virtual UserRules RulesFor(const UserInfo& user,
                             const std::string& ns) const = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_AUTHORIZATION_H_
