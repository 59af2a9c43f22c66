#include <chrono>

#include "age.h"
#include "config_map_kind.h"
#include "endpoints_kind.h"
#include "event_kind.h"
#include "namespace_kind.h"
#include "node_kind.h"
#include "pod_kind.h"
#include "secret_kind.h"
#include "test_util.h"

namespace berth::core {
namespace {

using ::testing::ElementsAre;

JsonDoc Defaulted(const Kind& kind, const std::string& text) {
  JsonDoc d = Parse(text);
  kind.Default(d, d.GetAllocator());
  return d;
}

std::string CellsOf(const Kind& kind, const Json& obj, const char* now) {
  JsonDoc cells;
  cells.SetArray();
  kind.Cells(obj, *ParseTimestamp(now), cells, cells.GetAllocator());
  return ToJson(cells);
}

constexpr const char* kHelloPod = R"({"apiVersion":"v1","kind":"Pod",
  "metadata":{"name":"hello-pod","labels":{"app":"web"}},
  "spec":{"containers":[{"name":"web-ctr",
    "image":"nigelpulton/getting-started-k8s:1.0",
    "ports":[{"containerPort":8080}]}]}})";

TEST(PodKind, InfoMatchesKubernetes) {
  PodKind pods;
  EXPECT_EQ(pods.Info().plural, "pods");
  EXPECT_THAT(pods.Info().short_names, ElementsAre("po"));
  EXPECT_THAT(pods.Info().categories, ElementsAre("all"));
  EXPECT_TRUE(pods.Info().namespaced);
  EXPECT_TRUE(pods.Info().status_subresource);
  EXPECT_EQ(pods.Info().schema_name, "io.k8s.api.core.v1.Pod");
}

TEST(PodKind, DefaultsLikeKubernetes) {
  PodKind pods;
  JsonDoc pod = Defaulted(pods, kHelloPod);
  const Json& spec = pod["spec"];
  EXPECT_EQ(GetString(spec, {"restartPolicy"}), "Always");
  EXPECT_EQ(GetString(spec, {"dnsPolicy"}), "ClusterFirst");
  EXPECT_EQ(GetString(spec, {"schedulerName"}), "default-scheduler");
  EXPECT_EQ(GetInt(spec, {"terminationGracePeriodSeconds"}), 30);
  EXPECT_TRUE(spec["securityContext"].IsObject());
  EXPECT_TRUE(spec["enableServiceLinks"].GetBool());
  EXPECT_EQ(GetString(spec, {"preemptionPolicy"}), "PreemptLowerPriority");
  EXPECT_EQ(GetInt(spec, {"priority"}, -1), 0);
  const Json& c = spec["containers"][0];
  EXPECT_EQ(GetString(c, {"imagePullPolicy"}), "IfNotPresent");
  EXPECT_EQ(GetString(c, {"terminationMessagePath"}), "/dev/termination-log");
  EXPECT_EQ(GetString(c, {"terminationMessagePolicy"}), "File");
  EXPECT_EQ(GetString(c["ports"][0], {"protocol"}), "TCP");
  EXPECT_FALSE(Member(c["ports"][0], "hostPort"));
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Pending");
  EXPECT_EQ(GetString(pod, {"status", "qosClass"}), "BestEffort");
  EXPECT_TRUE(pods.Validate(pod, nullptr).empty());
}

TEST(PodKind, DefaultsProbesVolumesAndHostNetwork) {
  PodKind pods;
  JsonDoc pod = Defaulted(pods, R"({"metadata":{"name":"p"},"spec":{
    "hostNetwork":true,
    "volumes":[{"name":"www"},{"name":"cfg","configMap":{"name":"c"}}],
    "containers":[{"name":"rng","image":"redis",
      "ports":[{"containerPort":443}],
      "livenessProbe":{"httpGet":{"port":80}},
      "resources":{"limits":{"cpu":"500m","memory":"128Mi"}},
      "volumeMounts":[{"name":"www","mountPath":"/www"}]}]}})");
  const Json& c = pod["spec"]["containers"][0];
  EXPECT_EQ(GetString(c, {"imagePullPolicy"}), "Always");
  EXPECT_EQ(GetInt(c["ports"][0], {"hostPort"}), 443);
  const Json& probe = c["livenessProbe"];
  EXPECT_EQ(GetInt(probe, {"timeoutSeconds"}), 1);
  EXPECT_EQ(GetInt(probe, {"periodSeconds"}), 10);
  EXPECT_EQ(GetInt(probe, {"successThreshold"}), 1);
  EXPECT_EQ(GetInt(probe, {"failureThreshold"}), 3);
  EXPECT_EQ(GetString(probe, {"httpGet", "path"}), "/");
  EXPECT_EQ(GetString(probe, {"httpGet", "scheme"}), "HTTP");
  EXPECT_TRUE(pod["spec"]["volumes"][0]["emptyDir"].IsObject());
  EXPECT_EQ(GetInt(pod["spec"]["volumes"][1], {"configMap", "defaultMode"}),
            420);
  EXPECT_EQ(GetString(c, {"resources", "requests", "cpu"}), "500m");
  EXPECT_EQ(GetString(pod, {"status", "qosClass"}), "Guaranteed");
  EXPECT_TRUE(pods.Validate(pod, nullptr).empty());
}

