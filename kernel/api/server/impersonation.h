// Impersonation: the Impersonate-User / Impersonate-Group / Impersonate-Uid
// headers (`kubectl --as=jane --as-group=devs`) turn an authenticated
// request into one made as another user, as kube-apiserver's impersonation
// filter does: the real user must be allowed the `impersonate` verb on
// users, groups and uids; a non-anonymous impersonated user gets
// system:authenticated unless a group says otherwise. Impersonate-Extra-*
// headers are accepted and ignored (UserInfo has no extra).
//
// Thread safety: stateless.
#ifndef BERTH_KERNEL_API_SERVER_IMPERSONATION_H_
#define BERTH_KERNEL_API_SERVER_IMPERSONATION_H_

#include <Poco/Net/HTTPServerRequest.h>

#include "berth/authorization.h"
#include "berth/status.h"

namespace berth::api {

// The user the request acts as: `real` when it has no Impersonate-*
// headers. Forbidden (naming the user and what was refused) when the
// authorizer denies; InternalError when groups or a uid are asked for
// without a user, as Kubernetes answers.
StatusOr<UserInfo> Impersonate(const Poco::Net::HTTPServerRequest& request,
                               const UserInfo& real,
                               const Authorizer& authorizer);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_IMPERSONATION_H_
