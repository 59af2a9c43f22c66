// The pure parts of the endpoints and endpointslice controllers: which
// pods a Service's endpoints list and how (ready, not ready, terminating,
// named ports resolved per pod, headless, publishNotReadyAddresses), the
// last-change-trigger-time, how endpoints are spread over slices of at
// most 100, and the EndpointSlice kind's validation and columns.
#include <string>
#include <vector>

#include "age.h"
#include "canonical_json.h"
#include "endpoint_pods.h"
#include "endpoint_slice_kind.h"
#include "endpoint_slice_mirroring.h"
#include "endpoint_slice_plan.h"
#include "endpoints_subsets.h"
#include "test_util.h"
#include "trigger_time_tracker.h"

namespace berth::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr const char* kService = R"({"metadata":{"name":"web","namespace":"ns",
  "uid":"svc-uid","creationTimestamp":"2026-01-01T00:00:00Z"},
  "spec":{"clusterIP":"10.96.0.10","selector":{"app":"web"},
    "ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"}]}})";

struct PodOpts {
  std::string name;
  std::string ip;
  bool ready = true;
  int64_t http_port = 8080;  // the containerPort named "http"; 0: none
  bool terminating = false;
  std::string phase = "Running";
  std::string ready_since = "2026-01-01T00:00:05Z";
};

std::string Pod(const PodOpts& o) {
  std::string ports = o.http_port ? R"([{"name":"http","containerPort":)" +
                                        std::to_string(o.http_port) + "}]"
                                  : "[]";
  return R"({"metadata":{"name":")" + o.name +
         R"(","namespace":"ns","uid":"uid-)" + o.name +
         R"(","labels":{"app":"web"})" +
         (o.terminating ? R"(,"deletionTimestamp":"2026-01-01T00:01:00Z")"
                        : "") +
         R"(},"spec":{"nodeName":"node-1","containers":[{"name":"c","ports":)" +
         ports + R"(}]},"status":{"phase":")" + o.phase + R"(")" +
         (o.ip.empty() ? "" : R"(,"podIP":")" + o.ip + R"(")") +
         R"(,"conditions":[{"type":"Ready","status":")" +
         (o.ready ? "True" : "False") + R"(","lastTransitionTime":")" +
         o.ready_since + R"("}]}})";
}

// Parsed pods kept alive for the pointers the builders take.
struct Pods {
  std::vector<JsonDoc> docs;
  std::vector<const Json*> ptrs;
  void Add(const std::string& text) {
    docs.push_back(Parse(text));
    ptrs.clear();
    for (auto& d : docs) ptrs.push_back(&d);
  }
};

std::string Subsets(const std::string& service, const Pods& pods) {
  JsonDoc svc = Parse(service);
  JsonDoc out;
  return ToJson(BuildEndpointSubsets(svc, pods.ptrs, out.GetAllocator()));
}

TEST(EndpointsSubsets, ReadyPodsShareOneSubsetNotReadyOnesAreListedApart) {
  Pods pods;
  pods.Add(Pod({.name = "b", .ip = "10.244.0.3"}));
  pods.Add(Pod({.name = "a", .ip = "10.244.0.2"}));
  pods.Add(Pod({.name = "c", .ip = "10.244.0.4", .ready = false}));
  EXPECT_EQ(
      Subsets(kService, pods),
      R"([{"addresses":[)"
      R"({"ip":"10.244.0.2","nodeName":"node-1","targetRef":{"kind":"Pod","namespace":"ns","name":"a","uid":"uid-a"}},)"
      R"({"ip":"10.244.0.3","nodeName":"node-1","targetRef":{"kind":"Pod","namespace":"ns","name":"b","uid":"uid-b"}}],)"
      R"("notReadyAddresses":[)"
      R"({"ip":"10.244.0.4","nodeName":"node-1","targetRef":{"kind":"Pod","namespace":"ns","name":"c","uid":"uid-c"}}],)"
      R"("ports":[{"name":"http","port":8080,"protocol":"TCP"}]}])");
}

TEST(EndpointsSubsets, NamedTargetPortResolvesPerPod) {
  Pods pods;
  pods.Add(Pod({.name = "a", .ip = "10.244.0.2", .http_port = 8080}));
  pods.Add(Pod({.name = "b", .ip = "10.244.0.3", .http_port = 9090}));
  // No port named "http": not an endpoint of this Service port.
  pods.Add(Pod({.name = "c", .ip = "10.244.0.4", .http_port = 0}));
  JsonDoc out = Parse(Subsets(kService, pods));
  ASSERT_EQ(out.Size(), 2u);
  EXPECT_EQ(GetString(out[0]["addresses"][0], {"ip"}), "10.244.0.2");
  EXPECT_EQ(GetInt(out[0]["ports"][0], {"port"}), 8080);
  EXPECT_EQ(GetString(out[1]["addresses"][0], {"ip"}), "10.244.0.3");
  EXPECT_EQ(GetInt(out[1]["ports"][0], {"port"}), 9090);
}

