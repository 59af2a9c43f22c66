// End-to-end: the endpoints and endpointslice controllers with the real
// kubectl against a real `berth server` running core, workloads, the
// scheduler and three sim nodes (whose kubelets make pods Running and
// Ready with pod IPs). A Deployment's pods appear in its Service's
// Endpoints and EndpointSlice and follow scaling; `kubectl describe
// service` shows them; a pod that is not Ready moves to notReadyAddresses
// and ready:false; a named targetPort resolves per pod; a Service without a
// selector keeps hand-made Endpoints and EndpointSlices; deleting a Service
// takes its slices with it. Pods whose readiness the test sets itself are
// bound to a node no kubelet runs, so only the test writes their status.
// Waits poll with a generous deadline; nothing here measures speed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/sim_cluster_test.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

class EndpointsE2eTest : public SimClusterTest {
 protected:
  std::string Get(const std::string& what, const std::string& jsonpath) {
    auto r = Kubectl("get " + what + " -o jsonpath='" + jsonpath + "'");
    return r.exit_code == 0 ? r.out : "<error: " + r.err + ">";
  }
  // Words of `text`, sorted.
  static std::vector<std::string> Words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    std::sort(out.begin(), out.end());
    return out;
  }
  // The sorted IPs of the ready (or not ready) addresses of Endpoints
  // `name`, and of the EndpointSlices of Service `name` with that ready
  // condition.
  std::vector<std::string> EndpointsIps(const std::string& name,
                                        bool ready = true) {
    return Words(Get("endpoints " + name,
                     ready ? "{.subsets[*].addresses[*].ip}"
                           : "{.subsets[*].notReadyAddresses[*].ip}"));
  }
  std::vector<std::string> SliceIps(const std::string& name,
                                    bool ready = true) {
    return Words(
        Get("endpointslices -l kubernetes.io/service-name=" + name,
            std::string("{.items[*].endpoints[?(@.conditions.ready==") +
                (ready ? "true" : "false") + ")].addresses[0]}"));
  }
  // A pod on a node without a kubelet, offering container port "http" as
  // `port`; its status is the test's to set.
  void CreateGhostPod(const std::string& name, const std::string& app,
                      int port) {
    EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Pod
metadata: {name: )" + name + R"(, labels: {app: )" +
                                        app + R"(}}
spec:
  nodeName: no-kubelet
  containers:
  - name: c
    image: busybox
    ports: [{name: http, containerPort: )" +
                                        std::to_string(port) +
                                        R"(}]
)"));
  }
  void SetPodStatus(const std::string& name, const std::string& ip,
                    bool ready) {
    const std::string status = ready ? "True" : "False";
    EXPECT_OK(Kubectl(
        "patch pod " + name +
        " --subresource=status --type=merge -p "
        "'{\"status\":{\"phase\":\"Running\",\"podIP\":\"" +
        ip + "\",\"podIPs\":[{\"ip\":\"" + ip +
        "\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + status +
        "\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}'"));
  }
};

