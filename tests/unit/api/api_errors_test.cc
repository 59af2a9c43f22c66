// The wording of the kernel's API errors, as k8s.io/apimachinery's
// apierrors writes it: kinds and resources of a named group are qualified
// by it, the core group's are not.
#include "kernel/api/server/api_errors.h"

#include <gtest/gtest.h>

namespace berth::api {
namespace {

KindInfo Info(const std::string& group, const std::string& kind,
              const std::string& plural) {
  KindInfo info;
  info.group = group;
  info.version = "v1";
  info.kind = kind;
  info.plural = plural;
  return info;
}

TEST(ApiErrors, InvalidQualifiesTheKindWithItsGroup) {
  const Status apps = InvalidError(Info("apps", "Deployment", "deployments"),
                                   "web", {field::Required("spec.selector")});
  EXPECT_EQ(apps.code(), Status::Code::kInvalid);
  EXPECT_EQ(apps.message(),
            "Deployment.apps \"web\" is invalid: spec.selector: Required "
            "value");
  const Status core = InvalidError(
      Info("", "Pod", "pods"), "p",
      {field::Required("spec.containers"), field::Required("metadata.name")});
  EXPECT_EQ(core.message(),
            "Pod \"p\" is invalid: [spec.containers: Required value, "
            "metadata.name: Required value]");
}

TEST(ApiErrors, NotFoundQualifiesTheResourceWithItsGroup) {
  EXPECT_EQ(
      NotFoundError(Info("apps", "Deployment", "deployments"), "web").message(),
      "deployments.apps \"web\" not found");
  EXPECT_EQ(NotFoundError(Info("", "Pod", "pods"), "p").message(),
            "pods \"p\" not found");
}

}  // namespace
}  // namespace berth::api
