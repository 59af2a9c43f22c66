// Connect subresources served by a real `berth server`, driven by the real
// kubectl: logs (plain, --tail, --timestamps, -f), exec (exit code, stdin,
// stderr, NotFound), attach and port-forward (an HTTP request and a 1 MiB
// response), with kubectl 1.32 (WebSocket v5 exec, SPDY tunnelled in
// WebSocket for port-forward) and kubectl 1.27 (SPDY/3.1 for both). A test
// plugin (test_connect_plugin.cc) stands in for the node agent: it runs
// commands and dials ports on this host.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth {
namespace {

using testing::BerthServer;
using testing::CommandResult;
using testing::HaveKubectl;
using testing::kNoKubectl;
using testing::KubectlEnv;
using testing::RunCommand;
using testing::TempDir;

constexpr char kKubectl127[] = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A shell command running in the background in its own process group, its
// output (stdout and stderr) in a file. Killed with its group when done.
class Background {
 public:
  Background(const std::string& command,
             const std::map<std::string, std::string>& env,
             std::string out_path)
      : out_path_(std::move(out_path)) {
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int in = open("/dev/null", O_RDONLY);
      dup2(in, 0);
      dup2(out, 1);
      dup2(out, 2);
      execl("/bin/sh", "sh", "-c", command.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid_ > 0) setpgid(pid_, pid_);
  }
  ~Background() { Stop(); }

  void Stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string Output() const { return ReadFile(out_path_); }
  // The first match of `pattern`'s group 1 in the output, waiting up to
  // `timeout_s` seconds for it; "" when it never shows.
  std::string WaitFor(const std::string& pattern, int timeout_s) const {
    const std::regex re(pattern);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch m;
      std::string out = Output();
      if (std::regex_search(out, m, re)) return m.size() > 1 ? m[1] : m[0];
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

 private:
  std::string out_path_;
  pid_t pid_ = -1;
};

class StreamsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveKubectl()) return;
    dir_ = new TempDir();
    std::filesystem::create_directories(dir_->path() + "/home");
    const std::string config = dir_->path() + "/berth.yaml";
    std::ofstream(config) << "pluginDirs: [" << BERTH_TEST_CONNECT_PLUGIN_DIR
                          << "]\nplugins:\n  - core\n  - test_connect\n";
    server_ = new BerthServer(dir_->path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config})) << server_->log();
    CommandResult r = Kubectl("run p --image=busybox --restart=Never");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // port-forward refuses a pod that is not Running; no node runs it here.
    r = Kubectl(
        "patch pod p --subresource=status --type=merge "
        "-p '{\"status\":{\"phase\":\"Running\"}}'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
      delete server_;
      server_ = nullptr;
    }
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
  }
  static std::map<std::string, std::string> Env() {
    return KubectlEnv(*server_, dir_->path() + "/home");
  }
  static CommandResult Kubectl(const std::string& args,
                               const std::string& input = "",
                               const std::string& binary = "kubectl") {
    return RunCommand(binary + " " + args, Env(), input, 60);
  }
  static bool HaveKubectl127() { return access(kKubectl127, X_OK) == 0; }

  static TempDir* dir_;
  static BerthServer* server_;
};

TempDir* StreamsTest::dir_ = nullptr;
BerthServer* StreamsTest::server_ = nullptr;

TEST_F(StreamsTest, DiscoveryListsConnectSubresources) {
  CommandResult r = Kubectl("get --raw /api/v1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"({"name":"pods/log","singularName":"",)"
                       R"("namespaced":true,"kind":"Pod","verbs":["get"]})"),
            std::string::npos)
      << r.out;
  for (const char* sub : {"exec", "attach", "portforward"}) {
    std::regex re(std::string(R"(\{"name":"pods/)") + sub +
                  R"(",[^}]*"verbs":\["create","get"\]\})");
    EXPECT_TRUE(std::regex_search(r.out, re)) << sub << "\n" << r.out;
  }
}

TEST_F(StreamsTest, LogsPrintTheLinesAndHonourTailAndTimestamps) {
  CommandResult r = Kubectl("logs p");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "line 1 of pod default/p\nline 2 of pod default/p\n"
            "line 3 of pod default/p\nline 4 of pod default/p\n"
            "line 5 of pod default/p\n");
  r = Kubectl("logs p --tail=2 --timestamps");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "2026-01-01T00:00:04.000000000Z line 4 of pod default/p\n"
            "2026-01-01T00:00:05.000000000Z line 5 of pod default/p\n");
}

TEST_F(StreamsTest, LogsFollowStreamsUntilKubectlGoes) {
  Background follow("kubectl logs -f p", Env(), dir_->path() + "/follow.out");
  EXPECT_EQ(follow.WaitFor("(line 8 of pod default/p)", 30),
            "line 8 of pod default/p")
      << follow.Output();
  // An open follower holds up no other request.
  CommandResult r = Kubectl("logs p --tail=1");
  EXPECT_EQ(r.out, "line 5 of pod default/p\n") << r.err;
  follow.Stop();
  // Nor does its end.
  r = Kubectl("get pod p -o name");
  EXPECT_EQ(r.out, "pod/p\n") << r.err;
}

