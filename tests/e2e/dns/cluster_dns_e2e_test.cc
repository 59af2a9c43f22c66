// Issue #5's cluster DNS as pods see it: a `berth server` with the node
// agent (runc, CNI bridge), the service proxy and the dns plugin, in one
// network namespace standing in for a machine (a veth pair gives it a
// non-loopback InternalIP), with a real registry and real kubectl. Pods
// get resolv.conf naming 10.96.0.10 (the kube-dns Service the plugin
// keeps) with the cluster search domains and ndots:5; the proxy carries
// their queries to the plugin's listener on the node. From a busybox pod:
// `nslookup webserver`, `wget -qO- webserver:8000` (short name through the
// search domains), the full `<svc>.<ns>.svc.cluster.local`, a headless
// Service giving the pod IPs, a StatefulSet's pods by their stable names
// (`db-0.db`), and a name outside the cluster forwarded to an upstream this
// test runs on the node's loopback.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "cluster_zone.h"
#include "dns_responder.h"
#include "dns_server.h"
#include "tests/support/kubectl.h"
#include "tests/support/node_cluster.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";
constexpr char kNodeIp[] = "192.168.78.1";
constexpr int kUpstreamPort = 5353;

// Starts `server` listening on 127.0.0.1:port inside network namespace
// `netns`: the sockets are made by a thread that entered it, and stay
// there.
bool StartInNetns(dns::DnsServer& server, const std::string& netns, int port) {
  bool ok = false;
  std::thread([&] {
    int fd = open(("/var/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    if (setns(fd, CLONE_NEWNET) == 0) {
      ok = server.Start("127.0.0.1", port).ok();
    }
    close(fd);
  }).join();
  return ok;
}

class DnsE2eTest : public NodeClusterTest<> {
 protected:
  void SetUp() override {
    if (std::string missing = NodeCluster::MissingTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    if (RunCommand("nft --version").exit_code != 0) {
      GTEST_SKIP() << "runc or nft is not installed (scripts/install-deps.sh)";
    }
    NodeClusterOptions options;
    options.netns_prefix = "berth-dns";
    options.node_settings =
        ", clusterDNS: [10.96.0.10], clusterDomain: cluster.local";
    options.more_plugins =
        "  - name: proxy\n"
        "    settings: {backend: nftables, nodeName: node1}\n"
        "  - name: dns\n"
        "    settings: {nodeName: node1, upstreams: [\"127.0.0.1:" +
        std::to_string(kUpstreamPort) + "\"]}\n";
    options.prepare = [&](NodeNetns& node) {
      // The machine's own address (its InternalIP, where the kube-dns
      // endpoint listens): one end of a veth pair kept inside the namespace.
      auto link = node.Exec(
          "ip link add bdns0 type veth peer name bdns1 && "
          "ip addr add " +
          std::string(kNodeIp) +
          "/24 dev bdns0 && ip link set bdns0 up && ip link set bdns1 up");
      ASSERT_EQ(link.exit_code, 0) << link.err;

      // The machine's upstream resolver: it knows one outside name.
      auto svc = ParseJson(R"({"metadata":{"name":"www","namespace":"outside"},
        "spec":{"clusterIP":"192.0.2.7"}})");
      ASSERT_TRUE(svc.ok());
      upstream_doc_ = std::move(*svc);
      dns::ZoneConfig zone_config;
      zone_config.zone = "example.test";
      auto zone = std::make_shared<const dns::ClusterZone>(
          zone_config, std::vector<const Json*>{&upstream_doc_},
          std::vector<const Json*>{});
      upstream_responder_ =
          std::make_unique<dns::DnsResponder>([zone] { return zone; }, nullptr);
      upstream_ = std::make_unique<dns::DnsServer>(*upstream_responder_);
      ASSERT_TRUE(StartInNetns(*upstream_, node.name(), kUpstreamPort));
    };
    // Listening on every address, so pods reach the API at the node's
    // address through the `kubernetes` Service.
    options.server_args = {"--bind-address", "0.0.0.0"};
    ASSERT_NO_FATAL_FAILURE(cluster_.Start(options));
  }

  void TearDown() override {
    cluster_.DeletePodsAndStop();
    if (upstream_) upstream_->Stop();
  }

  // Runs `command` in the client pod, killed after 10 s (a resolver that
  // gets no reply retries for long).
  CommandResult InClient(const std::string& command) {
    return Kubectl("exec client -- timeout 10 sh -c '" + command + "'");
  }
  static std::set<std::string> Words(const std::string& text) {
    std::istringstream in(text);
    std::set<std::string> out;
    for (std::string w; in >> w;) out.insert(w);
    return out;
  }

  JsonDoc upstream_doc_;
  std::unique_ptr<dns::DnsResponder> upstream_responder_;
  std::unique_ptr<dns::DnsServer> upstream_;
};

TEST_F(DnsE2eTest, PodsResolveServicesByNameAndOtherNamesUpstream) {
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: webserver}
spec:
  replicas: 2
  selector: {matchLabels: {app: webserver}}
  template:
    metadata: {labels: {app: webserver}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: )") + kImage + R"(
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8000 -h /www"]
        ports: [{name: http, containerPort: 8000}]
---
apiVersion: v1
kind: Service
metadata: {name: webserver}
spec:
  selector: {app: webserver}
  ports: [{name: http, port: 8000, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: webserver}
  ports: [{name: http, port: 8000}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: db
        image: )" + kImage + R"(
        command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: )" + kImage + R"(
    command: ["sleep", "3600"]
)"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("deployment webserver", ".status.readyReplicas") == "2" &&
           Jsonpath("statefulset db", ".status.readyReplicas") == "2" &&
           Jsonpath("pod client", ".status.phase") == "Running";
  })) << Kubectl("get pods -o wide").out;
  // The plugin made kube-dns and put this node's listener behind it.
  EXPECT_EQ(Jsonpath("service -n kube-system kube-dns", ".spec.clusterIP"),
            "10.96.0.10");
  EXPECT_EQ(Jsonpath("endpointslice -n kube-system kube-dns-node1",
                     ".endpoints[0].addresses[0]"),
            kNodeIp);
  const std::string resolv = InClient("cat /etc/resolv.conf").out;
  EXPECT_THAT(resolv, HasSubstr("nameserver 10.96.0.10"));
  EXPECT_THAT(resolv, HasSubstr("default.svc.cluster.local"));
  EXPECT_THAT(resolv, HasSubstr("ndots:5"));

  const std::string cluster_ip =
      Jsonpath("service webserver", ".spec.clusterIP");
  const std::set<std::string> pods =
      Words(Jsonpath("pods -l app=webserver", ".items[*].metadata.name"));
  const std::set<std::string> pod_ips =
      Words(Jsonpath("pods -l app=webserver", ".items[*].status.podIP"));
  ASSERT_EQ(pod_ips.size(), 2u);

  // The short name, through the search domains.
  CommandResult lookup;
  ASSERT_TRUE(Eventually(
      [&] {
        lookup = InClient("nslookup webserver");
        return lookup.out.find(cluster_ip) != std::string::npos;
      },
      30))
      << lookup.out << lookup.err << "\n"
      << cluster_.node().Exec("nft list ruleset").out
      << cluster_.server().log();
  // Answered through the kube-dns ClusterIP.
  EXPECT_THAT(lookup.out, HasSubstr("10.96.0.10:53"));
  CommandResult page = InClient("wget -qO- webserver:8000");
  EXPECT_EQ(page.exit_code, 0) << page.err;
  EXPECT_EQ(pods.count(page.out.substr(0, page.out.find('\n'))), 1u)
      << page.out;

  // The full name.
  EXPECT_THAT(InClient("nslookup webserver.default.svc.cluster.local").out,
              HasSubstr(cluster_ip));

  // A headless Service: the pods' own addresses.
  CommandResult headless;
  ASSERT_TRUE(Eventually([&] {
    headless = InClient("nslookup web-headless.default.svc.cluster.local");
    for (const auto& ip : pod_ips) {
      if (headless.out.find(ip) == std::string::npos) return false;
    }
    return true;
  })) << headless.out
      << headless.err;
  EXPECT_THAT(headless.out, ::testing::Not(HasSubstr(cluster_ip)));

  // A StatefulSet's pods by their stable names under its governing
  // Service: the full name asked of the server, and the short one as a
  // program resolves it (ping, through the libc resolver and the search
  // domains; busybox's nslookup uses the search domains only for names
  // without a dot).
  for (const std::string pod : {"db-0", "db-1"}) {
    const std::string ip = Jsonpath("pod " + pod, ".status.podIP");
    ASSERT_FALSE(ip.empty());
    CommandResult full, resolved;
    EXPECT_TRUE(Eventually([&] {
      full = InClient("nslookup " + pod + ".db.default.svc.cluster.local");
      resolved = InClient("ping -c 1 -W 1 " + pod + ".db 2>&1");
      return full.out.find(ip) != std::string::npos &&
             resolved.out.find("(" + ip + ")") != std::string::npos;
    })) << pod
        << " should be " << ip << ":\n"
        << full.out << full.err << resolved.out
        << Kubectl(
               "get endpointslices -l kubernetes.io/service-name=db -o "
               "yaml")
               .out;
  }

  // The API server, by the name every pod has for it: kubernetes.default.svc
  // resolves to the `kubernetes` Service, whose endpoints the server keeps at
  // the node's address and its port, and the server answers busybox wget's
  // own TLS (no credentials: 401).
  EXPECT_EQ(Jsonpath("endpoints kubernetes", ".subsets[0].addresses[0].ip"),
            kNodeIp);
  CommandResult api = InClient(
      "wget --no-check-certificate -qO- https://kubernetes.default.svc/api "
      "2>&1");
  EXPECT_THAT(api.out, HasSubstr("HTTP/1.1 401 Unauthorized"))
      << api.out << api.err;

  // A name outside the cluster, forwarded to the machine's resolver.
  CommandResult outside = InClient("nslookup www.outside.svc.example.test");
  EXPECT_THAT(outside.out, HasSubstr("192.0.2.7")) << outside.err;
  // And a name nobody knows fails.
  EXPECT_NE(InClient("nslookup nothing.default.svc.cluster.local").exit_code,
            0);
}

}  // namespace
}  // namespace berth::testing
