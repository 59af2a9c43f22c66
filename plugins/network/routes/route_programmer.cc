#include "route_programmer.h"

#include <chrono>
#include <set>
#include <sstream>

#include "ipv4_cidr.h"

namespace berth::routes {
namespace {

constexpr std::chrono::seconds kToolTimeout{30};
constexpr char kJumpComment[] =
    "berth: pod traffic between nodes keeps its source";

std::vector<std::string> Fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// The word after `key` in `fields`, "" when absent.
std::string After(const std::vector<std::string>& fields,
                  const std::string& key) {
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    if (fields[i] == key) return fields[i + 1];
  }
  return "";
}

}  // namespace

std::string IpBatchFor(const RoutePlan& plan, const std::string& device) {
  const std::string proto = " proto " + std::to_string(kRouteProtocol);
  std::string out;
  for (const auto& r : plan.host_gw) {
    out += "route replace " + r.dst + " via " + r.via + proto + "\n";
  }
  for (const auto& p : plan.vxlan) {
    out += "neigh replace " + p.vtep_ip + " lladdr " + p.vtep_mac + " dev " +
           device + " nud permanent\n";
    out += "route replace " + p.dst + " via " + p.vtep_ip + " dev " + device +
           " onlink" + proto + "\n";
  }
  return out;
}

std::string BridgeBatchFor(const RoutePlan& plan, const std::string& device) {
  std::string out;
  for (const auto& p : plan.vxlan) {
    out += "fdb replace " + p.vtep_mac + " dev " + device + " dst " +
           p.remote_ip + " self permanent\n";
  }
  return out;
}

std::string MasqueradeRulesFor(const RoutePlan& plan,
                               const std::string& own_pod_cidr) {
  // Declaring the chain flushes it (and only it) under --noflush.
  std::string out = "*nat\n:" + std::string(kMasqueradeChain) + " - [0:0]\n";
  if (!own_pod_cidr.empty()) {
    for (const auto& dst : plan.pod_cidrs) {
      out += "-A " + std::string(kMasqueradeChain) + " -s " + own_pod_cidr +
             " -d " + dst + " -j ACCEPT\n";
    }
  }
  return out + "COMMIT\n";
}

std::vector<std::string> ParseConnectedSubnets(const std::string& ip_output,
                                               const std::string& skip_device) {
  // "2: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\ ..."
  std::vector<std::string> out;
  for (const auto& line : Lines(ip_output)) {
    const auto f = Fields(line);
    if (f.size() < 4 || f[2] != "inet") continue;
    const std::string device = f[1];
    if (device == "lo" || device == skip_device) continue;
    // A point-to-point address ("inet A peer B/32") reaches only its peer.
    if (f.size() > 4 && f[4] == "peer") continue;
    if (auto cidr = ParseIpv4Cidr(f[3])) out.push_back(cidr->ToString());
  }
  return out;
}

RouteProgrammer::RouteProgrammer(ProcessRunner& runner,
                                 const RoutesSettings& settings)
    : runner_(runner), settings_(settings) {}

StatusOr<std::string> RouteProgrammer::Run(const std::vector<std::string>& argv,
                                           const std::string& input) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.stdin_data = input;
  spec.timeout = kToolTimeout;
  auto r = runner_.Run(spec);
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    std::string err = r->stderr_data;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return Status::Internal(
        cmd + ": " +
        (err.empty() ? "exit status " + std::to_string(r->exit_code) : err));
  }
  return r->stdout_data;
}

StatusOr<std::vector<std::string>> RouteProgrammer::ConnectedSubnets() {
  auto out = Run({"ip", "-o", "-4", "addr", "show"});
  if (!out.ok()) return out.status();
  return ParseConnectedSubnets(*out, settings_.vxlan_device);
}

bool RouteProgrammer::DeviceExists() {
  return Run({"ip", "link", "show", "dev", settings_.vxlan_device}).ok();
}

