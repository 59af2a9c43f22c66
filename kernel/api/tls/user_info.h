// UserInfo: who an authenticated request is, as the Kubernetes authenticator
// chain reports it (user.Info) and authorization (RBAC) consumes it.
//
// Thread safety: a plain value.
#ifndef BERTH_KERNEL_API_TLS_USER_INFO_H_
#define BERTH_KERNEL_API_TLS_USER_INFO_H_

#include "berth/admission.h"

namespace berth::tls {

// Every authenticated user carries this group, as in Kubernetes.
inline constexpr char kAuthenticatedGroup[] = "system:authenticated";

// The SDK's type, so the authenticated user reaches admission and review
// kinds without a conversion.
using UserInfo = ::berth::UserInfo;

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_USER_INFO_H_