TEST(EndpointsSubsets, LeavesOutFinishedTerminatingAndAddresslessPods) {
  Pods pods;
  pods.Add(Pod({.name = "done", .ip = "10.244.0.2", .phase = "Succeeded"}));
  pods.Add(Pod({.name = "going", .ip = "10.244.0.3", .terminating = true}));
  pods.Add(Pod({.name = "pending", .ip = "", .phase = "Pending"}));
  EXPECT_EQ(Subsets(kService, pods), "[]");
}

TEST(EndpointsSubsets, PublishNotReadyAddressesListsEveryPodAsReady) {
  JsonDoc svc = Parse(kService);
  svc["spec"].AddMember("publishNotReadyAddresses", true, svc.GetAllocator());
  Pods pods;
  pods.Add(Pod({.name = "a", .ip = "10.244.0.2", .ready = false}));
  pods.Add(Pod({.name = "b", .ip = "10.244.0.3", .terminating = true}));
  JsonDoc out = Parse(Subsets(ToJson(svc), pods));
  ASSERT_EQ(out.Size(), 1u);
  EXPECT_EQ(out[0]["addresses"].Size(), 2u);
  EXPECT_EQ(Member(out[0], "notReadyAddresses"), nullptr);
}

TEST(EndpointsSubsets, HeadlessServiceWithoutPortsListsAddressesAndHostnames) {
  Pods pods;
  JsonDoc pod = Parse(Pod({.name = "db-0", .ip = "10.244.0.2"}));
  auto& a = pod.GetAllocator();
  pod["spec"].AddMember("hostname", "db-0", a);
  pod["spec"].AddMember("subdomain", "db", a);
  pods.Add(ToJson(pod));
  const std::string headless = R"({"metadata":{"name":"db","namespace":"ns"},
    "spec":{"clusterIP":"None","selector":{"app":"web"}}})";
  EXPECT_EQ(
      Subsets(headless, pods),
      R"([{"addresses":[{"ip":"10.244.0.2","hostname":"db-0","nodeName":"node-1",)"
      R"("targetRef":{"kind":"Pod","namespace":"ns","name":"db-0","uid":"uid-db-0"}}]}])");
  // A Service with a ClusterIP and no ports gets no addresses.
  EXPECT_EQ(Subsets(R"({"metadata":{"name":"x","namespace":"ns"},
    "spec":{"clusterIP":"10.96.0.9","selector":{"app":"web"}}})",
                    pods),
            "[]");
}

TEST(EndpointPods, SelectorsMatchLabels) {
  JsonDoc svc = Parse(R"({"spec":{"selector":{"tier":"fe","app":"web"}}})");
  JsonDoc match = Parse(R"({"app":"web","tier":"fe","x":"y"})");
  JsonDoc other = Parse(R"({"app":"web"})");
  EXPECT_EQ(SelectorString(svc), "app=web,tier=fe");
  EXPECT_TRUE(SelectorMatches(svc, &match));
  EXPECT_FALSE(SelectorMatches(svc, &other));
  EXPECT_FALSE(SelectorMatches(svc, nullptr));
  JsonDoc none = Parse(R"({"spec":{}})");
  EXPECT_FALSE(HasSelector(none));
  EXPECT_FALSE(SelectorMatches(none, &match));
}

TEST(TriggerTimeTracker, FirstSyncIsCreationThenOnlyChangedTriggers) {
  TriggerTimeTracker tracker;
  JsonDoc svc = Parse(kService);
  Pods pods;
  pods.Add(Pod({.name = "a",
                .ip = "10.244.0.2",
                .ready_since = "2026-01-01T00:00:05Z"}));
  EXPECT_EQ(tracker.Compute(svc, pods.ptrs), "2026-01-01T00:00:00Z");
  EXPECT_EQ(tracker.Compute(svc, pods.ptrs), "");
  pods.Add(Pod({.name = "b",
                .ip = "10.244.0.3",
                .ready_since = "2026-01-01T00:00:09Z"}));
  pods.Add(Pod({.name = "c",
                .ip = "10.244.0.4",
                .ready_since = "2026-01-01T00:00:07Z"}));
  // The earliest of the changes.
  EXPECT_EQ(tracker.Compute(svc, pods.ptrs), "2026-01-01T00:00:07Z");
  tracker.Forget("ns", "web");
  EXPECT_EQ(tracker.Compute(svc, pods.ptrs), "2026-01-01T00:00:00Z");
}

