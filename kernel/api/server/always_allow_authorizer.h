// AlwaysAllowAuthorizer: the kernel's authorizer while no authorization
// plugin is enabled — every authenticated request is allowed, as
// kube-apiserver's --authorization-mode=AlwaysAllow does, and a user's rules
// are "everything".
//
// Thread safety: stateless; safe from any thread.
#ifndef BERTH_KERNEL_API_SERVER_ALWAYS_ALLOW_AUTHORIZER_H_
#define BERTH_KERNEL_API_SERVER_ALWAYS_ALLOW_AUTHORIZER_H_

#include <string>

#include "berth/authorization.h"

namespace berth::api {

class AlwaysAllowAuthorizer : public Authorizer {
 public:
  AuthorizationDecision Authorize(
      const AuthorizationAttributes& attributes) const override {
    return {true, ""};
  }
  UserRules RulesFor(const UserInfo& user,
                     const std::string& ns) const override {
    UserRules rules;
    rules.resource_rules.push_back({{"*"}, {"*"}, {"*"}, {}});
    rules.non_resource_rules.push_back({{"*"}, {"*"}});
    return rules;
  }
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_ALWAYS_ALLOW_AUTHORIZER_H_
