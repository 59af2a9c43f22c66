// Image references are read as docker reads them, so "busybox" in a pod
// spec means the same image here as under docker or containerd.
#include "plugins/runtime/oci/image/image_reference.h"

#include <gtest/gtest.h>

namespace berth::oci {
namespace {

TEST(ImageReferenceTest, BareNameIsDockerHubLibraryLatest) {
  auto r = ParseImageReference("busybox");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->String(), "docker.io/library/busybox:latest");
  EXPECT_EQ(r->RegistryHost(), "registry-1.docker.io");
}

TEST(ImageReferenceTest, UserRepoOnDockerHubKeepsItsNamespace) {
  auto r = ParseImageReference("bitnami/nginx:1.25");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->String(), "docker.io/bitnami/nginx:1.25");
}

TEST(ImageReferenceTest, HostWithPortIsARegistry) {
  auto r = ParseImageReference("127.0.0.1:5000/team/app:v1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->domain, "127.0.0.1:5000");
  EXPECT_EQ(r->repository, "team/app");
  EXPECT_EQ(r->tag, "v1");
  auto l = ParseImageReference("localhost/app");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->String(), "localhost/app:latest");
}

TEST(ImageReferenceTest, DigestPinsTheImage) {
  std::string d = "sha256:" + std::string(64, 'a');
  auto r = ParseImageReference("registry.local:5000/app@" + d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->digest, d);
  EXPECT_EQ(r->tag, "");
  EXPECT_EQ(r->String(), "registry.local:5000/app@" + d);
}

TEST(ImageReferenceTest, MalformedNamesAreInvalid) {
  for (const char* bad : {"", "Busybox", "app@sha256:123", "app:", "a//b"}) {
    auto r = ParseImageReference(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalid) << bad;
    }
  }
}

}  // namespace
}  // namespace berth::oci