DesiredSliceEndpoints Desired(const std::string& service, const Pods& pods) {
  JsonDoc svc = Parse(service);
  return BuildDesiredSliceEndpoints(svc, pods.ptrs, {{"node-1", "zone-a"}});
}

TEST(EndpointSlicePlan, EndpointsCarryConditionsNodeZoneAndTargetRef) {
  Pods pods;
  pods.Add(Pod({.name = "a", .ip = "10.244.0.2"}));
  pods.Add(Pod({.name = "b", .ip = "10.244.0.3", .ready = false}));
  pods.Add(Pod({.name = "c", .ip = "10.244.0.4", .terminating = true}));
  DesiredSliceEndpoints d = Desired(kService, pods);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.begin()->first,
            R"([{"name":"http","port":8080,"protocol":"TCP"}])");
  const auto& eps = d.begin()->second;
  ASSERT_THAT(eps, SizeIs(3));
  EXPECT_EQ(eps[0].key, "10.244.0.2/ns/a");
  EXPECT_EQ(eps[0].json,
            R"({"addresses":["10.244.0.2"],"conditions":{"ready":true,)"
            R"("serving":true,"terminating":false},"nodeName":"node-1",)"
            R"("targetRef":{"kind":"Pod","name":"a","namespace":"ns",)"
            R"("uid":"uid-a"},"zone":"zone-a"})");
  EXPECT_NE(eps[1].json.find(R"("conditions":{"ready":false,"serving":false,)"
                             R"("terminating":false})"),
            std::string::npos);
  // A terminating pod stays listed, serving but not ready.
  EXPECT_NE(eps[2].json.find(R"("conditions":{"ready":false,"serving":true,)"
                             R"("terminating":true})"),
            std::string::npos);
}

TEST(EndpointSlicePlan, NamedPortsGroupPodsBySlicePorts) {
  Pods pods;
  pods.Add(Pod({.name = "a", .ip = "10.244.0.2", .http_port = 8080}));
  pods.Add(Pod({.name = "b", .ip = "10.244.0.3", .http_port = 9090}));
  DesiredSliceEndpoints d = Desired(kService, pods);
  ASSERT_EQ(d.size(), 2u);
  SlicePlan plan = PlanSlices({}, d);
  ASSERT_THAT(plan.create, SizeIs(2));
  EXPECT_THAT(plan.update, IsEmpty());
  EXPECT_THAT(plan.remove, IsEmpty());
}

std::vector<SliceEndpoint> Endpoints(int from, int to) {
  std::vector<SliceEndpoint> out;
  for (int i = from; i < to; ++i) {
    char key[32];
    snprintf(key, sizeof(key), "10.0.%d.%d/ns/p%04d", i / 256, i % 256, i);
    out.push_back({key, std::string("{\"n\":") + std::to_string(i) + "}"});
  }
  return out;
}

TEST(EndpointSlicePlan, SpreadsEndpointsOverSlicesOfAtMostOneHundred) {
  const std::string ports = R"([{"name":"","port":80,"protocol":"TCP"}])";
  SlicePlan plan = PlanSlices({}, {{ports, Endpoints(0, 250)}});
  ASSERT_THAT(plan.create, SizeIs(3));
  EXPECT_THAT(plan.create[0].endpoints, SizeIs(100));
  EXPECT_THAT(plan.create[1].endpoints, SizeIs(100));
  EXPECT_THAT(plan.create[2].endpoints, SizeIs(50));
}