TEST_F(EndpointsE2eTest, DeploymentPodsFollowScalingAndGoWithTheService) {
  EXPECT_OK(Kubectl(
      "create deployment web --image=nginx:1.25 --replicas=3 --port=80"));
  EXPECT_OK(Kubectl("rollout status deployment/web --timeout=90s", "", 100));
  EXPECT_OK(Kubectl("expose deployment web --port=8000 --target-port=80"));

  std::vector<std::string> pod_ips;
  ASSERT_TRUE(Eventually([&] {
    pod_ips = Words(Get("pods -l app=web", "{.items[*].status.podIP}"));
    return pod_ips.size() == 3 && EndpointsIps("web") == pod_ips &&
           SliceIps("web") == pod_ips;
  })) << Get("endpoints web", "{.subsets}")
      << "\n"
      << Get("endpointslices", "{.items}");

  // The Endpoints: ports from targetPort, the trigger time annotation.
  EXPECT_EQ(Get("endpoints web", "{.subsets[0].ports[0].port}"), "80");
  EXPECT_THAT(Get("endpoints web",
                  "{.metadata.annotations.endpoints\\.kubernetes\\.io/"
                  "last-change-trigger-time}"),
              ::testing::MatchesRegex("20[0-9-]+T[0-9:.]+Z"));
  // The slice: labels, owner, port, conditions, node, target.
  const std::string slice =
      Get("endpointslices -l kubernetes.io/service-name=web",
          "{.items[0].metadata.name}");
  EXPECT_THAT(slice, ::testing::StartsWith("web-"));
  const std::string s = "endpointslice " + slice;
  EXPECT_EQ(Get(s,
                "{.metadata.labels.endpointslice\\.kubernetes\\.io/"
                "managed-by}"),
            "endpointslice-controller.k8s.io");
  EXPECT_EQ(Get(s,
                "{.metadata.ownerReferences[0].kind}/"
                "{.metadata.ownerReferences[0].name}/"
                "{.metadata.ownerReferences[0].controller}"),
            "Service/web/true");
  EXPECT_EQ(Get(s, "{.addressType} {.ports[0].port} {.ports[0].protocol}"),
            "IPv4 80 TCP");
  EXPECT_EQ(Get(s, "{.endpoints[0].conditions}"),
            R"({"ready":true,"serving":true,"terminating":false})");
  EXPECT_THAT(Get(s, "{.endpoints[0].nodeName}"),
              ::testing::StartsWith("sim-"));
  EXPECT_EQ(Get(s, "{.endpoints[0].targetRef.kind}"), "Pod");

  // kubectl's columns and describe's Endpoints line.
  auto table = Kubectl("get endpointslices");
  EXPECT_OK(table);
  EXPECT_THAT(table.out, HasSubstr("NAME"));
  EXPECT_THAT(table.out,
              ::testing::ContainsRegex("ADDRESSTYPE +PORTS +ENDPOINTS +AGE"));
  EXPECT_THAT(table.out,
              ::testing::ContainsRegex(slice + " +IPv4 +80 +" + pod_ips[0]));
  auto described = Kubectl("describe service web");
  EXPECT_OK(described);
  EXPECT_THAT(described.out,
              ::testing::ContainsRegex("Endpoints: +" + pod_ips[0] + ":80,"));

  // Scaling down takes the endpoints along.
  EXPECT_OK(Kubectl("scale deployment web --replicas=1"));
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("web").size() == 1 && SliceIps("web").size() == 1 &&
           Words(Get("endpointslices -l kubernetes.io/service-name=web",
                     "{.items[*].endpoints[*].addresses[0]}"))
                   .size() == 1;
  })) << Get("endpoints web", "{.subsets}");
  // And up again.
  EXPECT_OK(Kubectl("scale deployment web --replicas=3"));
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("web").size() == 3 && SliceIps("web").size() == 3;
  })) << Get("endpoints web", "{.subsets}");

  // Deleting the Service: its Endpoints go, its slices go with it.
  EXPECT_OK(Kubectl("delete service web"));
  ASSERT_TRUE(Eventually([&] {
    return Get("endpointslices -l kubernetes.io/service-name=web",
               "{.items[*].metadata.name}")
               .empty() &&
           Kubectl("get endpoints web").exit_code != 0;
  })) << Get("endpointslices", "{.items[*].metadata.name}");
  EXPECT_OK(Kubectl("delete deployment web"));
}

