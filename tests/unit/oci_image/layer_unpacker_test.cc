// Layers unpack into directories overlayfs can stack: content, metadata
// and the layer format's whiteouts turned into overlay whiteouts.
#include "plugins/runtime/oci/image/layer_unpacker.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugins/runtime/oci/image/sha256.h"
#include "tests/support/process.h"

namespace berth::oci {
namespace {

namespace fs = std::filesystem;
using berth::testing::RunCommand;
using berth::testing::TempDir;

class LayerUnpackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (ownership, whiteouts)";
    src_ = dir_.path() + "/src";
    dest_ = dir_.path() + "/dest";
    fs::create_directories(src_);
    fs::create_directories(dest_);
  }
  // Tars src_ (keeping owners and xattrs) into layer.tar[.gz].
  std::string Pack(bool gzip) {
    std::string out = dir_.path() + (gzip ? "/layer.tar.gz" : "/layer.tar");
    auto r = RunCommand(std::string("tar --xattrs --xattrs-include='*' ") +
                        (gzip ? "-czf " : "-cf ") + out + " -C " + src_ + " .");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
  }

  TempDir dir_;
  std::string src_, dest_;
};

TEST_F(LayerUnpackerTest, KeepsFilesLinksModesOwnersAndXattrs) {
  fs::create_directories(src_ + "/etc/app");
  std::ofstream(src_ + "/etc/app/conf") << "hello";
  chmod((src_ + "/etc/app/conf").c_str(), 0640);
  ASSERT_EQ(chown((src_ + "/etc/app/conf").c_str(), 1000, 2000), 0);
  fs::create_symlink("/etc/app/conf", src_ + "/link");
  fs::create_hard_link(src_ + "/etc/app/conf", src_ + "/hard");
  ASSERT_EQ(setxattr((src_ + "/etc/app/conf").c_str(), "user.berth", "v", 1, 0),
            0);
  auto bytes = UnpackLayer(Pack(/*gzip=*/true), dest_);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();

  struct stat st;
  ASSERT_EQ(lstat((dest_ + "/etc/app/conf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, 1000u);
  EXPECT_EQ(st.st_gid, 2000u);
  EXPECT_EQ(st.st_nlink, 2u);  // the hardlink is a link, not a copy
  EXPECT_EQ(fs::read_symlink(dest_ + "/link"), "/etc/app/conf");
  struct stat hard;
  ASSERT_EQ(stat((dest_ + "/hard").c_str(), &hard), 0);
  EXPECT_EQ(hard.st_ino, st.st_ino);
  char value[8] = {};
  EXPECT_EQ(getxattr((dest_ + "/etc/app/conf").c_str(), "user.berth", value,
                     sizeof(value)),
            1);
  EXPECT_EQ(std::string(value), "v");
  std::ifstream in(dest_ + "/etc/app/conf");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "hello");
}

TEST_F(LayerUnpackerTest, WhiteoutsBecomeOverlayWhiteouts) {
  fs::create_directories(src_ + "/a");
  fs::create_directories(src_ + "/d");
  std::ofstream(src_ + "/a/.wh.gone");
  std::ofstream(src_ + "/d/.wh..wh..opq");
  std::ofstream(src_ + "/d/new") << "x";
  ASSERT_TRUE(UnpackLayer(Pack(/*gzip=*/false), dest_).ok());

  struct stat st;
  ASSERT_EQ(lstat((dest_ + "/a/gone").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  EXPECT_FALSE(fs::exists(dest_ + "/a/.wh.gone"));
  char value[4] = {};
  EXPECT_EQ(getxattr((dest_ + "/d").c_str(), "trusted.overlay.opaque", value,
                     sizeof(value)),
            1);
  EXPECT_EQ(value[0], 'y');
  EXPECT_FALSE(fs::exists(dest_ + "/d/.wh..wh..opq"));
  EXPECT_TRUE(fs::exists(dest_ + "/d/new"));
}

TEST_F(LayerUnpackerTest, EntriesOutsideTheRootAreRefused) {
  std::ofstream(dir_.path() + "/evil") << "x";
  std::string tar = dir_.path() + "/evil.tar";
  auto r = RunCommand("tar -cf " + tar + " -C " + src_ +
                      " --absolute-names ../evil");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(dir_.path() + "/evil") << "orig";  // dest/../evil
  auto bytes = UnpackLayer(tar, dest_);
  EXPECT_FALSE(bytes.ok());
  std::ifstream in(dir_.path() + "/evil");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "orig");
}

TEST_F(LayerUnpackerTest, LinksThroughSymlinksStayInside) {
  // evil -> a directory outside; evil/target and x (a hardlink to it)
  // would write to and link the outside file.
  std::string outside = dir_.path() + "/outside";
  fs::create_directories(outside);
  std::ofstream(outside + "/target") << "secret";
  fs::create_symlink(outside, src_ + "/evil");
  fs::create_hard_link(outside + "/target", src_ + "/x");
  std::string tar = dir_.path() + "/evil.tar";
  auto r = RunCommand("tar -cf " + tar + " -C " + src_ + " evil evil/target x");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Refused or confined (libarchive replaces the symlink by a directory):
  // either way nothing outside changes.
  UnpackLayer(tar, dest_).status();
  struct stat st;
  ASSERT_EQ(stat((outside + "/target").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 2u);  // only src_/x links it, nothing in dest_
  std::ifstream in(outside + "/target");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "secret");
  struct stat x;
  if (lstat((dest_ + "/x").c_str(), &x) == 0) {
    EXPECT_NE(x.st_ino, st.st_ino);
  }
}

TEST_F(LayerUnpackerTest, DiffIdIsTheDigestOfTheUncompressedTar) {
  std::ofstream(src_ + "/f") << "content";
  std::string gz = Pack(/*gzip=*/true);
  auto r = RunCommand("gzip -dc " + gz + " | sha256sum | cut -d' ' -f1");
  ASSERT_EQ(r.exit_code, 0);
  auto diff_id = LayerDiffId(gz);
  ASSERT_TRUE(diff_id.ok()) << diff_id.status().ToString();
  EXPECT_EQ(*diff_id, "sha256:" + r.out.substr(0, 64));
}

}  // namespace
}  // namespace berth::oci