TEST(EndpointSlicePlan, KeepsUnchangedSlicesAndUpdatesOnlyWhatChanged) {
  const std::string ports = R"([{"name":"","port":80,"protocol":"TCP"}])";
  std::vector<ExistingSlice> existing = {{"web-a", ports, Endpoints(0, 100)},
                                         {"web-b", ports, Endpoints(100, 150)}};
  // Nothing changed: nothing is written.
  EXPECT_TRUE(PlanSlices(existing, {{ports, Endpoints(0, 150)}}).Empty());

  // One endpoint of web-a went; 30 new ones fill web-a first, then the
  // rest go into web-b, which they fit in.
  auto wanted = Endpoints(1, 180);
  SlicePlan plan = PlanSlices(existing, {{ports, wanted}});
  EXPECT_THAT(plan.create, IsEmpty());
  EXPECT_THAT(plan.remove, IsEmpty());
  ASSERT_THAT(plan.update, SizeIs(2));
  EXPECT_EQ(plan.update[0].name, "web-a");
  EXPECT_THAT(plan.update[0].endpoints, SizeIs(100));
  EXPECT_EQ(plan.update[1].name, "web-b");
  EXPECT_THAT(plan.update[1].endpoints, SizeIs(79));

  // A slice whose endpoints all went is deleted.
  plan = PlanSlices(existing, {{ports, Endpoints(0, 100)}});
  EXPECT_THAT(plan.remove, ElementsAre("web-b"));
  EXPECT_THAT(plan.update, IsEmpty());
}

// Hand-made Endpoints as their mirrored slices hold them: one endpoint per
// address (ready) and not-ready address, the subset's ports with TCP as
// the default protocol, IPv6 left out, subsets with the same ports merged.
TEST(EndpointSliceMirroring, EndpointsBecomeSliceEndpointsByPorts) {
  auto endpoints = ParseJson(R"({"metadata":{"name":"db"},"subsets":[
    {"addresses":[{"ip":"10.0.0.2","hostname":"db-0","nodeName":"n1",
                   "targetRef":{"kind":"Pod","name":"db-0"}},
                  {"ip":"fd00::2"}],
     "notReadyAddresses":[{"ip":"10.0.0.3"}],
     "ports":[{"name":"pg","port":5432}]},
    {"addresses":[{"ip":"10.0.0.4"}],"ports":[{"name":"pg","port":5432}]},
    {"addresses":[{"ip":"10.0.0.5"}],
     "ports":[{"port":53,"protocol":"UDP","appProtocol":"dns"}]},
    {"ports":[{"port":1}]}]})");
  ASSERT_TRUE(endpoints.ok());
  DesiredSliceEndpoints desired = MirroredSliceEndpoints(*endpoints);
  ASSERT_EQ(desired.size(), 2u);
  const std::string pg = R"([{"name":"pg","port":5432,"protocol":"TCP"}])";
  ASSERT_EQ(desired.count(pg), 1u);
  const auto& eps = desired.at(pg);
  ASSERT_EQ(eps.size(), 3u);
  EXPECT_EQ(eps[0].json,
            R"({"addresses":["10.0.0.2"],"conditions":{"ready":true},)"
            R"("hostname":"db-0","nodeName":"n1",)"
            R"("targetRef":{"kind":"Pod","name":"db-0"}})");
  EXPECT_EQ(eps[1].json,
            R"({"addresses":["10.0.0.3"],"conditions":{"ready":false}})");
  EXPECT_EQ(eps[2].json,
            R"({"addresses":["10.0.0.4"],"conditions":{"ready":true}})");
  EXPECT_EQ(desired.count(R"([{"appProtocol":"dns","name":"","port":53,)"
                          R"("protocol":"UDP"}])"),
            1u);
}

TEST(EndpointSlicePlan, NoEndpointsLeavesOnePlaceholderSlice) {
  const std::string ports = R"([{"name":"","port":80,"protocol":"TCP"}])";
  SlicePlan plan = PlanSlices({{"web-a", ports, Endpoints(0, 3)}}, {});
  EXPECT_THAT(plan.remove, ElementsAre("web-a"));
  ASSERT_THAT(plan.create, SizeIs(1));
  EXPECT_EQ(plan.create[0].ports, "[]");
  EXPECT_THAT(plan.create[0].endpoints, IsEmpty());
  // The placeholder stays as it is; a second one goes.
  plan = PlanSlices({{"web-p", "[]", {}}, {"web-q", "[]", {}}}, {});
  EXPECT_THAT(plan.create, IsEmpty());
  EXPECT_THAT(plan.remove, ElementsAre("web-q"));
  // Endpoints appear: the placeholder goes, a real slice comes.
  plan = PlanSlices({{"web-p", "[]", {}}}, {{ports, Endpoints(0, 1)}});
  EXPECT_THAT(plan.remove, ElementsAre("web-p"));
  EXPECT_THAT(plan.create, SizeIs(1));
}

TEST(EndpointSlicePlan, RelabelledSliceIsRewritten) {
  const std::string ports = R"([{"name":"","port":80,"protocol":"TCP"}])";
  ExistingSlice s{"web-a", ports, Endpoints(0, 2)};
  s.labels_current = false;
  SlicePlan plan = PlanSlices({s}, {{ports, Endpoints(0, 2)}});
  ASSERT_THAT(plan.update, SizeIs(1));
  EXPECT_EQ(plan.update[0].name, "web-a");
}

