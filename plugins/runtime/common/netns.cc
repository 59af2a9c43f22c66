#include "netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace berth::runtime {
namespace {

constexpr long kNsfsMagic = 0x6e736673;

// Brings `lo` up in the calling thread's network namespace.
void LoopbackUp() {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    ioctl(fd, SIOCSIFFLAGS, &ifr);
  }
  close(fd);
}

}  // namespace

bool IsNetnsMounted(const std::string& path) {
  struct statfs st;
  if (statfs(path.c_str(), &st) != 0) return false;
  return static_cast<long>(st.f_type) == kNsfsMagic;
}

Status CreateNetns(const std::string& path) {
  if (IsNetnsMounted(path)) {
    return Status::AlreadyExists("network namespace " + path + " exists");
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      ec);
  int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
  if (fd < 0) {
    return Status::Internal("cannot create " + path + ": " + strerror(errno));
  }
  close(fd);
  Status result;
  // unshare on a thread of its own: the namespace change dies with it.
  std::thread t([&] {
    if (unshare(CLONE_NEWNET) != 0) {
      result = Status::Internal(std::string("unshare(CLONE_NEWNET): ") +
                                strerror(errno));
      return;
    }
    LoopbackUp();
    std::string self =
        "/proc/self/task/" + std::to_string(gettid()) + "/ns/net";
    if (mount(self.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      result = Status::Internal("cannot bind-mount netns on " + path + ": " +
                                strerror(errno));
    }
  });
  t.join();
  if (!result.ok()) unlink(path.c_str());
  return result;
}

Status RemoveNetns(const std::string& path) {
  while (IsNetnsMounted(path)) {
    if (umount2(path.c_str(), MNT_DETACH) != 0) {
      return Status::Internal("cannot unmount " + path + ": " +
                              strerror(errno));
    }
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Internal("cannot delete " + path + ": " + strerror(errno));
  }
  return Status::Ok();
}

Status RunInNetns(const std::string& path, const std::function<void()>& fn) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::Internal("cannot open netns " + path + ": " +
                            strerror(errno));
  }
  Status result;
  std::thread t([&] {
    if (setns(fd, CLONE_NEWNET) != 0) {
      result = Status::Internal("cannot join netns " + path + ": " +
                                strerror(errno));
      return;
    }
    fn();
  });
  t.join();
  close(fd);
  return result;
}

}  // namespace berth::runtime
