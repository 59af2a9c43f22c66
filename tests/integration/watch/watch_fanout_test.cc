// Integration: thousands of watches open at once against a real `berth
// server` over HTTPS. They must not cost a server thread each, every one
// must see an update, closing the clients must free them, timeoutSeconds
// and SIGTERM must end them with the last chunk.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/https_stream.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWatches = 2000;
constexpr char kWatchPath[] = "/api/v1/namespaces/default/configmaps?watch=1";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A number from /proc/PID/status ("Threads:") or /proc/PID/limits.
long ProcField(pid_t pid, const std::string& file, const std::string& label,
               int column = 0) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/" + file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(label, 0) != 0) continue;
    std::istringstream fields(line.substr(label.size()));
    std::string v;
    for (int i = 0; i <= column; ++i) fields >> v;
    return std::atol(v.c_str());
  }
  return -1;
}

class WatchFanoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rlimit lim{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
    if (lim.rlim_max < static_cast<rlim_t>(kWatches) + 512) {
      GTEST_SKIP() << "the hard open file limit (" << lim.rlim_max
                   << ") is below what the test needs";
    }
    // The server starts with the usual low soft limit and must raise it
    // itself; this process then raises its own for the client sockets.
    hard_ = lim.rlim_max;
    lim.rlim_cur = 1024;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
    lim.rlim_cur = lim.rlim_max;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
    port_ = PortOf(server_->url());
    std::string tokens = ReadFile(server_->data_dir() + "/tokens.csv");
    token_ = tokens.substr(0, tokens.find(','));
  }

  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  // apiserver_registered_watchers for configmaps, or -1.
  long WatchGauge() {
    std::string m = HttpsRequest(port_, "GET", "/metrics", token_);
    const std::string key =
        "apiserver_registered_watchers{resource=\"configmaps\"} ";
    size_t at = m.find(key);
    return at == std::string::npos ? (m.empty() ? -1 : 0)
                                   : std::atol(m.c_str() + at + key.size());
  }

  long WaitForGauge(long want) {
    long got = WatchGauge();
    for (auto until = Clock::now() + std::chrono::seconds(30);
         got != want && Clock::now() < until;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      got = WatchGauge();
    }
    return got;
  }

  std::vector<std::unique_ptr<HttpsStream>> OpenWatches(int n,
                                                        StreamPoller* poller) {
    std::vector<std::unique_ptr<HttpsStream>> out;
    for (int i = 0; i < n; ++i) {
      std::string error;
      auto s = HttpsStream::Open(port_, "GET", kWatchPath, token_, "", &error);
      EXPECT_TRUE(s) << "watch " << i << ": " << error;
      if (!s) break;
      poller->Add(s.get());
      out.push_back(std::move(s));
    }
    return out;
  }

  // Polls until `done` or 60 s; returns done().
  static bool PollUntil(StreamPoller* poller,
                        const std::function<bool()>& done) {
    for (auto until = Clock::now() + std::chrono::seconds(60);
         !done() && Clock::now() < until;) {
      poller->Poll(100, [](HttpsStream*) {});
    }
    return done();
  }

  TempDir dir_;
  std::unique_ptr<BerthServer> server_;
  rlim_t hard_ = 0;
  int port_ = 0;
  std::string token_;
};

TEST_F(WatchFanoutTest, ThousandsOfWatchesShareAFewThreads) {
  EXPECT_EQ(ProcField(server_->pid(), "limits", "Max open files"),
            static_cast<long>(hard_))
      << "the server did not raise its soft open file limit";
  // The plugins' own threads (scheduler binders, controllers) are there
  // before any watch; only what the watches add is counted.
  const long before = ProcField(server_->pid(), "status", "Threads:");
  ASSERT_GT(before, 0);
  StreamPoller poller;
  auto watches = OpenWatches(kWatches, &poller);
  ASSERT_EQ(watches.size(), static_cast<size_t>(kWatches));
  // Every watch got its response head.
  auto all_have = [&](const std::string& text) {
    for (auto& w : watches) {
      if (w->received().find(text) == std::string::npos) return false;
    }
    return true;
  };
  ASSERT_TRUE(PollUntil(&poller, [&] { return all_have("200 OK"); }));
  EXPECT_EQ(WaitForGauge(kWatches), kWatches);
  // A thread per watch would be thousands more; Poco's pool alone may
  // grow by a few dozen after a burst of requests.
  const long threads = ProcField(server_->pid(), "status", "Threads:");
  EXPECT_GT(threads, 0);
  EXPECT_LT(threads - before, 100)
      << "server threads went from " << before << " to " << threads << " with "
      << kWatches << " watches";

  std::string created = HttpsRequest(
      port_, "POST", "/api/v1/namespaces/default/configmaps", token_,
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fanned"}})");
  ASSERT_EQ(created.rfind("HTTP/1.1 201", 0), 0u) << created;
  EXPECT_TRUE(PollUntil(&poller, [&] {
    return all_have(R"({"type":"ADDED","object":{"apiVersion":"v1")") &&
           all_have(R"("name":"fanned")");
  }));
  for (auto& w : watches) EXPECT_FALSE(w->closed());

  // Clients that go away free their watches on the server.
  for (int i = 0; i < kWatches / 2; ++i) {
    poller.Remove(watches.back().get());
    watches.pop_back();
  }
  EXPECT_EQ(WaitForGauge(kWatches / 2), kWatches / 2);
  for (auto& w : watches) poller.Remove(w.get());
  watches.clear();
  EXPECT_EQ(WaitForGauge(0), 0);
}