StatusOr<std::string> RouteProgrammer::EnsureVxlanDevice(
    const std::string& local_ip, const std::string& own_pod_cidr) {
  const std::string& dev = settings_.vxlan_device;
  const auto cidr = ParseIpv4Cidr(own_pod_cidr);
  if (!cidr) {
    return Status::Invalid(
        "the VXLAN device needs this node's pod CIDR, not \"" + own_pod_cidr +
        "\"");
  }
  auto shown = Run({"ip", "-d", "-o", "link", "show", "dev", dev});
  const std::string want =
      "vxlan id " + std::to_string(settings_.vni) + " local " + local_ip + " ";
  const bool same =
      shown.ok() && shown->find(want) != std::string::npos &&
      shown->find("dstport " + std::to_string(settings_.vxlan_port) + " ") !=
          std::string::npos;
  if (shown.ok() && !same) {
    // Another VNI, port or address (the node moved): build it again.
    if (auto del = Run({"ip", "link", "del", dev}); !del.ok()) {
      return del.status();
    }
  }
  if (!same) {
    auto added =
        Run({"ip", "link", "add", dev, "mtu", "1450", "type", "vxlan", "id",
             std::to_string(settings_.vni), "local", local_ip, "dstport",
             std::to_string(settings_.vxlan_port), "nolearning"});
    if (!added.ok()) return added.status();
  }
  if (auto up = Run({"ip", "link", "set", dev, "up"}); !up.ok()) {
    return up.status();
  }
  if (auto addr = Run({"ip", "addr", "replace", cidr->NetworkAddress() + "/32",
                       "dev", dev});
      !addr.ok()) {
    return addr.status();
  }
  shown = Run({"ip", "-o", "link", "show", "dev", dev});
  if (!shown.ok()) return shown.status();
  const std::string mac = After(Fields(*shown), "link/ether");
  if (mac.empty()) {
    return Status::Internal("no MAC address on " + dev + ": " + *shown);
  }
  return mac;
}

Status RouteProgrammer::Apply(const RoutePlan& plan,
                              const std::string& own_pod_cidr) {
  const std::string& dev = settings_.vxlan_device;
  if (!plan.host_gw.empty() || !plan.vxlan.empty()) {
    if (auto fwd = Run({"sysctl", "-q", "-w", "net.ipv4.ip_forward=1"});
        !fwd.ok()) {
      return fwd.status();
    }
  }
  if (!plan.vxlan.empty()) {
    if (auto fdb = Run({"bridge", "-batch", "-"}, BridgeBatchFor(plan, dev));
        !fdb.ok()) {
      return fdb.status();
    }
  }
  if (const std::string batch = IpBatchFor(plan, dev); !batch.empty()) {
    if (auto ip = Run({"ip", "-batch", "-"}, batch); !ip.ok()) {
      return ip.status();
    }
  }
  // The exemptions go in before the stale routes go, so no pod-to-pod
  // packet is masqueraded in between.
  if (Status s = SyncMasquerade(plan, own_pod_cidr); !s.ok()) return s;
  if (Status s = RemoveStaleRoutes(plan); !s.ok()) return s;
  if (!plan.needs_vxlan) {
    if (DeviceExists()) {
      if (auto del = Run({"ip", "link", "del", dev}); !del.ok()) {
        return del.status();
      }
    }
    return Status::Ok();
  }
  return RemoveStaleVxlanEntries(plan);
}

Status RouteProgrammer::RemoveStaleRoutes(const RoutePlan& plan) {
  std::set<std::string> wanted;
  for (const auto& r : plan.host_gw) wanted.insert(r.dst);
  for (const auto& p : plan.vxlan) wanted.insert(p.dst);
  const std::string proto = std::to_string(kRouteProtocol);
  auto shown = Run({"ip", "-o", "-4", "route", "show", "proto", proto});
  if (!shown.ok()) return shown.status();
  std::string batch;
  for (const auto& line : Lines(*shown)) {
    const auto f = Fields(line);
    if (f.empty() || wanted.count(f[0])) continue;
    batch += "route del " + f[0] + " proto " + proto + "\n";
  }
  if (batch.empty()) return Status::Ok();
  return Run({"ip", "-batch", "-"}, batch).status();
}

