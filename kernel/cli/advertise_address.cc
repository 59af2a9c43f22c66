#include "kernel/cli/advertise_address.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

namespace berth::cli {
namespace {

// Pod bridges and veths carry pod-network addresses, not the host's.
bool IsPodInterface(const std::string& name) {
  for (const char* prefix : {"cni", "veth", "berth", "docker"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string FirstHostIpv4() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found = "127.0.0.1";
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127) continue;
    if (IsPodInterface(i->ifa_name)) continue;
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
    found = buf;
    break;
  }
  freeifaddrs(list);
  return found;
}

}  // namespace

std::string ChooseAdvertiseAddress(const std::string& advertise,
                                   const std::string& bind_address) {
  if (!advertise.empty()) return advertise;
  // As kube-apiserver's DefaultExternalAddress: a loopback bind address is
  // no address for pods, so the host's interface is advertised instead.
  const bool loopback =
      bind_address.rfind("127.", 0) == 0 || bind_address == "::1";
  if (!bind_address.empty() && bind_address != "0.0.0.0" &&
      bind_address != "::" && !loopback) {
    return bind_address;
  }
  return FirstHostIpv4();
}

}  // namespace berth::cli
