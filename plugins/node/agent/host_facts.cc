#include "host_facts.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace berth::node {
namespace {

std::string FirstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

int64_t MeminfoBytes(const std::string& text, const std::string& key) {
  const size_t at = text.find(key + ":");
  if (at == std::string::npos) return 0;
  return std::atoll(text.c_str() + at + key.size() + 1) * 1024;
}

std::string OsImage() {
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    std::string v = line.substr(12);
    if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
    return v;
  }
  return "Linux";
}

std::string InternalIp() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found = "127.0.0.1";
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127) continue;
    // Pod bridges and veths are not the node's address.
    const std::string name = i->ifa_name;
    if (name.rfind("cni", 0) == 0 || name.rfind("veth", 0) == 0 ||
        name.rfind("berth", 0) == 0 || name.rfind("docker", 0) == 0) {
      continue;
    }
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
    found = buf;
    break;
  }
  freeifaddrs(list);
  return found;
}

}  // namespace

HostFacts ReadHostFacts(const std::string& root_dir) {
  HostFacts f;
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n > 0) f.cpus = n;
  std::ifstream meminfo("/proc/meminfo");
  std::stringstream text;
  text << meminfo.rdbuf();
  f.memory_bytes = MeminfoBytes(text.str(), "MemTotal");
  f.memory_available = MeminfoBytes(text.str(), "MemAvailable");
  struct statvfs vfs {};
  // The root dir may not exist yet: its nearest existing parent tells.
  std::string dir = root_dir.empty() ? "/" : root_dir;
  while (statvfs(dir.c_str(), &vfs) != 0 && dir.size() > 1) {
    const size_t slash = dir.rfind('/');
    dir = slash == 0 || slash == std::string::npos ? "/" : dir.substr(0, slash);
  }
  f.ephemeral_bytes =
      static_cast<int64_t>(vfs.f_blocks) * static_cast<int64_t>(vfs.f_frsize);
  f.ephemeral_available =
      static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  f.hostname = host;
  f.internal_ip = InternalIp();
  utsname u{};
  if (uname(&u) == 0) f.kernel_version = u.release;
  f.os_image = OsImage();
  f.machine_id = FirstLine("/etc/machine-id");
  f.boot_id = FirstLine("/proc/sys/kernel/random/boot_id");
  for (char c : std::string("-")) {
    std::erase(f.boot_id, c);
  }
  return f;
}

}  // namespace berth::node