Status RouteProgrammer::RemoveStaleVxlanEntries(const RoutePlan& plan) {
  const std::string& dev = settings_.vxlan_device;
  std::set<std::string> neighbours, macs;
  for (const auto& p : plan.vxlan) {
    neighbours.insert(p.vtep_ip);
    macs.insert(p.vtep_mac + " " + p.remote_ip);
  }
  auto neigh = Run({"ip", "-4", "neigh", "show", "dev", dev});
  if (!neigh.ok()) return neigh.status();
  std::string ip_batch;
  for (const auto& line : Lines(*neigh)) {
    const auto f = Fields(line);
    if (f.empty() || neighbours.count(f[0])) continue;
    ip_batch += "neigh del " + f[0] + " dev " + dev + "\n";
  }
  if (!ip_batch.empty()) {
    if (auto r = Run({"ip", "-batch", "-"}, ip_batch); !r.ok()) {
      return r.status();
    }
  }
  auto fdb = Run({"bridge", "fdb", "show", "dev", dev});
  if (!fdb.ok()) return fdb.status();
  std::string bridge_batch;
  for (const auto& line : Lines(*fdb)) {
    const auto f = Fields(line);
    const std::string dst = After(f, "dst");
    // Only unicast entries with a remote are ours; the kernel's own stay.
    if (f.empty() || dst.empty() || macs.count(f[0] + " " + dst)) continue;
    bridge_batch +=
        "fdb del " + f[0] + " dev " + dev + " dst " + dst + " self\n";
  }
  if (bridge_batch.empty()) return Status::Ok();
  return Run({"bridge", "-batch", "-"}, bridge_batch).status();
}

Status RouteProgrammer::SyncMasquerade(const RoutePlan& plan,
                                       const std::string& own) {
  const std::string& ipt = settings_.iptables;
  if (auto r =
          Run({ipt + "-restore", "--noflush"}, MasqueradeRulesFor(plan, own));
      !r.ok()) {
    return r.status();
  }
  const std::vector<std::string> jump = {
      "POSTROUTING", "-m", "comment",       "--comment",
      kJumpComment,  "-j", kMasqueradeChain};
  std::vector<std::string> check = {ipt, "-w", "-t", "nat", "-C"};
  check.insert(check.end(), jump.begin(), jump.end());
  if (Run(check).ok()) return Status::Ok();
  // First in POSTROUTING: ahead of the CNI plugins' masquerade chains,
  // which they append.
  std::vector<std::string> insert = {ipt, "-w", "-t", "nat", "-I"};
  insert.insert(insert.end(), jump.begin(), jump.begin() + 1);
  insert.push_back("1");
  insert.insert(insert.end(), jump.begin() + 1, jump.end());
  return Run(insert).status();
}

Status RouteProgrammer::Cleanup() {
  Status first;
  auto keep = [&first](const Status& s) {
    if (first.ok() && !s.ok()) first = s;
  };
  keep(RemoveStaleRoutes(RoutePlan{}));
  if (DeviceExists()) {
    keep(Run({"ip", "link", "del", settings_.vxlan_device}).status());
  }
  const std::string& ipt = settings_.iptables;
  while (Run({ipt, "-w", "-t", "nat", "-D", "POSTROUTING", "-m", "comment",
              "--comment", kJumpComment, "-j", kMasqueradeChain})
             .ok()) {
  }
  if (Run({ipt, "-w", "-t", "nat", "-L", kMasqueradeChain, "-n"}).ok()) {
    keep(Run({ipt, "-w", "-t", "nat", "-F", kMasqueradeChain}).status());
    keep(Run({ipt, "-w", "-t", "nat", "-X", kMasqueradeChain}).status());
  }
  return first;
}

}  // namespace berth::routes
