// NodeNetns: a network namespace standing in for one machine in tests that
// program networks for real (CNI bridges, pod veths, iptables, ip_forward).
// Everything such a test sets up lives inside it, so the real host is left
// as it was; host-facts.md ("Isolated node in a netns") explains why.
//
// Thread safety: not thread-safe; one test owns one NodeNetns.
#ifndef BERTH_TESTS_SUPPORT_NODE_NETNS_H_
#define BERTH_TESTS_SUPPORT_NODE_NETNS_H_

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <string>
#include <thread>

#include "tests/support/process.h"

namespace berth::testing {

class NodeNetns {
 public:
  // Creates namespace `<prefix>-<pid>` with loopback up. ok() tells whether
  // that worked (it needs root and iproute2).
  explicit NodeNetns(const std::string& prefix)
      : name_(prefix + "-" + std::to_string(getpid())) {
    RunCommand("ip netns del " + name_ + " 2>/dev/null");
    ok_ = RunCommand("ip netns add " + name_).exit_code == 0 &&
          Exec("ip link set lo up").exit_code == 0;
  }
  // Kills what still runs inside and deletes the namespace.
  ~NodeNetns() {
    RunCommand("for p in $(ip netns pids " + name_ +
               " 2>/dev/null); do kill -9 $p; done; ip netns del " + name_ +
               " 2>/dev/null");
  }
  NodeNetns(const NodeNetns&) = delete;
  NodeNetns& operator=(const NodeNetns&) = delete;

  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }
  // Runs `command` (a shell command line) inside the namespace.
  CommandResult Exec(const std::string& command,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& input = "") {
    std::string quoted;
    for (char c : command)
      quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return RunCommand("ip netns exec " + name_ + " sh -c '" + quoted + "'", env,
                      input);
  }
  // Runs `f` on a thread that entered the namespace, so what it spawns
  // (through the exec service) runs there and the test's own threads stay
  // where they are. False when the namespace could not be entered.
  bool RunInside(const std::function<void()>& f) {
    bool entered = false;
    std::thread t([&] {
      const int fd = open(("/var/run/netns/" + name_).c_str(), O_RDONLY);
      if (fd < 0) return;
      entered = setns(fd, CLONE_NEWNET) == 0;
      close(fd);
      if (entered) f();
    });
    t.join();
    return entered;
  }

 private:
  std::string name_;
  bool ok_ = false;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_NODE_NETNS_H_
