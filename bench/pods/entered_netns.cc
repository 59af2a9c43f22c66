#include "bench/pods/entered_netns.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

namespace berth::bench {

EnteredNetns::EnteredNetns(const std::string& name) {
  own_ = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  const int fd = open(("/var/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  ok_ = own_ >= 0 && fd >= 0 && setns(fd, CLONE_NEWNET) == 0;
  if (fd >= 0) close(fd);
}

EnteredNetns::~EnteredNetns() {
  if (own_ >= 0) {
    setns(own_, CLONE_NEWNET);
    close(own_);
  }
}

}  // namespace berth::bench
