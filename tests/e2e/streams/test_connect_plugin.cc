// Test plugin "test_connect": a ConnectHandler for pods that stands in for
// the node agent, so the kernel's serving of connect subresources can be
// driven with the real kubectl. It needs the Pod object only:
//   log          lines naming the pod ("line 3 of pod default/p");
//                follow=true adds one every 100 ms until the client goes;
//                tailLines and timestamps are honoured.
//   exec         runs the command on this host: through the host's exec
//                service when no stdin is attached, else as a child with
//                pipes (a tty is not emulated: stderr joins stdout).
//   attach       echoes stdin to stdout after a greeting line.
//   portforward  connects each stream to 127.0.0.1:<port> on this host.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "berth/connect.h"
#include "berth/host.h"
#include "berth/plugin.h"
#include "berth/process.h"

namespace {

using berth::ConnectProtocol;
using berth::ConnectRequest;
using berth::ConnectSession;
using berth::ConnectSubresource;
using berth::ExecResult;
using berth::ExecStreams;
using berth::Status;
using berth::StatusOr;

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

class LogSession : public ConnectSession {
 public:
  explicit LogSession(const ConnectRequest& r) : request_(r) {}

  Status ServeStream(berth::ResponseStream& out) override {
    const int total = 5;
    int tail = total;
    if (auto t = request_.Param("tailLines")) tail = std::atoi(t->c_str());
    const bool timestamps = request_.Param("timestamps") == "true";
    const bool follow = request_.Param("follow") == "true";
    int n = 0;
    auto line = [&](int i) {
      std::string s;
      if (timestamps) {
        char ts[64];
        std::snprintf(ts, sizeof(ts), "2026-01-01T00:%02d:%02d.000000000Z ",
                      (i / 60) % 60, i % 60);
        s = ts;
      }
      return s + "line " + std::to_string(i) + " of pod " +
             request_.namespace_name + "/" + request_.name + "\n";
    };
    for (n = 1; n <= total; ++n) {
      if (n > total - tail && !out.Write(line(n))) return {};
    }
    if (!follow) return {};
    // A follower ends when its client does; bounded for safety.
    const auto end = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (!out.ClientGone() && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!out.Write(line(n++))) break;
    }
    return {};
  }

 private:
  ConnectRequest request_;
};

// Runs argv as a child with pipes; stdin comes from the session.
ExecResult RunPiped(const std::vector<std::string>& argv, ExecStreams& s) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    return {Status::Internal("pipe failed"), 0};
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const bool merge = s.tty();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(merge ? out[1] : err[1], 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return {Status::Internal("fork failed"), 0};
  }
  std::thread pump([&s, fd = in[1]] {
    std::string data;
    while (s.has_stdin() && s.ReadStdin(data)) {
      if (!WriteAll(fd, data)) break;
      data.clear();
    }
    close(fd);
  });
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[16384];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string_view d(buf, static_cast<size_t>(n));
      if (i == 0) {
        s.WriteStdout(d);
      } else {
        s.WriteStderr(d);
      }
    }
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  pump.join();
  return {Status(), WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128};
}

class ExecSession : public ConnectSession {
 public:
  ExecSession(berth::Host* host, const ConnectRequest& r)
      : host_(host), request_(r) {}

  ExecResult ServeExec(ExecStreams& s) override {
    if (request_.subresource == "attach") {
      s.WriteStdout("attached to " + request_.name + "\n");
      std::string data;
      while (s.has_stdin() && s.ReadStdin(data)) {
        s.WriteStdout(data);
        data.clear();
      }
      return {Status(), 0};
    }
    std::vector<std::string> argv = request_.Params("command");
    if (argv.empty()) return {Status::BadRequest("no command"), 0};
    berth::ProcessRunner* runner = host_->process_runner();
    if (!s.has_stdin() && !s.tty() && runner) {
      berth::ProcessSpec spec;
      spec.argv = argv;
      auto r = runner->Run(spec);
      if (!r.ok()) return {r.status(), 0};
      s.WriteStdout(r->stdout_data);
      s.WriteStderr(r->stderr_data);
      return {Status(), r->exit_code};
    }
    return RunPiped(argv, s);
  }

 private:
  berth::Host* host_;
  ConnectRequest request_;
};

void Forward(std::unique_ptr<berth::PortForwardStream> stream,
             std::shared_ptr<std::atomic<bool>> stop) {
  const int port = stream->port();
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    stream->WriteError("error forwarding port " + std::to_string(port) +
                       " to pod: dial tcp 127.0.0.1:" + std::to_string(port) +
                       ": connect: connection refused");
    stream->Close();
    if (fd >= 0) close(fd);
    return;
  }
  std::thread up([&stream, fd] {
    std::string data;
    while (stream->Read(data)) {
      if (!WriteAll(fd, data)) break;
      data.clear();
    }
    ::shutdown(fd, SHUT_WR);
  });
  char buf[32768];
  while (!*stop) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    if (!stream->Write(std::string_view(buf, static_cast<size_t>(n)))) break;
  }
  stream->Close();
  up.join();
  close(fd);
}

class PortForwardSession : public ConnectSession {
 public:
  void ServePortForward(berth::PortForwardSession& session) override {
    auto stop = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::thread> threads;
    while (auto stream = session.Accept()) {
      threads.emplace_back(Forward, std::move(stream), stop);
    }
    *stop = true;
    for (auto& t : threads) t.join();
  }
};

class PodConnect : public berth::ConnectHandler {
 public:
  explicit PodConnect(berth::Host* host) : host_(host) {}
  berth::ResourceRef Resource() const override { return {"", "v1", "pods"}; }
  std::vector<ConnectSubresource> Subresources() const override {
    return {{"log", ConnectProtocol::kStream, "text/plain"},
            {"exec", ConnectProtocol::kExec, ""},
            {"attach", ConnectProtocol::kExec, ""},
            {"portforward", ConnectProtocol::kPortForward, ""}};
  }
  StatusOr<std::unique_ptr<ConnectSession>> Open(
      const ConnectRequest& r) override {
    auto pod = host_->client().Get(Resource(), r.namespace_name, r.name);
    if (!pod.ok()) return pod.status();
    if (r.subresource == "log") {
      return std::unique_ptr<ConnectSession>(new LogSession(r));
    }
    if (r.subresource == "portforward") {
      return std::unique_ptr<ConnectSession>(new PortForwardSession());
    }
    return std::unique_ptr<ConnectSession>(new ExecSession(host_, r));
  }

 private:
  berth::Host* host_;
};

class TestConnectPlugin : public berth::Plugin {
 public:
  std::string Name() const override { return "test_connect"; }
  std::string Version() const override { return "0.1.0"; }
  Status Register(berth::Host& host, const std::string&,
                  berth::Registrar& registrar) override {
    return registrar.AddConnectHandler(std::make_shared<PodConnect>(&host));
  }
};

}  // namespace

BERTH_PLUGIN(TestConnectPlugin)