TEST_F(EndpointsE2eTest, NotReadyPodsAndNamedPortsPerPod) {
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Service
metadata: {name: named}
spec:
  selector: {app: named}
  ports: [{name: web, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: named-all}
spec:
  selector: {app: named}
  publishNotReadyAddresses: true
  ports: [{name: web, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: named-headless}
spec:
  clusterIP: None
  selector: {app: named}
  ports: [{name: web, port: 80, targetPort: http}]
)"));
  CreateGhostPod("p1", "named", 8080);
  CreateGhostPod("p2", "named", 9090);
  SetPodStatus("p1", "10.9.0.1", true);
  SetPodStatus("p2", "10.9.0.2", true);

  // Each pod's own number for the port named "http".
  ASSERT_TRUE(Eventually([&] {
    return Words(Get("endpoints named",
                     "{range .subsets[*]}{.addresses[*].ip}:{.ports[0].port} "
                     "{end}")) ==
           std::vector<std::string>{"10.9.0.1:8080", "10.9.0.2:9090"};
  })) << Get("endpoints named", "{.subsets}");
  ASSERT_TRUE(Eventually([&] {
    return Words(Get("endpointslices -l kubernetes.io/service-name=named",
                     "{range .items[*]}{.endpoints[*].addresses[0]}:"
                     "{.ports[0].port} {end}")) ==
           std::vector<std::string>{"10.9.0.1:8080", "10.9.0.2:9090"};
  })) << Get("endpointslices", "{.items}");
  EXPECT_THAT(Get("endpointslices -l kubernetes.io/service-name=named-headless",
                  "{.items[0].metadata.labels}"),
              HasSubstr("service.kubernetes.io/headless"));
  EXPECT_THAT(Get("endpoints named-headless", "{.metadata.labels}"),
              HasSubstr("service.kubernetes.io/headless"));

  // p2 fails readiness: out of rotation, still listed as not ready.
  SetPodStatus("p2", "10.9.0.2", false);
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("named") == std::vector<std::string>{"10.9.0.1"} &&
           EndpointsIps("named", false) ==
               std::vector<std::string>{"10.9.0.2"} &&
           SliceIps("named") == std::vector<std::string>{"10.9.0.1"} &&
           SliceIps("named", false) == std::vector<std::string>{"10.9.0.2"};
  })) << Get("endpoints named", "{.subsets}")
      << "\n"
      << Get("endpointslices -l kubernetes.io/service-name=named", "{.items}");
  EXPECT_EQ(Get("endpointslices -l kubernetes.io/service-name=named",
                "{.items[*].endpoints[?(@.conditions.ready==false)]."
                "conditions}"),
            R"({"ready":false,"serving":false,"terminating":false})");
  // publishNotReadyAddresses: both stay in rotation.
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("named-all") ==
               std::vector<std::string>{"10.9.0.1", "10.9.0.2"} &&
           SliceIps("named-all") ==
               std::vector<std::string>{"10.9.0.1", "10.9.0.2"};
  })) << Get("endpoints named-all", "{.subsets}");

  // Ready again: back in rotation.
  SetPodStatus("p2", "10.9.0.2", true);
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("named") ==
               std::vector<std::string>{"10.9.0.1", "10.9.0.2"} &&
           SliceIps("named") ==
               std::vector<std::string>{"10.9.0.1", "10.9.0.2"};
  })) << Get("endpoints named", "{.subsets}");

  // A pod relabelled out of the Service leaves it.
  EXPECT_OK(Kubectl("label pod p1 app=other --overwrite"));
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("named") == std::vector<std::string>{"10.9.0.2"} &&
           SliceIps("named") == std::vector<std::string>{"10.9.0.2"};
  })) << Get("endpoints named", "{.subsets}");
  EXPECT_OK(Kubectl("delete pods p1 p2 --grace-period=0 --force"));
  ASSERT_TRUE(Eventually([&] {
    return EndpointsIps("named").empty() && SliceIps("named").empty();
  })) << Get("endpoints named", "{.subsets}");
  // No endpoints left: one empty placeholder slice.
  EXPECT_EQ(Get("endpointslices -l kubernetes.io/service-name=named",
                "{.items[*].addressType}"),
            "IPv4");
}

TEST_F(EndpointsE2eTest, ServiceWithoutSelectorKeepsHandMadeEndpoints) {
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: external}
subsets:
- addresses: [{ip: 192.0.2.10}]
  ports: [{port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: external-1
  labels: {kubernetes.io/service-name: external}
addressType: IPv4
ports: [{name: "", port: 8080, protocol: TCP}]
endpoints:
- addresses: [192.0.2.10]
)"));
  // A Service with a selector created after it is synced; by then the
  // selectorless one had its chance to be touched.
  EXPECT_OK(Kubectl("create service clusterip marker --tcp=80:80"));
  ASSERT_TRUE(Eventually(
      [&] { return Kubectl("get endpoints marker").exit_code == 0; }));
  EXPECT_EQ(Get("endpoints external",
                "{.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}"),
            "192.0.2.10:8080");
  // The hand-made slice is left alone (the hand-made Endpoints are
  // mirrored into a slice of their own, see below).
  EXPECT_EQ(Get("endpointslices -l kubernetes.io/service-name=external,"
                "!endpointslice.kubernetes.io/managed-by",
                "{.items[*].metadata.name}"),
            "external-1");
  auto described = Kubectl("describe service external");
  EXPECT_OK(described);
  EXPECT_THAT(described.out,
              ::testing::ContainsRegex("Endpoints: +192.0.2.10:8080"));

  // Validation as Kubernetes: a bad address type is refused.
  auto bad = Kubectl("apply -f -", R"(apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: bad}
addressType: IPv5
endpoints: []
)");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("addressType"));
}

