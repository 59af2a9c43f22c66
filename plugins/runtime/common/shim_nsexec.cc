// berth-shim nsexec: runs a command inside a running process container.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cgroups.h"
#include "files.h"
#include "shim.h"

namespace berth::runtime {
namespace {

pid_t g_child = -1;

void Forward(int sig) {
  if (g_child > 0) kill(g_child, sig);
}

}  // namespace

int RunNsExec(const NsExecOptions& o) {
  std::string proc = "/proc/" + std::to_string(o.target_pid);
  // The container's environment, read before we leave our mount namespace.
  std::vector<std::string> env;
  if (auto environ_text = ReadFile(proc + "/environ"); environ_text.ok()) {
    std::string cur;
    for (char c : *environ_text) {
      if (c == '\0') {
        if (!cur.empty()) env.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  }
  struct NsRef {
    const char* name;
    int type;
    int fd;
  };
  // The mount namespace last: after it, /proc paths may differ.
  std::vector<NsRef> refs = {{"ipc", CLONE_NEWIPC, -1},
                             {"uts", CLONE_NEWUTS, -1},
                             {"net", CLONE_NEWNET, -1},
                             {"pid", CLONE_NEWPID, -1},
                             {"mnt", CLONE_NEWNS, -1}};
  for (auto& r : refs) {
    r.fd = open((proc + "/ns/" + r.name).c_str(), O_RDONLY | O_CLOEXEC);
    if (r.fd < 0) {
      fprintf(stderr, "berth-shim nsexec: open %s namespace of %d: %s\n",
              r.name, o.target_pid, strerror(errno));
      return 126;
    }
  }
  if (!o.cgroup.empty()) {
    Status s = Cgroups::Detect().AddProcess(o.cgroup, getpid());
    if (!s.ok()) {
      fprintf(stderr, "berth-shim nsexec: %s\n", s.message().c_str());
      return 126;
    }
  }
  for (auto& r : refs) {
    if (setns(r.fd, r.type) != 0) {
      fprintf(stderr, "berth-shim nsexec: join %s namespace: %s\n", r.name,
              strerror(errno));
      return 126;
    }
    close(r.fd);
  }
  // The pid namespace applies to children only.
  g_child = fork();
  if (g_child < 0) return 126;
  if (g_child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (o.tty) {
      // A session of its own with the terminal as controlling tty, so ^C
      // reaches the command's foreground process group.
      setsid();
      ioctl(0, TIOCSCTTY, 0);
    }
    if (chdir("/") != 0) _exit(126);
    std::vector<char*> argv, envp;
    for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    execvpe(argv[0], argv.data(), envp.data());
    fprintf(stderr, "berth-shim nsexec: exec %s: %s\n", argv[0],
            strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) signal(sig, Forward);
  int status = 0;
  while (waitpid(g_child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace berth::runtime
