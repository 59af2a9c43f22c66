#include "pod_files.h"

#include <unistd.h>

#include "files.h"

namespace berth::runtime {

std::string HostsFileText(const PodSandboxConfig& config) {
  std::string text =
      "# Kubernetes-managed hosts file.\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "fe00::0\tip6-mcastprefix\n"
      "fe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n";
  for (const auto& line : config.hosts_entries) text += line + "\n";
  return text;
}

std::string ResolvConfText(const PodSandboxConfig& config) {
  std::string text;
  for (const auto& s : config.dns_servers) text += "nameserver " + s + "\n";
  if (!config.dns_searches.empty()) {
    text += "search";
    for (const auto& s : config.dns_searches) text += " " + s;
    text += "\n";
  }
  if (!config.dns_options.empty()) {
    text += "options";
    for (const auto& s : config.dns_options) text += " " + s;
    text += "\n";
  }
  return text;
}

StatusOr<PodFilePaths> WritePodFiles(const std::string& dir,
                                     const PodSandboxConfig& config) {
  PodFilePaths p{dir + "/hosts", dir + "/hostname", dir + "/resolv.conf"};
  Status s = WriteFileAtomic(p.hosts, HostsFileText(config));
  if (!s.ok()) return s;
  std::string hostname =
      config.hostname.empty() ? config.name : config.hostname;
  if (config.host_network) {
    char buf[256] = {};
    gethostname(buf, sizeof(buf) - 1);
    hostname = buf;
  }
  s = WriteFileAtomic(p.hostname, hostname + "\n");
  if (!s.ok()) return s;
  std::string resolv = ResolvConfText(config);
  if (resolv.empty() || config.host_network) {
    auto host = ReadFile("/etc/resolv.conf");
    if (host.ok() && (resolv.empty() || config.host_network)) resolv = *host;
  }
  s = WriteFileAtomic(p.resolv_conf, resolv);
  if (!s.ok()) return s;
  return p;
}

}  // namespace berth::runtime
