#include "volumes/atomic_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace berth::node {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

std::string LinkTarget(const std::string& path) {
  std::error_code ec;
  return fs::read_symlink(path, ec).string();
}

TEST(AtomicWriterTest, PublishesThroughDataSymlink) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/vol";
  bool changed = false;
  ASSERT_TRUE(WriteAtomically(dir,
                              {{"a", {"one", 0644}}, {"sub/b", {"two", 0400}}},
                              &changed)
                  .ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(Read(dir + "/a"), "one");
  EXPECT_EQ(Read(dir + "/sub/b"), "two");
  // The kubelet's layout: ..data -> ..<timestamp>, key -> ..data/key.
  const std::string ts = LinkTarget(dir + "/..data");
  EXPECT_EQ(ts.rfind("..", 0), 0u) << ts;
  EXPECT_TRUE(fs::is_directory(dir + "/" + ts));
  EXPECT_EQ(LinkTarget(dir + "/a"), "..data/a");
  EXPECT_EQ(LinkTarget(dir + "/sub"), "..data/sub");
  struct stat st;
  ASSERT_EQ(stat((dir + "/sub/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0400u);
}

TEST(AtomicWriterTest, UpdateSwapsWholeSetAndDropsRemovedKeys) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/vol";
  ASSERT_TRUE(
      WriteAtomically(dir, {{"a", {"one", 0644}}, {"old", {"x", 0644}}}).ok());
  const std::string first = LinkTarget(dir + "/..data");

  bool changed = true;
  ASSERT_TRUE(WriteAtomically(dir, {{"a", {"one", 0644}}, {"old", {"x", 0644}}},
                              &changed)
                  .ok());
  EXPECT_FALSE(changed) << "same content must not be rewritten";
  EXPECT_EQ(LinkTarget(dir + "/..data"), first);

  ASSERT_TRUE(WriteAtomically(dir, {{"a", {"uno", 0644}}, {"new", {"y", 0644}}},
                              &changed)
                  .ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(Read(dir + "/a"), "uno");
  EXPECT_EQ(Read(dir + "/new"), "y");
  EXPECT_FALSE(fs::exists(fs::symlink_status(dir + "/old")));
  EXPECT_FALSE(fs::exists(dir + "/" + first)) << "old generation removed";
  EXPECT_NE(LinkTarget(dir + "/..data"), first);
}

TEST(AtomicWriterTest, ModeChangeAloneRewrites) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/vol";
  ASSERT_TRUE(WriteAtomically(dir, {{"a", {"one", 0644}}}).ok());
  bool changed = false;
  ASSERT_TRUE(WriteAtomically(dir, {{"a", {"one", 0600}}}, &changed).ok());
  EXPECT_TRUE(changed);
  struct stat st;
  ASSERT_EQ(stat((dir + "/a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(AtomicWriterTest, RejectsPathsLeavingTheVolume) {
  testing::TempDir tmp;
  EXPECT_FALSE(WriteAtomically(tmp.path(), {{"../x", {"", 0644}}}).ok());
  EXPECT_FALSE(WriteAtomically(tmp.path(), {{"/etc/x", {"", 0644}}}).ok());
  EXPECT_FALSE(WriteAtomically(tmp.path(), {{"a/../../x", {"", 0644}}}).ok());
  EXPECT_FALSE(WriteAtomically(tmp.path(), {{"..data", {"", 0644}}}).ok());
}

}  // namespace
}  // namespace berth::node