TEST_F(StreamsTest, LogsOfAMissingPodIsNotFound) {
  CommandResult r =
      Kubectl("get --raw /api/v1/namespaces/default/pods/nope/log");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Error from server (NotFound): pods \"nope\" not found"),
            std::string::npos)
      << r.err;
}

// Exec with each client and protocol: the output, the exit code kubectl
// turns the final status into, and stdin piped to the command.
void ExpectExecWorks(const std::string& binary,
                     const std::map<std::string, std::string>& env) {
  CommandResult r =
      RunCommand(binary + " exec p -- sh -c 'echo hi; echo oops >&2; exit 3'",
                 env, "", 60);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_NE(r.err.find("oops\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("command terminated with exit code 3"),
            std::string::npos)
      << r.err;
  r = RunCommand(binary + " exec -i p -- cat", env, "abc\n", 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "abc\n");
  r = RunCommand(binary + " exec p -- true", env, "", 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(StreamsTest, ExecOverWebSocket) { ExpectExecWorks("kubectl", Env()); }

TEST_F(StreamsTest, ExecOverSpdyWhenWebSocketsAreOff) {
  auto env = Env();
  env["KUBECTL_REMOTE_COMMAND_WEBSOCKETS"] = "false";
  ExpectExecWorks("kubectl", env);
}

TEST_F(StreamsTest, ExecOverSpdyFromKubectl127) {
  if (!HaveKubectl127()) GTEST_SKIP() << kKubectl127 << " is not installed";
  ExpectExecWorks(kKubectl127, Env());
}

TEST_F(StreamsTest, ExecOnAMissingPodIsNotFound) {
  CommandResult r = Kubectl("exec nope -- true");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Error from server (NotFound): pods \"nope\" not found"),
            std::string::npos)
      << r.err;
}

TEST_F(StreamsTest, AttachCarriesStdin) {
  CommandResult r = Kubectl("attach -i p", "hello\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("attached to p\nhello\n"), std::string::npos) << r.out;
}

// An HTTP server on this host (the "pod") serving a 1 MiB file.
class HttpServer {
 public:
  explicit HttpServer(const std::string& dir)
      : content_(RandomBytes(1 << 20)), root_(dir + "/www") {
    // The file first: the server starts in its directory.
    std::filesystem::create_directories(root_);
    std::ofstream(root_ + "/big.bin", std::ios::binary) << content_;
    server_ = std::make_unique<Background>(
        "cd " + root_ + " && exec python3 -u -m http.server 0 --bind 127.0.0.1",
        std::map<std::string, std::string>{}, dir + "/http.out");
    port_ = server_->WaitFor(R"(port (\d+))", 30);
  }
  const std::string& port() const { return port_; }
  const std::string& content() const { return content_; }

 private:
  static std::string RandomBytes(size_t n) {
    std::mt19937 rng(static_cast<unsigned>(getpid()));
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  }
  std::string content_;
  std::string root_;
  std::unique_ptr<Background> server_;
  std::string port_;
};

void ExpectPortForwardWorks(const std::string& binary,
                            const std::map<std::string, std::string>& env,
                            const std::string& dir) {
  if (RunCommand("command -v python3 && command -v curl").exit_code != 0) {
    GTEST_SKIP() << "python3 or curl is missing";
  }
  HttpServer http(dir);
  ASSERT_FALSE(http.port().empty()) << ReadFile(dir + "/http.out");
  Background forward(binary + " port-forward pod/p :" + http.port(), env,
                     dir + "/forward.out");
  const std::string local =
      forward.WaitFor(R"(Forwarding from 127\.0\.0\.1:(\d+))", 30);
  ASSERT_FALSE(local.empty()) << forward.Output();
  // Two connections through one forward, each a whole response.
  for (int i = 0; i < 2; ++i) {
    const std::string got = dir + "/got" + std::to_string(i);
    CommandResult r = RunCommand("curl -sS -o " + got +
                                 " http://127.0.0.1:" + local + "/big.bin");
    ASSERT_EQ(r.exit_code, 0) << r.err << forward.Output();
    EXPECT_TRUE(ReadFile(got) == http.content())
        << "the forwarded response differs (" << ReadFile(got).size()
        << " bytes)";
  }
  EXPECT_NE(forward.Output().find("Handling connection for " + local),
            std::string::npos)
      << forward.Output();
}

TEST_F(StreamsTest, PortForwardOverSpdyInWebSocket) {
  TempDir dir;
  ExpectPortForwardWorks("kubectl", Env(), dir.path());
}

TEST_F(StreamsTest, PortForwardOverSpdyFromKubectl127) {
  if (!HaveKubectl127()) GTEST_SKIP() << kKubectl127 << " is not installed";
  TempDir dir;
  ExpectPortForwardWorks(kKubectl127, Env(), dir.path());
}

}  // namespace
}  // namespace berth
