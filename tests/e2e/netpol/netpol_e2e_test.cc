// Issue #5's NetworkPolicy lab (../shared/examples/workshop-netpol.yaml):
// a `berth server` with the node agent (runc, CNI bridge), the
// networkpolicy kind and the policy enforcer, in one network namespace
// standing in for a machine, with a real registry and real kubectl. A
// `run=testweb` web server, `run=testcurl` and `run=webui` clients in
// default and a `run=testcurl` client in another namespace: deny-all
// blocks, allow-from-label admits only the labelled client of the same
// namespace, same-namespace-only blocks the other namespace while
// allow-webui opens webui to everyone, deleting the policies restores
// access, and an egress policy with no rules cuts a client off. kubectl
// get and describe show the policies. Rules left by an earlier run are
// replaced. Run with each backend (nftables, iptables). Waits poll.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/node_cluster.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";

// A pod of namespace `ns` labelled run=`run` serving its name on :8000.
std::string ServerPod(const std::string& ns, const std::string& name,
                      const std::string& run) {
  return std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: ") + name +
         ", namespace: " + ns + ", labels: {run: " + run +
         "}}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n"
         "  - name: main\n    image: " +
         kImage +
         "\n    command: [\"sh\", \"-c\", \"mkdir -p /www && hostname > "
         "/www/index.html && exec httpd -f -p 8000 -h /www\"]\n"
         "    ports: [{name: http, containerPort: 8000}]\n---\n";
}

class NetpolE2eTest
    : public NodeClusterTest<::testing::TestWithParam<std::string>> {
 protected:
  void SetUp() override {
    if (std::string missing = NodeCluster::MissingTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    const char* tool =
        GetParam() == "nftables" ? "nft --version" : "iptables-restore -V";
    if (RunCommand(tool).exit_code != 0) {
      GTEST_SKIP() << "runc or " << GetParam()
                   << " is not installed (scripts/install-deps.sh)";
    }
    NodeClusterOptions options;
    options.netns_prefix = "berth-np";
    options.plugins += "  - networkpolicy\n";
    options.more_plugins =
        "  - name: policy\n    settings: {nodeName: node1, backend: " +
        GetParam() + "}\n";
    // What a crashed earlier run could have left, made worse: a drop-all
    // forward chain in the enforcer's table, or a DROP in its chain. The
    // first sync replaces it.
    options.prepare = [&](NodeNetns& node) {
      ASSERT_EQ(node.Exec(GetParam() == "nftables"
                              ? "nft add table inet berth-policy && nft add "
                                "chain inet berth-policy stale '{ type filter "
                                "hook forward priority 0; policy drop; }'"
                              : "iptables -N BERTHPOL && iptables -A BERTHPOL "
                                "-j DROP && iptables -I FORWARD 1 -j BERTHPOL")
                    .exit_code,
                0);
    };
    ASSERT_NO_FATAL_FAILURE(cluster_.Start(options));
  }

  void TearDown() override {
    if (cluster_.running()) {
      Kubectl("delete netpol --all -A");
      cluster_.DeletePodsAndStop("-A");
      // The enforcer removed its rules when the server stopped.
      EXPECT_THAT(Ruleset(), Not(HasSubstr("berth-policy")));
      EXPECT_THAT(Ruleset(), Not(HasSubstr("BERTHPOL")));
    }
  }

  // True when pod `ns`/`client` fetches `server`'s page at `ip`.
  CommandResult Fetch(const std::string& ns, const std::string& client,
                      const std::string& ip) {
    return Kubectl("exec -n " + ns + " " + client +
                   " -- timeout 3 wget -qO- http://" + ip + ":8000/");
  }
  bool Reaches(const std::string& ns, const std::string& client,
               const std::string& ip, const std::string& server) {
    auto r = Fetch(ns, client, ip);
    return r.exit_code == 0 && r.out.find(server) != std::string::npos;
  }
  std::string Ruleset() {
    return cluster_.node()
        .Exec("nft list ruleset; iptables-save -t filter")
        .out;
  }
};

TEST_P(NetpolE2eTest, WorkshopPoliciesIsolateAndDeletingRestores) {
  EXPECT_OK(Kubectl("create namespace other"));
  EXPECT_OK(
      Kubectl("apply -f -", ServerPod("default", "testweb", "testweb") +
                                ServerPod("default", "testcurl", "testcurl") +
                                ServerPod("default", "webui", "webui") +
                                ServerPod("other", "stranger", "testcurl")));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("pods -A", ".items[*].status.phase") ==
           "Running Running Running Running";
  })) << Kubectl("get pods -A -o wide").out;
  const std::string web = Jsonpath("pod testweb", ".status.podIP");
  const std::string webui = Jsonpath("pod webui", ".status.podIP");
  ASSERT_FALSE(web.empty());

  // No policy: everyone reaches testweb.
  ASSERT_TRUE(Eventually([&] {
    return Reaches("default", "testcurl", web, "testweb") &&
           Reaches("default", "webui", web, "testweb") &&
           Reaches("other", "stranger", web, "testweb");
  })) << Fetch("default", "testcurl", web).out
      << Fetch("other", "stranger", web).err << Ruleset();

  // deny-all-for-testweb.
  const std::string deny = R"(kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: deny-all-for-testweb