TEST(PodKind, QosBurstable) {
  JsonDoc pod = Parse(R"({"spec":{"containers":[{"name":"a","resources":{
    "requests":{"memory":"64Mi","cpu":"250m"},
    "limits":{"memory":"128Mi","cpu":"500m"}}}]}})");
  EXPECT_EQ(PodQosClass(pod), "Burstable");
}

TEST(PodKind, ValidationMessages) {
  PodKind pods;
  JsonDoc pod = Defaulted(pods, R"({"metadata":{"name":"p"},"spec":{
    "restartPolicy":"Sometimes",
    "containers":[
      {"name":"a","ports":[{"containerPort":70000,"protocol":"HTTP"}],
       "resources":{"limits":{"cpu":"lots"}}},
      {"name":"a","image":"x"},
      {"name":"Bad","image":"x","volumeMounts":[{"name":"nope","mountPath":"/x"}]}]}})");
  EXPECT_THAT(
      Describe(pods.Validate(pod, nullptr)),
      ElementsAre(
          "spec.containers[0].image: Required value",
          "spec.containers[0].ports[0].containerPort: Invalid value: 70000: "
          "must be between 1 and 65535, inclusive",
          "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": "
          "supported values: \"SCTP\", \"TCP\", \"UDP\"",
          "spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\": "
          "quantities must match the regular expression "
          "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          "spec.containers[1].name: Duplicate value: \"a\"",
          "spec.containers[2].name: Invalid value: \"Bad\": a lowercase RFC "
          "1123 label must consist of lower case alphanumeric characters or "
          "'-', and must start and end with an alphanumeric character (e.g. "
          "'my-name',  or '123-abc', regex used for validation is "
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
          "spec.containers[2].volumeMounts[0].name: Not found: \"nope\"",
          "spec.restartPolicy: Unsupported value: \"Sometimes\": supported "
          "values: \"Always\", \"OnFailure\", \"Never\""));
  auto causes = pods.Validate(pod, nullptr);
  EXPECT_EQ(causes[0].reason, "FieldValueRequired");
  EXPECT_EQ(causes[4].reason, "FieldValueDuplicate");

  JsonDoc empty = Defaulted(pods, R"({"metadata":{"name":"p"},"spec":{}})");
  EXPECT_THAT(Describe(pods.Validate(empty, nullptr)),
              ElementsAre("spec.containers: Required value"));
}

TEST(PodKind, UpdateMayOnlyChangeImageAndFewFields) {
  PodKind pods;
  JsonDoc old = Defaulted(pods, kHelloPod);
  JsonDoc image = Defaulted(pods, kHelloPod);
  image["spec"]["containers"][0]["image"].SetString("nginx:2",
                                                    image.GetAllocator());
  SetString(image["spec"], "nodeName", "n1", image.GetAllocator());
  EXPECT_TRUE(pods.Validate(image, &old).empty());

  JsonDoc port = Defaulted(pods, kHelloPod);
  port["spec"]["containers"][0]["ports"][0]["containerPort"].SetInt(9090);
  auto causes = pods.Validate(port, &old);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].reason, "FieldValueForbidden");
  EXPECT_EQ(causes[0].field, "spec");
  EXPECT_EQ(causes[0].message.rfind(
                "Forbidden: pod updates may not change fields other than", 0),
            0u);
}

