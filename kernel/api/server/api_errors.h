// API errors: Kubernetes' wording for the common failures, and the
// metav1.Status body every error reply carries. kubectl prints these
// messages verbatim ("Error from server (NotFound): pods \"x\" not found"),
// so the wording follows k8s.io/apimachinery/pkg/api/errors.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SERVER_API_ERRORS_H_
#define BERTH_KERNEL_API_SERVER_API_ERRORS_H_

#include <string>
#include <vector>

#include "berth/kind.h"
#include "berth/status.h"

namespace berth::api {

// "pods" for the core group, "deployments.apps" otherwise.
std::string QualifiedResource(const KindInfo& info);

Status NotFoundError(const KindInfo& info, const std::string& name);
Status AlreadyExistsError(const KindInfo& info, const std::string& name);
Status ConflictError(const KindInfo& info, const std::string& name,
                     const std::string& detail);
// `Pod "x" is invalid: spec.containers[0].image: Required value`.
Status InvalidError(const KindInfo& info, const std::string& name,
                    std::vector<FieldCause> causes);

// The metav1.Status JSON body for `status`. `info` and `name`, when given,
// fill `details` the way the apiserver does.
std::string StatusBody(const Status& status, const KindInfo* info = nullptr,
                       const std::string& name = "");

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_API_ERRORS_H_
