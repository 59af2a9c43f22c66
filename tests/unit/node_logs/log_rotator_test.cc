#include "logs/log_rotator.h"

#include <gtest/gtest.h>

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

class LogRotatorTest : public ::testing::Test {
 protected:
  void SetUp() override { log_ = tmp_.path() + "/0.log"; }
  // What the runtime does on reopen: a new, empty file at the path.
  Status Reopen() {
    ++reopens_;
    std::ofstream(log_, std::ios::app);
    return Status::Ok();
  }
  void Fill(const std::string& text) { std::ofstream(log_) << text; }
  std::string Name(const std::string& path) {
    return fs::path(path).filename().string();
  }

  testing::TempDir tmp_;
  std::string log_;
  int reopens_ = 0;
  std::chrono::system_clock::time_point now_ =
      std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01
};

TEST_F(LogRotatorTest, TimestampNamingKeepsMaxFiles) {
  LogRotator rotator({.max_size_bytes = 4, .max_files = 3},
                     [&] { return now_; });
  Fill("abc");
  EXPECT_FALSE(*rotator.RotateIfNeeded(log_, [&] { return Reopen(); }));
  EXPECT_EQ(reopens_, 0);
  for (int i = 0; i < 4; ++i) {
    Fill("gen" + std::to_string(i));
    auto rotated = rotator.RotateIfNeeded(log_, [&] { return Reopen(); });
    ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
    EXPECT_TRUE(*rotated);
    now_ += std::chrono::seconds(1);
  }
  EXPECT_EQ(reopens_, 4);
  // max_files 3: the current file and the two newest rotated ones.
  auto files = rotator.RotatedFiles(log_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(Name(files[0]), "0.log.20260101-000002");
  EXPECT_EQ(Name(files[1]), "0.log.20260101-000003");
  EXPECT_EQ(Read(files[1]), "gen3");
  EXPECT_EQ(Read(log_), "");
}

TEST_F(LogRotatorTest, SameSecondDoesNotOverwrite) {
  LogRotator rotator({.max_size_bytes = 1, .max_files = 5},
                     [&] { return now_; });
  Fill("a");
  ASSERT_TRUE(*rotator.RotateIfNeeded(log_, [&] { return Reopen(); }));
  Fill("b");
  ASSERT_TRUE(*rotator.RotateIfNeeded(log_, [&] { return Reopen(); }));
  auto files = rotator.RotatedFiles(log_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(Read(files[0]), "a");
  EXPECT_EQ(Read(files[1]), "b");
}

TEST_F(LogRotatorTest, NumberedNamingShifts) {
  LogRotator rotator({.max_size_bytes = 1,
                      .max_files = 3,
                      .naming = LogRotation::Naming::kNumbered});
  for (int i = 0; i < 4; ++i) {
    Fill("gen" + std::to_string(i));
    ASSERT_TRUE(*rotator.RotateIfNeeded(log_, [&] { return Reopen(); }));
  }
  EXPECT_EQ(Read(log_ + ".1"), "gen3");
  EXPECT_EQ(Read(log_ + ".2"), "gen2");
  EXPECT_FALSE(fs::exists(log_ + ".3"));
  auto files = rotator.RotatedFiles(log_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(Name(files[0]), "0.log.2");  // oldest first
}

TEST_F(LogRotatorTest, FailedReopenUndoesTheRename) {
  LogRotator rotator({.max_size_bytes = 1, .max_files = 5},
                     [&] { return now_; });
  Fill("keep");
  auto r = rotator.RotateIfNeeded(
      log_, [] { return Status::Unavailable("runtime down"); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "runtime down");
  EXPECT_EQ(Read(log_), "keep");
  EXPECT_TRUE(rotator.RotatedFiles(log_).empty());
}

}  // namespace
}  // namespace berth::node