TEST(PodKind, CellsForRunningPodWithRestarts) {
  PodKind pods;
  JsonDoc pod = Parse(R"({"metadata":{"name":"web",
      "creationTimestamp":"2024-03-01T10:00:00Z"},
    "spec":{"nodeName":"n1","containers":[{"name":"a"},{"name":"b"}]},
    "status":{"phase":"Running","podIP":"10.244.0.7",
      "podIPs":[{"ip":"10.244.0.7"}],
      "conditions":[{"type":"Ready","status":"False"}],
      "containerStatuses":[
        {"name":"a","ready":true,"restartCount":3,
         "state":{"running":{"startedAt":"2024-03-01T11:55:00Z"}},
         "lastState":{"terminated":{"exitCode":1,
           "finishedAt":"2024-03-01T11:55:00Z"}}},
        {"name":"b","ready":false,"restartCount":0,
         "state":{"running":{"startedAt":"2024-03-01T10:00:00Z"}}}]}})");
  EXPECT_EQ(
      CellsOf(pods, pod, "2024-03-01T12:00:00Z"),
      R"j(["web","1/2","Running","3 (5m ago)","120m","10.244.0.7","n1","<none>","<none>"])j");
  EXPECT_EQ(pods.Columns().size(), 9u);
  EXPECT_EQ(pods.Columns()[0].format, "name");
  EXPECT_EQ(pods.Columns()[5].priority, 1);
}

TEST(PodKind, CellsStatusReasons) {
  PodKind pods;
  JsonDoc waiting = Parse(R"({"metadata":{"name":"p"},
    "spec":{"containers":[{"name":"a"}]},
    "status":{"phase":"Pending","containerStatuses":[{"name":"a",
      "ready":false,"restartCount":0,
      "state":{"waiting":{"reason":"ImagePullBackOff"}}}]}})");
  EXPECT_EQ(
      CellsOf(pods, waiting, "2024-03-01T12:00:00Z"),
      R"(["p","0/1","ImagePullBackOff",0,"<unknown>","<none>","<none>","<none>","<none>"])");
  JsonDoc deleting = Parse(R"({"metadata":{"name":"p",
      "deletionTimestamp":"2024-03-01T12:00:00Z"},
    "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running"}})");
  JsonDoc cells;
  cells.SetArray();
  pods.Cells(deleting, std::chrono::system_clock::now(), cells,
             cells.GetAllocator());
  EXPECT_EQ(std::string(cells[2].GetString()), "Terminating");
  JsonDoc init = Parse(R"({"metadata":{"name":"p"},
    "spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
    "status":{"phase":"Pending","initContainerStatuses":[{"name":"i",
      "restartCount":0,"state":{"running":{}}}]}})");
  cells.SetArray();
  pods.Cells(init, std::chrono::system_clock::now(), cells,
             cells.GetAllocator());
  EXPECT_EQ(std::string(cells[2].GetString()), "Init:0/1");
}

TEST(PodKind, FieldsAndMergeKeys) {
  PodKind pods;
  JsonDoc pod = Defaulted(pods, kHelloPod);
  auto fields = pods.FieldValues(pod);
  EXPECT_EQ(fields["status.phase"], "Pending");
  EXPECT_EQ(fields["spec.restartPolicy"], "Always");
  EXPECT_EQ(fields["spec.hostNetwork"], "false");
  EXPECT_EQ(pods.SelectableFields().size(), 8u);
  EXPECT_EQ(pods.MergeKey("spec.containers"), "name");
  EXPECT_EQ(pods.MergeKey("spec.containers.ports"), "containerPort");
  EXPECT_EQ(pods.MergeKey("spec.containers.env"), "name");
  EXPECT_EQ(pods.MergeKey("spec.volumes"), "name");
  EXPECT_EQ(pods.MergeKey("status.conditions"), "type");
  EXPECT_FALSE(pods.MergeKey("spec.tolerations"));
}

TEST(SecretKind, DefaultsTypeAndFoldsStringData) {
  SecretKind secrets;
  JsonDoc s = Defaulted(secrets, R"({"metadata":{"name":"s"},
    "data":{"user":"ZGphbmdv"},"stringData":{"password":"ab"}})");
  EXPECT_EQ(GetString(s, {"type"}), "Opaque");
  EXPECT_FALSE(Member(s, "stringData"));
  EXPECT_EQ(GetString(s, {"data", "password"}), "YWI=");
  EXPECT_EQ(GetString(s, {"data", "user"}), "ZGphbmdv");
  EXPECT_TRUE(secrets.Validate(s, nullptr).empty());
  EXPECT_EQ(secrets.FieldValues(s)["type"], "Opaque");
  EXPECT_EQ(CellsOf(secrets, s, "2024-03-01T12:00:00Z"),
            R"(["s","Opaque",2,"<unknown>"])");
}