spec:
  podSelector:
    matchLabels:
      run: testweb
  ingress: []
)";
  EXPECT_OK(Kubectl("apply -f -", deny));
  ASSERT_TRUE(Eventually([&] {
    return !Reaches("default", "testcurl", web, "testweb");
  })) << Ruleset();
  EXPECT_FALSE(Reaches("default", "webui", web, "testweb"));
  EXPECT_FALSE(Reaches("other", "stranger", web, "testweb"));
  // Other pods stay open.
  EXPECT_TRUE(Reaches("default", "testcurl", webui, "webui"));

  // allow-testcurl-for-testweb: only the labelled client of default.
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: allow-testcurl-for-testweb
spec:
  podSelector:
    matchLabels:
      run: testweb
  ingress:
  - from:
    - podSelector:
        matchLabels:
          run: testcurl
)")));
  ASSERT_TRUE(Eventually([&] {
    return Reaches("default", "testcurl", web, "testweb");
  })) << Ruleset();
  EXPECT_FALSE(Reaches("default", "webui", web, "testweb"));
  EXPECT_FALSE(Reaches("other", "stranger", web, "testweb"));

  // Labels count as they change: webui relabelled run=testcurl gets in,
  // and loses access when the label goes back.
  EXPECT_OK(Kubectl("label pod webui run=testcurl --overwrite"));
  ASSERT_TRUE(Eventually([&] {
    return Reaches("default", "webui", web, "testweb");
  })) << Ruleset();
  EXPECT_OK(Kubectl("label pod webui run=webui --overwrite"));
  ASSERT_TRUE(Eventually([&] {
    return !Reaches("default", "webui", web, "testweb");
  })) << Ruleset();

  // kubectl shows them as Kubernetes does.
  auto got = Kubectl("get netpol");
  EXPECT_OK(got);
  EXPECT_THAT(got.out, HasSubstr("POD-SELECTOR"));
  EXPECT_THAT(got.out, HasSubstr("run=testweb"));
  auto described = Kubectl("describe netpol allow-testcurl-for-testweb");
  EXPECT_OK(described);
  EXPECT_THAT(described.out, HasSubstr("PodSelector:     run=testweb"));
  EXPECT_THAT(described.out, HasSubstr("PodSelector: run=testcurl"));
  EXPECT_THAT(described.out, HasSubstr("Policy Types: Ingress"));

  // Deleting both restores access.
  EXPECT_OK(
      Kubectl("delete netpol allow-testcurl-for-testweb "
              "deny-all-for-testweb"));
  ASSERT_TRUE(Eventually([&] {
    return Reaches("default", "webui", web, "testweb") &&
           Reaches("other", "stranger", web, "testweb");
  })) << Ruleset();

  // deny-from-other-namespaces and allow-webui.
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: deny-from-other-namespaces
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: allow-webui
spec:
  podSelector:
    matchLabels:
      run: webui
  ingress:
  - from: []
)")));
  ASSERT_TRUE(Eventually([&] {
    return !Reaches("other", "stranger", web, "testweb");
  })) << Ruleset();
  EXPECT_TRUE(Reaches("default", "testcurl", web, "testweb"));
  EXPECT_TRUE(Reaches("default", "webui", web, "testweb"));
  EXPECT_TRUE(Reaches("other", "stranger", webui, "webui"));
  EXPECT_OK(Kubectl("delete netpol deny-from-other-namespaces"));
  ASSERT_TRUE(Eventually([&] {
    return Reaches("other", "stranger", web, "testweb");
  })) << Ruleset();
  EXPECT_OK(Kubectl("delete netpol allow-webui"));
  ASSERT_TRUE(Eventually([&] {
    const std::string r = Ruleset();
    return r.find("berth-policy") == std::string::npos &&
           r.find("BERTHPOL") == std::string::npos;
  })) << Ruleset();

  // Egress: a policy selecting testcurl with no egress rules cuts it off;
  // webui still reaches testweb.
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: deny-egress-testcurl
spec:
  podSelector:
    matchLabels:
      run: testcurl
  policyTypes: [Egress]
)")));
  ASSERT_TRUE(Eventually([&] {
    return !Reaches("default", "testcurl", web, "testweb");
  })) << Ruleset();
  EXPECT_TRUE(Reaches("default", "webui", web, "testweb"));
  // ... and an egress rule to run=testweb on port 8000 lets it out again.
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: allow-egress-to-testweb
spec:
  podSelector:
    matchLabels:
      run: testcurl
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector:
        matchLabels:
          run: testweb
    ports:
    - port: http
)")));
  ASSERT_TRUE(Eventually([&] {
    return Reaches("default", "testcurl", web, "testweb");
  })) << Ruleset();
  EXPECT_FALSE(Reaches("default", "testcurl", webui, "webui"));
}

