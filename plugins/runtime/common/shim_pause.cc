// berth-shim pause: the sandbox's infra process.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "cgroups.h"
#include "files.h"
#include "shim.h"

namespace berth::runtime {

int RunPause(const PauseOptions& o) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  auto fail = [](const std::string& what) {
    fprintf(stderr, "berth-shim pause: %s: %s\n", what.c_str(),
            strerror(errno));
    return 1;
  };
  if (!o.cgroup.empty()) {
    Status s = Cgroups::Detect().AddProcess(o.cgroup, getpid());
    if (!s.ok()) {
      fprintf(stderr, "berth-shim pause: %s\n", s.message().c_str());
      return 1;
    }
  }
  if (!o.netns.empty()) {
    int fd = open(o.netns.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) return fail("join netns");
    close(fd);
  }
  int flags = (o.new_ipc ? CLONE_NEWIPC : 0) | (o.new_uts ? CLONE_NEWUTS : 0);
  if (flags && unshare(flags) != 0) return fail("unshare");
  if (o.new_uts && !o.hostname.empty() &&
      sethostname(o.hostname.data(), o.hostname.size()) != 0) {
    return fail("sethostname");
  }
  if (!o.ready_file.empty() &&
      !WriteFileAtomic(o.ready_file, std::to_string(getpid())).ok()) {
    return fail("write " + o.ready_file);
  }
  int sig = 0;
  sigwait(&mask, &sig);
  return 0;
}

}  // namespace berth::runtime
