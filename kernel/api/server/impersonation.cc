#include "kernel/api/server/impersonation.h"

#include <strings.h>

#include <string>
#include <vector>

#include "kernel/api/tls/user_info.h"

namespace berth::api {
namespace {

constexpr char kUnauthenticated[] = "system:unauthenticated";
constexpr char kAnonymous[] = "system:anonymous";

std::vector<std::string> HeaderValues(
    const Poco::Net::HTTPServerRequest& request, const char* name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : request) {
    if (strcasecmp(key.c_str(), name) == 0) values.push_back(value);
  }
  return values;
}

// Checks `verb` "impersonate" on `resource` `name` for the real user.
Status Allowed(const Authorizer& authorizer, const UserInfo& real,
               const std::string& resource, const std::string& name) {
  AuthorizationAttributes attrs;
  attrs.user = real;
  attrs.verb = "impersonate";
  attrs.resource = resource;
  attrs.name = name;
  if (authorizer.Authorize(attrs).allowed) return {};
  return Status::Forbidden(resource + " \"" + name +
                           "\" is forbidden: User \"" + real.name +
                           "\" cannot impersonate resource \"" + resource +
                           "\" in API group \"\" at the cluster scope");
}

}  // namespace

StatusOr<UserInfo> Impersonate(const Poco::Net::HTTPServerRequest& request,
                               const UserInfo& real,
                               const Authorizer& authorizer) {
  const std::vector<std::string> users =
      HeaderValues(request, "Impersonate-User");
  const std::vector<std::string> groups =
      HeaderValues(request, "Impersonate-Group");
  const std::vector<std::string> uids =
      HeaderValues(request, "Impersonate-Uid");
  if (users.empty()) {
    if (groups.empty() && uids.empty()) return real;
    return Status::Internal(
        "Internal error occurred: requested impersonation of groups or a "
        "uid without impersonating a user");
  }
  UserInfo as;
  as.name = users.front();
  if (Status s = Allowed(authorizer, real, "users", as.name); !s.ok()) {
    return s;
  }
  for (const std::string& g : groups) {
    if (Status s = Allowed(authorizer, real, "groups", g); !s.ok()) return s;
    as.groups.push_back(g);
  }
  if (!uids.empty()) {
    if (Status s = Allowed(authorizer, real, "uids", uids.front()); !s.ok()) {
      return s;
    }
    as.uid = uids.front();
  }
  bool marked = false;
  for (const std::string& g : as.groups) {
    marked |= g == tls::kAuthenticatedGroup || g == kUnauthenticated;
  }
  if (!marked) {
    as.groups.push_back(as.name == kAnonymous ? kUnauthenticated
                                              : tls::kAuthenticatedGroup);
  }
  return as;
}

}  // namespace berth::api