// The kind's validation; it runs with either backend loaded.
TEST_P(NetpolE2eTest, InvalidPolicyIsRefusedWithKubernetesMessage) {
  auto r = Kubectl("apply -f -", std::string(R"(kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: bad
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/16
        except: [10.1.0.0/24]
)"));
  EXPECT_NE(r.exit_code, 0);
  auto resources = Kubectl("api-resources --api-group=networking.k8s.io");
  EXPECT_OK(resources);
  EXPECT_THAT(
      resources.out,
      ::testing::ContainsRegex("networkpolicies +netpol +networking.k8s.io/v1 "
                               "+true +NetworkPolicy"));
  auto explain = Kubectl("explain netpol.spec.ingress.from.ipBlock");
  EXPECT_OK(explain);
  EXPECT_THAT(explain.out, HasSubstr("except"));
  EXPECT_THAT(r.err, HasSubstr("spec.ingress[0].from[0].ipBlock.except[0]: "
                               "Invalid value: \"10.1.0.0/24\": must be a "
                               "strict subset of `cidr`"));
}

// The enforcer is a node plugin: `berth agent` loads it (the kind stays in
// the server's default conf), takes its node name from --node-name, follows
// the server's pods and policies, and removes its table when it stops.
TEST(NetpolAgentTest, TheEnforcerRunsInBerthAgent) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
  if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
  if (RunCommand("nft --version").exit_code != 0) GTEST_SKIP() << "no nft";
  TempDir dir;
  NodeNetns node("berth-npa");
  ASSERT_TRUE(node.ok()) << "cannot create a network namespace";
  BerthServer server(dir.path() + "/data");
  server.set_netns(node.name());
  ASSERT_TRUE(server.Start()) << server.log();
  const std::string config = dir.path() + "/agent.yaml";
  std::ofstream(config) << "plugins:\n  - name: policy\n";
  BerthAgent agent(dir.path() + "/agent");
  agent.set_netns(node.name());
  ASSERT_TRUE(
      agent.Start({"--kubeconfig", server.kubeconfig(), "--node-name", "node-b",
                   "--kubelet-port", "off", "--config", config}))
      << agent.log();
  std::filesystem::create_directories(dir.path() + "/home");
  auto kubectl = [&](const std::string& args, const std::string& input = "") {
    return node.Exec("kubectl " + args,
                     KubectlEnv(server, dir.path() + "/home"), input);
  };
  // A pod bound to node-b with an address (no node runs it: the status is
  // written by hand), and the workshop's deny-all for it.
  EXPECT_OK(kubectl("apply -f -", R"(apiVersion: v1
kind: Pod
metadata: {name: testweb, labels: {run: testweb}}
spec:
  nodeName: node-b
  containers: [{name: main, image: busybox}]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: deny-all-for-testweb}
spec:
  podSelector: {matchLabels: {run: testweb}}
  ingress: []
)"));
  EXPECT_OK(
      kubectl("patch pod testweb --subresource=status --type=merge -p "
              "'{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.9.0.5\"}}'"));
  auto ruleset = [&] { return node.Exec("nft list ruleset").out; };
  ASSERT_TRUE(NodeCluster::Eventually(
      [&] {
        return ruleset().find("10.9.0.5 : jump in-10-9-0-5") !=
               std::string::npos;
      },
      30))
      << ruleset() << agent.log();
  EXPECT_EQ(agent.Stop(), 0) << agent.log();
  EXPECT_THAT(ruleset(), Not(HasSubstr("berth-policy")));
  kubectl("delete pod testweb --grace-period=0 --force");
  EXPECT_EQ(server.Stop(), 0) << server.log();
}

INSTANTIATE_TEST_SUITE_P(Backends, NetpolE2eTest,
                         ::testing::Values("nftables", "iptables"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace berth::testing
