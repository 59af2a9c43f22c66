// PodHostProblem: what keeps a machine from running pods is named, so the
// node agent can report it on its Node instead of failing the server.
#include "pod_host_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace berth::node {
namespace {

using ::testing::HasSubstr;

TEST(PodHostCheckTest, NotRootIsNamedWithTheUid) {
  EXPECT_THAT(PodHostProblem(65534, "/sys/fs/cgroup"),
              HasSubstr("needs root (this process runs as uid 65534)"));
}

TEST(PodHostCheckTest, MissingCgroupsAreNamed) {
  testing::TempDir dir;
  EXPECT_EQ(PodHostProblem(0, dir.path()),
            "no cgroup hierarchy is mounted at " + dir.path());
}

TEST(PodHostCheckTest, CgroupV1MemoryOrV2ControllersAreEnough) {
  testing::TempDir v1, v2;
  std::filesystem::create_directories(v1.path() + "/memory");
  std::ofstream(v2.path() + "/cgroup.controllers") << "cpu memory\n";
  EXPECT_EQ(PodHostProblem(0, v1.path()), "");
  EXPECT_EQ(PodHostProblem(0, v2.path()), "");
}

}  // namespace
}  // namespace berth::node