std::vector<std::string> Causes(const std::string& text,
                                const std::string& old = "") {
  EndpointSliceKind kind;
  JsonDoc d = Parse(text);
  kind.Default(d, d.GetAllocator());
  JsonDoc o;
  if (!old.empty()) o = Parse(old);
  return Describe(kind.Validate(d, old.empty() ? nullptr : &o));
}

TEST(EndpointSliceKind, ValidatesAsTheApiserver) {
  EXPECT_THAT(Causes(R"({"addressType":"IPv4","endpoints":[
      {"addresses":["10.0.0.1"],"nodeName":"n1"}],
      "ports":[{"name":"http","port":80}]})"),
              IsEmpty());
  EXPECT_THAT(Causes(R"({"endpoints":[]})"),
              ElementsAre("addressType: Required value"));
  EXPECT_THAT(
      Causes(R"({"addressType":"IP","endpoints":[]})"),
      ElementsAre("addressType: Unsupported value: \"IP\": supported values: "
                  "\"FQDN\", \"IPv4\", \"IPv6\""));
  EXPECT_THAT(
      Causes(R"({"addressType":"IPv4","endpoints":[{"addresses":[]},
        {"addresses":["1.2.3"]},{"addresses":["127.0.0.1"]}]})"),
      ElementsAre(
          "endpoints[0].addresses: Required value: must contain at least 1 "
          "address",
          "endpoints[1].addresses[0]: Invalid value: \"1.2.3\": must be a "
          "valid IPv4 address",
          "endpoints[2].addresses[0]: Invalid value: \"127.0.0.1\": may not "
          "be in the loopback range (127.0.0.0/8, ::1/128)"));
  EXPECT_THAT(
      Causes(R"({"addressType":"IPv4","endpoints":[],"ports":[
        {"name":"http","port":80},{"name":"http","port":81,"protocol":"ICMP"},
        {"name":"Bad_Name","port":82}]})"),
      ElementsAre("ports[1].name: Duplicate value: \"http\"",
                  "ports[1].protocol: Unsupported value: \"ICMP\": supported "
                  "values: \"SCTP\", \"TCP\", \"UDP\"",
                  ::testing::StartsWith("ports[2].name: Invalid value: "
                                        "\"Bad_Name\": a lowercase RFC 1123 "
                                        "label must consist of")));
  EXPECT_THAT(Causes(R"({"addressType":"IPv6","endpoints":[]})",
                     R"({"addressType":"IPv4","endpoints":[]})"),
              ElementsAre("addressType: Invalid value: \"IPv6\": field is "
                          "immutable"));
}

TEST(EndpointSliceKind, DefaultsPortsAndPrintsKubectlColumns) {
  EndpointSliceKind kind;
  EXPECT_EQ(kind.Info().ApiVersion(), "discovery.k8s.io/v1");
  JsonDoc d = Parse(R"({"metadata":{"name":"web-abcde",
      "creationTimestamp":"2026-01-01T00:00:00Z"},"addressType":"IPv4",
      "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2"]},
        {"addresses":["10.0.0.3"]},{"addresses":["10.0.0.4"]}],
      "ports":[{"port":8080}]})");
  kind.Default(d, d.GetAllocator());
  EXPECT_EQ(ToJson(d["ports"]),
            R"([{"port":8080,"name":"","protocol":"TCP"}])");
  JsonDoc cells;
  cells.SetArray();
  kind.Cells(d, *ParseTimestamp("2026-01-01T00:05:00Z"), cells,
             cells.GetAllocator());
  EXPECT_EQ(ToJson(cells), R"(["web-abcde","IPv4","8080",)"
                           R"("10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...","5m"])");
  JsonDoc empty = Parse(R"({"metadata":{"name":"web-x"},"addressType":"IPv4",
      "endpoints":[]})");
  EXPECT_EQ(FormatSlicePorts(empty), "<unset>");
  EXPECT_EQ(FormatSliceEndpoints(empty), "<unset>");
}

TEST(CanonicalJson, OrdersMembersAtEveryLevel) {
  JsonDoc a = Parse(R"({"b":1,"a":{"d":[{"y":1,"x":2}],"c":null}})");
  EXPECT_EQ(CanonicalJson(a), R"({"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1})");
}

}  // namespace
}  // namespace berth::core
