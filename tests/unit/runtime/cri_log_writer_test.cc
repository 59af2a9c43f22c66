// CRI log records as the agent and `kubectl logs` parse them.
#include "cri_log_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace berth::runtime {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// "<time> <stream> <tag> <text>" without the time.
std::string Body(const std::string& line) {
  return line.substr(line.find(' ') + 1);
}

TEST(CriLogWriterTest, FormatsTimeStreamTagAndText) {
  auto t = std::chrono::system_clock::time_point(
      std::chrono::seconds(1700000000) + std::chrono::nanoseconds(5));
  EXPECT_EQ(FormatCriLine(t, "stdout", false, "hello"),
            "2023-11-14T22:13:20.000000005Z stdout F hello\n");
  EXPECT_EQ(FormatCriLine(t, "stderr", true, ""),
            "2023-11-14T22:13:20.000000005Z stderr P \n");
}

TEST(CriLogWriterTest, KeepsEachStreamsUnfinishedLineApart) {
  berth::testing::TempDir dir;
  std::string path = dir.path() + "/logs/c.log";
  CriLogWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  w.Write("stdout", "one\ntw");
  w.Write("stderr", "err");
  w.Write("stdout", "o\n");
  w.Write("stderr", "or\n\n");
  w.Write("stdout", "tail");
  w.Flush();
  auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(Body(lines[0]), "stdout F one");
  EXPECT_EQ(Body(lines[1]), "stdout F two");
  EXPECT_EQ(Body(lines[2]), "stderr F error");
  EXPECT_EQ(Body(lines[3]), "stderr F ");
  EXPECT_EQ(Body(lines[4]), "stdout F tail");
}

TEST(CriLogWriterTest, SplitsLongLinesIntoPartialRecords) {
  berth::testing::TempDir dir;
  std::string path = dir.path() + "/c.log";
  CriLogWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  std::string big(CriLogWriter::kMaxLineBytes * 2 + 10, 'x');
  w.Write("stdout", big + "\n");
  auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(Body(lines[0]).substr(0, 9), "stdout P ");
  EXPECT_EQ(Body(lines[1]).substr(0, 9), "stdout P ");
  EXPECT_EQ(Body(lines[2]), "stdout F " + std::string(10, 'x'));
}

TEST(CriLogWriterTest, ReopenWritesToTheNewFileAfterRotation) {
  berth::testing::TempDir dir;
  std::string path = dir.path() + "/c.log";
  CriLogWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  w.Write("stdout", "before\n");
  ASSERT_EQ(rename(path.c_str(), (path + ".1").c_str()), 0);
  w.Write("stdout", "still old\n");
  ASSERT_TRUE(w.Reopen().ok());
  w.Write("stdout", "after\n");
  auto old_lines = Lines(path + ".1");
  auto new_lines = Lines(path);
  ASSERT_EQ(old_lines.size(), 2u);
  ASSERT_EQ(new_lines.size(), 1u);
  EXPECT_EQ(Body(new_lines[0]), "stdout F after");
}

}  // namespace
}  // namespace berth::runtime