TEST_F(WatchFanoutTest, TimeoutSecondsEndsTheStreamWithTheLastChunk) {
  std::string error;
  auto w = HttpsStream::Open(port_, "GET",
                             std::string(kWatchPath) + "&timeoutSeconds=1",
                             token_, "", &error);
  ASSERT_TRUE(w) << error;
  StreamPoller poller;
  poller.Add(w.get());
  EXPECT_TRUE(PollUntil(&poller, [&] { return w->closed(); }));
  const std::string& r = w->received();
  EXPECT_NE(r.find("Transfer-Encoding: chunked"), std::string::npos) << r;
  ASSERT_GE(r.size(), 5u);
  EXPECT_EQ(r.substr(r.size() - 5), "0\r\n\r\n") << r;
  EXPECT_EQ(WaitForGauge(0), 0);
}

// A client that stops reading is dropped once too much waits for it; the
// others keep receiving meanwhile.
TEST_F(WatchFanoutTest, ConsumerThatDoesNotReadIsDroppedNotWaitedFor) {
  std::string error;
  auto stalled =
      HttpsStream::Open(port_, "GET", kWatchPath, token_, "", &error);
  ASSERT_TRUE(stalled) << error;
  StreamPoller poller;
  auto reader = OpenWatches(1, &poller);
  ASSERT_EQ(reader.size(), 1u);
  ASSERT_EQ(WaitForGauge(2), 2);
  // More than the server buffers per watch (8 MiB) plus what loopback
  // socket buffers hold.
  const std::string value(512 * 1024, 'v');
  constexpr int kObjects = 60;
  int received = 0;
  for (int i = 0; i < kObjects; ++i) {
    std::string created = HttpsRequest(
        port_, "POST", "/api/v1/namespaces/default/configmaps", token_,
        R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big-)" +
            std::to_string(i) + R"("},"data":{"v":")" + value + R"("}})");
    ASSERT_EQ(created.rfind("HTTP/1.1 201", 0), 0u) << created.substr(0, 200);
    poller.Poll(0, [](HttpsStream*) {});
  }
  EXPECT_TRUE(PollUntil(&poller, [&] {
    received = 0;
    // The test's own objects (the namespace also holds kube-root-ca.crt).
    for (size_t at = 0;
         (at = reader[0]->received().find(R"("metadata":{"name":"big-)", at)) !=
         std::string::npos;
         ++at) {
      ++received;
    }
    return received == kObjects;
  })) << received;
  EXPECT_FALSE(reader[0]->closed());
  EXPECT_EQ(WaitForGauge(1), 1) << "the stalled watch is still open";
}

TEST_F(WatchFanoutTest, ShutdownEndsEveryWatch) {
  StreamPoller poller;
  auto watches = OpenWatches(200, &poller);
  ASSERT_EQ(watches.size(), 200u);
  ASSERT_EQ(WaitForGauge(200), 200);
  EXPECT_EQ(server_->Stop(), 0) << server_->log();
  server_.reset();
  EXPECT_TRUE(PollUntil(&poller, [&] {
    for (auto& w : watches) {
      if (!w->closed()) return false;
    }
    return true;
  }));
  for (auto& w : watches) {
    const std::string& r = w->received();
    ASSERT_GE(r.size(), 5u);
    EXPECT_EQ(r.substr(r.size() - 5), "0\r\n\r\n") << r;
  }
}

}  // namespace
}  // namespace berth::testing