TEST(SecretKind, InvalidBase64AndKeys) {
  SecretKind secrets;
  JsonDoc s = Defaulted(secrets, R"({"metadata":{"name":"s"},
    "data":{"user":"not base64!","a/b":"YWI="}})");
  auto causes = secrets.Validate(s, nullptr);
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0].field, "data[user]");
  EXPECT_EQ(causes[0].reason, "FieldValueInvalid");
  EXPECT_EQ(causes[0].message,
            "Invalid value: \"<secret contents redacted>\": illegal base64 "
            "data at input byte 3");
  EXPECT_EQ(causes[1].field, "data[a/b]");
}

TEST(SecretKind, DockerConfigJsonMustBeJson) {
  SecretKind secrets;
  JsonDoc bad = Defaulted(secrets, R"({"metadata":{"name":"s"},
    "type":"kubernetes.io/dockerconfigjson",
    "stringData":{".dockerconfigjson":"xyz"}})");
  EXPECT_THAT(Describe(secrets.Validate(bad, nullptr)),
              ElementsAre("data[.dockerconfigjson]: Invalid value: \"<secret "
                          "contents redacted>\": invalid character 'x' "
                          "looking for beginning of value"));
  JsonDoc missing = Defaulted(
      secrets,
      R"({"metadata":{"name":"s"},"type":"kubernetes.io/dockerconfigjson"})");
  EXPECT_THAT(Describe(secrets.Validate(missing, nullptr)),
              ElementsAre("data[.dockerconfigjson]: Required value"));
  JsonDoc good = Defaulted(secrets, R"({"metadata":{"name":"s"},
    "type":"kubernetes.io/dockerconfigjson",
    "stringData":{".dockerconfigjson":"{\"auths\":{}}"}})");
  EXPECT_TRUE(secrets.Validate(good, nullptr).empty());
}

TEST(ConfigMapKind, KeysAndColumns) {
  ConfigMapKind cms;
  EXPECT_THAT(cms.Info().short_names, ElementsAre("cm"));
  JsonDoc cm = Parse(R"({"metadata":{"name":"registry"},
    "data":{"http.addr":"0.0.0.0:80","bad key":"x"},
    "binaryData":{"http.addr":"YWI="}})");
  EXPECT_THAT(
      Describe(cms.Validate(cm, nullptr)),
      ElementsAre(
          "data[bad key]: Invalid value: \"bad key\": a valid config key must "
          "consist of alphanumeric characters, '-', '_' or '.' (e.g. "
          "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
          "validation is '[-._a-zA-Z0-9]+')",
          "binaryData[http.addr]: Invalid value: \"http.addr\": duplicate of "
          "key present in data"));
  EXPECT_EQ(CellsOf(cms, cm, "2024-03-01T12:00:00Z"),
            R"(["registry",3,"<unknown>"])");

  JsonDoc old = Parse(R"({"immutable":true,"data":{"a":"1"}})");
  JsonDoc changed = Parse(R"({"immutable":true,"data":{"a":"2"}})");
  EXPECT_THAT(Describe(cms.Validate(changed, &old)),
              ElementsAre("data: Forbidden: field is immutable when "
                          "`immutable` is set"));
}

TEST(NamespaceKind, DefaultsAndDelete) {
  NamespaceKind nss;
  EXPECT_FALSE(nss.Info().namespaced);
  JsonDoc ns = Defaulted(nss, R"({"apiVersion":"v1","kind":"Namespace",
    "metadata":{"name":"blue"}})");
  EXPECT_EQ(ToJson(ns["spec"]), R"({"finalizers":["kubernetes"]})");
  EXPECT_EQ(GetString(ns, {"status", "phase"}), "Active");
  EXPECT_EQ(
      GetString(ns, {"metadata", "labels", "kubernetes.io/metadata.name"}),
      "blue");
  EXPECT_TRUE(nss.Validate(ns, nullptr).empty());
  EXPECT_EQ(nss.PrepareForDelete(ns, ns.GetAllocator()),
            DeleteAction::kMarkDeleting);
  EXPECT_EQ(GetString(ns, {"status", "phase"}), "Terminating");
  EXPECT_EQ(nss.FieldValues(ns)["status.phase"], "Terminating");

  ns["spec"]["finalizers"].SetArray();
  EXPECT_EQ(nss.PrepareForDelete(ns, ns.GetAllocator()), DeleteAction::kDelete);

  JsonDoc bad = Defaulted(nss, R"({"metadata":{"name":"Blue"}})");
  auto causes = nss.Validate(bad, nullptr);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "metadata.name");
}

