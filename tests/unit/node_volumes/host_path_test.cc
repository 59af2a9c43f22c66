#include "volumes/host_path.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace berth::node {
namespace {

namespace fs = std::filesystem;

class HostPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path() + "/dir";
    file_ = tmp_.path() + "/file";
    fs::create_directory(dir_);
    std::ofstream(file_) << "x";
  }
  std::string Message(const std::string& path, const std::string& type) {
    return CheckHostPathType(path, type).message();
  }
  testing::TempDir tmp_;
  std::string dir_, file_;
};

TEST_F(HostPathTest, DirectoryAndFileChecks) {
  EXPECT_TRUE(CheckHostPathType(dir_, "Directory").ok());
  EXPECT_TRUE(CheckHostPathType(file_, "File").ok());
  EXPECT_TRUE(CheckHostPathType(tmp_.path() + "/none", "").ok());
  EXPECT_EQ(Message(file_, "Directory"),
            "hostPath type check failed: " + file_ + " is not a directory");
  EXPECT_EQ(Message(tmp_.path() + "/none", "Directory"),
            "hostPath type check failed: " + tmp_.path() +
                "/none is not a directory");
  EXPECT_EQ(Message(dir_, "File"),
            "hostPath type check failed: " + dir_ + " is not a file");
  EXPECT_EQ(Message(dir_, "Socket"),
            "hostPath type check failed: " + dir_ + " is not a socket file");
  EXPECT_EQ(
      Message(file_, "CharDevice"),
      "hostPath type check failed: " + file_ + " is not a character device");
  EXPECT_EQ(Message(file_, "BlockDevice"),
            "hostPath type check failed: " + file_ + " is not a block device");
  EXPECT_EQ(Message(file_, "Weird"), "Weird is an invalid volume type");
}

TEST_F(HostPathTest, OrCreateMakesWhatIsMissing) {
  const std::string new_dir = tmp_.path() + "/a/b/c";
  ASSERT_TRUE(CheckHostPathType(new_dir, "DirectoryOrCreate").ok());
  EXPECT_TRUE(fs::is_directory(new_dir));
  EXPECT_EQ(fs::status(new_dir).permissions() & fs::perms::all,
            static_cast<fs::perms>(0755));
  const std::string new_file = tmp_.path() + "/made";
  ASSERT_TRUE(CheckHostPathType(new_file, "FileOrCreate").ok());
  EXPECT_TRUE(fs::is_regular_file(new_file));
  // FileOrCreate does not make the parent, as in Kubernetes.
  EXPECT_FALSE(
      CheckHostPathType(tmp_.path() + "/no/parent", "FileOrCreate").ok());
  // Existing paths of the other kind still fail.
  EXPECT_EQ(Message(file_, "DirectoryOrCreate"),
            "hostPath type check failed: " + file_ + " is not a directory");
  EXPECT_EQ(Message(dir_, "FileOrCreate"),
            "hostPath type check failed: " + dir_ + " is not a file");
}

TEST_F(HostPathTest, SocketsAndDevices) {
  const std::string sock = tmp_.path() + "/s.sock";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_TRUE(CheckHostPathType(sock, "Socket").ok());
  close(fd);
  EXPECT_TRUE(CheckHostPathType("/dev/null", "CharDevice").ok());
  EXPECT_EQ(Message("/dev/null", "BlockDevice"),
            "hostPath type check failed: /dev/null is not a block device");
}

}  // namespace
}  // namespace berth::node