// The endpointslicemirroring controller: hand-made Endpoints of a Service
// without selector become an EndpointSlice (ready and not-ready addresses,
// ports, the Endpoints' labels) that follows them, and goes when they are
// marked skip-mirror or the Service gets a selector.
TEST_F(EndpointsE2eTest, HandMadeEndpointsAreMirroredIntoSlices) {
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: db, labels: {tier: data}}
subsets:
- addresses: [{ip: 192.0.2.20, hostname: db-0}, {ip: 192.0.2.21}]
  notReadyAddresses: [{ip: 192.0.2.22}]
  ports: [{name: pg, port: 5432, protocol: TCP}]
)"));
  const std::string mirrored =
      "endpointslices -l kubernetes.io/service-name=db,"
      "endpointslice.kubernetes.io/managed-by="
      "endpointslicemirroring-controller.k8s.io";
  ASSERT_TRUE(Eventually([&] {
    return Get(mirrored, "{.items[*].endpoints[*].addresses[0]}") ==
           "192.0.2.20 192.0.2.21 192.0.2.22";
  })) << Kubectl("get " + mirrored + " -o yaml").out;
  EXPECT_EQ(Get(mirrored, "{.items[0].endpoints[*].conditions.ready}"),
            "true true false");
  EXPECT_EQ(Get(mirrored, "{.items[0].endpoints[0].hostname}"), "db-0");
  EXPECT_EQ(Get(mirrored,
                "{.items[0].ports[0].name}:{.items[0].ports[0]."
                "port}/{.items[0].ports[0].protocol}"),
            "pg:5432/TCP");
  EXPECT_EQ(Get(mirrored, "{.items[0].metadata.labels.tier}"), "data");
  EXPECT_EQ(Get(mirrored,
                "{.items[0].metadata.ownerReferences[0].kind}/"
                "{.items[0].metadata.ownerReferences[0].name}"),
            "Endpoints/db");

  // The slice follows the Endpoints.
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Endpoints
metadata: {name: db, labels: {tier: data}}
subsets:
- addresses: [{ip: 192.0.2.30}]
  ports: [{name: pg, port: 5432, protocol: TCP}]
)"));
  EXPECT_TRUE(Eventually([&] {
    return Get(mirrored, "{.items[*].endpoints[*].addresses[0]}") ==
           "192.0.2.30";
  })) << Kubectl("get " + mirrored + " -o yaml").out;

  // skip-mirror: the mirrored slice goes.
  EXPECT_OK(Kubectl(
      "label endpoints db endpointslice.kubernetes.io/skip-mirror=true"));
  EXPECT_TRUE(Eventually([&] {
    return Get(mirrored, "{.items[*].metadata.name}").empty();
  })) << Kubectl("get " + mirrored).out;
  EXPECT_OK(
      Kubectl("label endpoints db endpointslice.kubernetes.io/skip-mirror-"));
  EXPECT_TRUE(Eventually(
      [&] { return !Get(mirrored, "{.items[*].metadata.name}").empty(); }));

  // A selector makes the endpoints the controllers' own: no mirror.
  EXPECT_OK(
      Kubectl("patch service db -p '{\"spec\":{\"selector\":"
              "{\"app\":\"db\"}}}'"));
  EXPECT_TRUE(Eventually([&] {
    return Get(mirrored, "{.items[*].metadata.name}").empty();
  })) << Kubectl("get endpointslices --show-labels").out;
}

}  // namespace
}  // namespace berth::testing