// As ValidateNodeUpdate: a pod CIDR is assigned once ("" to valid) and a
// provider ID set once; changing either is forbidden.
TEST(NodeKind, PodCidrAndProviderIdAreSetOnce) {
  NodeKind nodes;
  JsonDoc fresh = Parse(R"({"metadata":{"name":"n1"},"spec":{}})");
  JsonDoc assigned = Parse(R"({"metadata":{"name":"n1"},"spec":{
    "podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"],
    "providerID":"berth://n1"}})");
  EXPECT_TRUE(nodes.Validate(assigned, &fresh).empty());
  EXPECT_TRUE(nodes.Validate(assigned, &assigned).empty());
  JsonDoc moved = Parse(R"({"metadata":{"name":"n1"},"spec":{
    "podCIDR":"10.244.2.0/24","podCIDRs":["10.244.2.0/24"],
    "providerID":"other://n1"}})");
  auto causes = nodes.Validate(moved, &assigned);
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0].reason, "FieldValueForbidden");
  EXPECT_EQ(causes[0].field, "spec.podCIDRs");
  EXPECT_NE(causes[0].message.find(
                "node updates may not change podCIDR except from \"\" to "
                "valid"),
            std::string::npos)
      << causes[0].message;
  EXPECT_EQ(causes[1].field, "spec.providerID");
  // Taking the CIDR away is a change too.
  EXPECT_EQ(nodes.Validate(fresh, &assigned).size(), 2u);
}

TEST(NodeKind, Cells) {
  NodeKind nodes;
  JsonDoc node = Parse(R"({"metadata":{"name":"n1",
      "creationTimestamp":"2024-02-28T09:00:00Z",
      "labels":{"node-role.kubernetes.io/control-plane":"",
                "node-role.kubernetes.io/worker":""}},
    "spec":{"unschedulable":true},
    "status":{"conditions":[{"type":"Ready","status":"True"}],
      "addresses":[{"type":"InternalIP","address":"192.168.1.5"}],
      "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12",
        "kernelVersion":"6.1.0","containerRuntimeVersion":"crun://1.8"}}})");
  EXPECT_EQ(
      CellsOf(nodes, node, "2024-03-01T12:00:00Z"),
      R"(["n1","Ready,SchedulingDisabled","control-plane,worker","2d3h","v1.32.4","192.168.1.5","<none>","Debian GNU/Linux 12","6.1.0","crun://1.8"])");
  EXPECT_EQ(nodes.FieldValues(node)["spec.unschedulable"], "true");
  JsonDoc unknown = Parse(R"({"metadata":{"name":"n2"}})");
  JsonDoc cells;
  cells.SetArray();
  nodes.Cells(unknown, std::chrono::system_clock::now(), cells,
              cells.GetAllocator());
  EXPECT_EQ(std::string(cells[1].GetString()), "Unknown");
  EXPECT_EQ(std::string(cells[2].GetString()), "<none>");
}

TEST(EndpointsKind, FormatsUpToThree) {
  JsonDoc ep = Parse(R"({"subsets":[{"addresses":[{"ip":"10.0.0.1"},
    {"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]}]})");
  EXPECT_EQ(FormatEndpoints(ep),
            "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...");
  JsonDoc none = Parse(R"({"subsets":[]})");
  EXPECT_EQ(FormatEndpoints(none), "<none>");
  JsonDoc two = Parse(R"({"subsets":[{"addresses":[{"ip":"10.0.0.1"}],
    "ports":[{"port":80}]}]})");
  EXPECT_EQ(FormatEndpoints(two), "10.0.0.1:80");
}

TEST(EventKind, CellsAndFields) {
  EventKind events;
  JsonDoc ev = Parse(R"({"metadata":{"name":"web.17a","namespace":"default"},
    "involvedObject":{"kind":"Pod","name":"web","namespace":"default"},
    "reason":"Pulled","type":"Normal","message":"pulled image \n",
    "source":{"component":"kubelet","host":"n1"},
    "firstTimestamp":"2024-03-01T11:00:00Z",
    "lastTimestamp":"2024-03-01T11:59:00Z","count":4})");
  EXPECT_EQ(
      CellsOf(events, ev, "2024-03-01T12:00:00Z"),
      R"(["60s","Normal","Pulled","pod/web","","kubelet, n1","pulled image","60m",4,"web.17a"])");
  auto fields = events.FieldValues(ev);
  EXPECT_EQ(fields["involvedObject.name"], "web");
  EXPECT_EQ(fields["involvedObject.kind"], "Pod");
  EXPECT_EQ(fields["source"], "kubelet");
  EXPECT_EQ(events.Columns().size(), 10u);
}

}  // namespace
}  // namespace berth::core
