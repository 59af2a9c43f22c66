#include "logs/log_reader.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "logs/cri_log.h"
#include "tests/support/temp_dir.h"

namespace berth::node {
namespace {

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kT0 = 1767225600 * kSecond;  // 2026-01-01T00:00:00Z

// Collects what the reader writes; can play a client that goes away.
class CollectingStream : public ResponseStream {
 public:
  bool Write(std::string_view data) override {
    std::lock_guard<std::mutex> l(mu_);
    if (gone_) return false;
    text_.append(data);
    cv_.notify_all();
    return true;
  }
  bool ClientGone() override {
    std::lock_guard<std::mutex> l(mu_);
    return gone_;
  }
  void Leave() {
    std::lock_guard<std::mutex> l(mu_);
    gone_ = true;
  }
  std::string text() {
    std::lock_guard<std::mutex> l(mu_);
    return text_;
  }
  // Blocks until the collected text ends with `suffix` (no deadline: the
  // test fails by the ctest timeout if it never comes).
  void WaitFor(const std::string& suffix) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] {
      return text_.size() >= suffix.size() &&
             text_.compare(text_.size() - suffix.size(), suffix.size(),
                           suffix) == 0;
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  bool gone_ = false;
};

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = tmp_.path() + "/0.log"; }
  void Append(int64_t t, const std::string& stream, bool partial,
              const std::string& text) {
    std::ofstream(path_, std::ios::app)
        << FormatCriLogLine(t, stream, partial, text);
  }
  std::string Read(const LogOptions& o) {
    CollectingStream out;
    Status s = ReadLogs(path_, o, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.text();
  }
  void WriteSample() {
    Append(kT0, "stdout", false, "one");
    Append(kT0 + kSecond, "stderr", false, "two");
    Append(kT0 + 2 * kSecond, "stdout", true, "thr");
    Append(kT0 + 2 * kSecond + 1, "stdout", false, "ee");
    Append(kT0 + 3 * kSecond, "stdout", false, "four");
  }

  testing::TempDir tmp_;
  std::string path_;
};

TEST_F(LogReaderTest, JoinsPartialRecords) {
  WriteSample();
  EXPECT_EQ(Read({}), "one\ntwo\nthree\nfour\n");
}

TEST_F(LogReaderTest, TimestampsOnlyAtLineStarts) {
  WriteSample();
  LogOptions o;
  o.timestamps = true;
  EXPECT_EQ(Read(o),
            "2026-01-01T00:00:00Z one\n"
            "2026-01-01T00:00:01Z two\n"
            "2026-01-01T00:00:02Z three\n"
            "2026-01-01T00:00:03Z four\n");
}

TEST_F(LogReaderTest, TailSinceLimitAndStream) {
  WriteSample();
  LogOptions tail;
  tail.tail_lines = 2;  // CRI records, as the kubelet counts them
  EXPECT_EQ(Read(tail), "ee\nfour\n");
  tail.tail_lines = 0;
  EXPECT_EQ(Read(tail), "");
  tail.tail_lines = 100;
  EXPECT_EQ(Read(tail), "one\ntwo\nthree\nfour\n");

  LogOptions since;
  since.since_ns = kT0 + kSecond;
  EXPECT_EQ(Read(since), "two\nthree\nfour\n");

  LogOptions limit;
  limit.limit_bytes = 6;
  EXPECT_EQ(Read(limit), "one\ntw");

  LogOptions err;
  err.stream = "Stderr";
  EXPECT_EQ(Read(err), "two\n");
}

TEST_F(LogReaderTest, MissingFileIsNotFound) {
  CollectingStream out;
  Status s = ReadLogs(path_, {}, out);
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.message(), "failed to open log file \"" + path_ + "\": open " +
                             path_ + ": no such file or directory");
}

TEST_F(LogReaderTest, FollowAcrossRotationUntilContainerStops) {
  Append(kT0, "stdout", false, "before");
  CollectingStream out;
  std::atomic<bool> running{true};
  LogOptions o;
  o.follow = true;
  FollowControl control;
  control.container_running = [&] { return running.load(); };
  control.poll = std::chrono::milliseconds(5);
  Status status;
  std::thread reader([&] { status = ReadLogs(path_, o, out, control); });
  out.WaitFor("before\n");
  Append(kT0 + 1, "stdout", true, "par");
  Append(kT0 + 2, "stdout", false, "tial");
  out.WaitFor("partial\n");
  // Rotation: the runtime's file is renamed and a new one is opened.
  ASSERT_EQ(rename(path_.c_str(), (path_ + ".1").c_str()), 0);
  Append(kT0 + 3, "stdout", false, "after rotation");
  out.WaitFor("after rotation\n");
  Append(kT0 + 4, "stdout", false, "last words");
  running = false;
  reader.join();
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(out.text(), "before\npartial\nafter rotation\nlast words\n");
}

TEST_F(LogReaderTest, FollowStopsWhenClientLeaves) {
  Append(kT0, "stdout", false, "x");
  CollectingStream out;
  LogOptions o;
  o.follow = true;
  FollowControl control;
  control.container_running = [] { return true; };
  control.poll = std::chrono::milliseconds(5);
  std::thread reader([&] { ReadLogs(path_, o, out, control); });
  out.WaitFor("x\n");
  out.Leave();
  reader.join();  // returns: the client is gone
  EXPECT_EQ(out.text(), "x\n");
}

TEST(LogOptionsTest, FromRequestValidatesLikeTheApiserver) {
  ConnectRequest r;
  r.query = {{"follow", "true"},
             {"tailLines", "10"},
             {"timestamps", "1"},
             {"limitBytes", "100"},
             {"sinceSeconds", "60"}};
  auto o = LogOptionsFromRequest(r, kT0);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_TRUE(o->follow);
  EXPECT_TRUE(o->timestamps);
  EXPECT_EQ(*o->tail_lines, 10);
  EXPECT_EQ(*o->limit_bytes, 100);
  EXPECT_EQ(*o->since_ns, kT0 - 60 * kSecond);

  r.query = {{"sinceTime", "2026-01-01T00:00:00Z"}};
  EXPECT_EQ(*LogOptionsFromRequest(r, 0)->since_ns, kT0);

  r.query = {{"sinceTime", "2026-01-01T00:00:00Z"}, {"sinceSeconds", "5"}};
  EXPECT_EQ(LogOptionsFromRequest(r, 0).status().message(),
            "at most one of `sinceTime` or `sinceSeconds` may be specified");
  r.query = {{"tailLines", "-1"}};
  EXPECT_EQ(LogOptionsFromRequest(r, 0).status().message(),
            "tailLines: Invalid value: -1: must be greater than or equal to 0");
  r.query = {{"limitBytes", "0"}};
  EXPECT_EQ(LogOptionsFromRequest(r, 0).status().message(),
            "limitBytes: Invalid value: 0: must be greater than 0");
}

}  // namespace
}  // namespace berth::node
