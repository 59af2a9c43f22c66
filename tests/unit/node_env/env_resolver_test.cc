#include "env/env_resolver.h"

#include <gtest/gtest.h>

#include "env/field_ref.h"
#include "tests/unit/workloads/fake_client.h"

namespace berth::node {
namespace {

using workloads::FakeClient;
using workloads::Parse;

// "aGVsbG8=" is "hello", "czNjcjN0" is "s3cr3t".
class EnvResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_.Put("configmaps", "ns1",
                R"j({"metadata":{"name":"cfg","namespace":"ns1"},
                    "data":{"MODE":"fast","LEVEL":"3","1bad":"x",
                            "has space":"y","dotted.key":"z"}})j");
    client_.Put("secrets", "ns1",
                R"j({"metadata":{"name":"creds","namespace":"ns1"},
                    "data":{"PASSWORD":"czNjcjN0","GREETING":"aGVsbG8="}})j");
    facts_.node_name = "node-a";
    facts_.host_ip = "192.168.1.10";
    facts_.pod_ips = {"10.0.0.5", "fd00::5"};
    facts_.allocatable = {{"cpu", "4"}, {"memory", "8Gi"}};
  }

  StatusOr<ResolvedEnv> Resolve(const std::string& container_json) {
    pod_ = Parse(R"j({"metadata":{"name":"web","namespace":"ns1","uid":"u-1",
        "labels":{"app":"web"},"annotations":{"team":"blue"}},
        "spec":{"serviceAccountName":"robot","containers":[)j" +
                 container_json + "]}}");
    return ResolveEnv(pod_, pod_["spec"]["containers"][0], client_, facts_);
  }

  FakeClient client_;
  PodFacts facts_;
  JsonDoc pod_;
};

TEST_F(EnvResolverTest, ValuesExpandEarlierVariablesInOrder) {
  auto env = Resolve(R"j({"name":"c","env":[
      {"name":"A","value":"one"},
      {"name":"B","value":"$(A)-two"},
      {"name":"C","value":"$(LATER) $$(A)"},
      {"name":"LATER","value":"x"},
      {"name":"A","value":"again"}]
})j");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  // A repeated name keeps its first place with the last value.
  EXPECT_EQ(env->env, (EnvList{{"A", "again"},
                               {"B", "one-two"},
                               {"C", "$(LATER) $(A)"},
                               {"LATER", "x"}}));
}

TEST_F(EnvResolverTest, FieldRefsResolveFromPodAndFacts) {
  auto env = Resolve(R"j({"name":"c","env":[
      {"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
      {"name":"NS","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
      {"name":"UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
      {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
      {"name":"TEAM","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['team']"}}},
      {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
      {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
      {"name":"HOST","valueFrom":{"fieldRef":{"fieldPath":"status.hostIP"}}},
      {"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
      {"name":"IPS","valueFrom":{"fieldRef":{"fieldPath":"status.podIPs"}}},
      {"name":"URL","value":"http://$(IP):80"}]})j");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->env, (EnvList{{"N", "web"},
                               {"NS", "ns1"},
                               {"UID", "u-1"},
                               {"APP", "web"},
                               {"TEAM", "blue"},
                               {"NODE", "node-a"},
                               {"SA", "robot"},
                               {"HOST", "192.168.1.10"},
                               {"IP", "10.0.0.5"},
                               {"IPS", "10.0.0.5,fd00::5"},
                               {"URL", "http://10.0.0.5:80"}}));
}

TEST_F(EnvResolverTest, ResourceFieldRefsUseDivisorAndAllocatable) {
  auto env = Resolve(R"j({"name":"c",
      "resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"250m"}},
      "env":[
      {"name":"MEM_MI","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
      {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory"}}},
      {"name":"CPU_REQ","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu"}}},
      {"name":"CPU_REQ_M","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu","divisor":"1m"}}},
      {"name":"CPU_LIM","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
      {"name":"MEM_REQ","valueFrom":{"resourceFieldRef":{"resource":"requests.memory"}}}]})j");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->env, (EnvList{{"MEM_MI", "128"},
                               {"MEM", "134217728"},
                               {"CPU_REQ", "1"},  // 250m rounded up
                               {"CPU_REQ_M", "250"},
                               {"CPU_LIM", "4"},  // unset: node allocatable
                               {"MEM_REQ", "0"}}));
  auto bad = Resolve(R"j({"name":"c","env":[{"name":"X","valueFrom":
      {"resourceFieldRef":{"resource":"limits.gpu"}}}]})j");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unsupported container resource : limits.gpu");
}

TEST_F(EnvResolverTest, ConfigMapAndSecretKeys) {
  auto env = Resolve(R"j({"name":"c","env":[
      {"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"MODE"}}},
      {"name":"PW","valueFrom":{"secretKeyRef":{"name":"creds","key":"PASSWORD"}}},
      {"name":"OPT","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"NOPE","optional":true}}},
      {"name":"OPT2","valueFrom":{"secretKeyRef":{"name":"gone","key":"K","optional":true}}}]})j");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->env, (EnvList{{"MODE", "fast"}, {"PW", "s3cr3t"}}));
}

// The messages of the kubelet's CreateContainerConfigError.
TEST_F(EnvResolverTest, MissingSourcesFailWithKubeletMessages) {
  auto missing_cm = Resolve(R"j({"name":"c","env":[{"name":"X","valueFrom":
      {"configMapKeyRef":{"name":"absent","key":"k"}}}]})j");
  ASSERT_FALSE(missing_cm.ok());
  EXPECT_EQ(missing_cm.status().message(), "configmap \"absent\" not found");

  auto missing_key = Resolve(R"j({"name":"c","env":[{"name":"X","valueFrom":
      {"configMapKeyRef":{"name":"cfg","key":"k"}}}]})j");
  ASSERT_FALSE(missing_key.ok());
  EXPECT_EQ(missing_key.status().message(),
            "couldn't find key k in ConfigMap ns1/cfg");

  auto missing_secret = Resolve(R"j({"name":"c","env":[{"name":"X","valueFrom":
      {"secretKeyRef":{"name":"s","key":"k"}}}]})j");
  ASSERT_FALSE(missing_secret.ok());
  EXPECT_EQ(missing_secret.status().message(), "secret \"s\" not found");

  auto missing_secret_key = Resolve(R"j({"name":"c","env":[{"name":"X",
      "valueFrom":{"secretKeyRef":{"name":"creds","key":"k"}}}]})j");
  ASSERT_FALSE(missing_secret_key.ok());
  EXPECT_EQ(missing_secret_key.status().message(),
            "couldn't find key k in Secret ns1/creds");

  auto missing_from =
      Resolve(R"j({"name":"c","envFrom":[{"secretRef":{"name":"nothere"}}]})j");
  ASSERT_FALSE(missing_from.ok());
  EXPECT_EQ(missing_from.status().message(), "secret \"nothere\" not found");
}

TEST_F(EnvResolverTest, EnvFromPrefixesSkipsInvalidNamesAndComesFirst) {
  auto env = Resolve(R"j({"name":"c",
      "envFrom":[{"configMapRef":{"name":"cfg"},"prefix":"CFG_"},
                 {"secretRef":{"name":"creds"}},
                 {"configMapRef":{"name":"absent","optional":true}}],
      "env":[{"name":"MSG","value":"$(GREETING) $(CFG_MODE)"},
             {"name":"PASSWORD","value":"override"}]
})j");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->env, (EnvList{{"CFG_1bad", "x"},
                               {"CFG_LEVEL", "3"},
                               {"CFG_MODE", "fast"},
                               {"CFG_dotted.key", "z"},
                               {"GREETING", "hello"},
                               {"PASSWORD", "override"},
                               {"MSG", "hello fast"}}));
  ASSERT_EQ(env->invalid_name_warnings.size(), 1u);
  EXPECT_EQ(env->invalid_name_warnings[0],
            "Keys [CFG_has space] from the EnvFrom configMap ns1/cfg were "
            "skipped since they are considered invalid environment variable "
            "names.");

  auto no_prefix =
      Resolve(R"j({"name":"c","envFrom":[{"configMapRef":{"name":"cfg"}}]})j");
  ASSERT_TRUE(no_prefix.ok());
  EXPECT_EQ(no_prefix->invalid_name_warnings[0],
            "Keys [1bad, has space] from the EnvFrom configMap ns1/cfg were "
            "skipped since they are considered invalid environment variable "
            "names.");
}

TEST_F(EnvResolverTest, ServiceLinksAndTheMasterService) {
  client_.Put("services", "default",
              R"j({"metadata":{"name":"kubernetes","namespace":"default"},
                  "spec":{"clusterIP":"10.96.0.1","ports":[{"name":"https",
                  "port":443,"protocol":"TCP"}]}})j");
  client_.Put("services", "ns1",
              R"j({"metadata":{"name":"redis-main","namespace":"ns1"},
                  "spec":{"clusterIP":"10.96.0.7","ports":[{"port":6379}]}})j");
  client_.Put("services", "ns1",
              R"j({"metadata":{"name":"headless","namespace":"ns1"},
                  "spec":{"clusterIP":"None","ports":[{"port":80}]}})j");
  auto env = Resolve(R"j({"name":"c","env":[
      {"name":"REDIS","value":"$(REDIS_MAIN_SERVICE_HOST):6379"},
      {"name":"KUBERNETES_SERVICE_PORT","value":"mine"}]})j");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->env,
            (EnvList{{"REDIS", "10.96.0.7:6379"},
                     {"KUBERNETES_SERVICE_PORT", "mine"},
                     {"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
                     {"KUBERNETES_SERVICE_PORT_HTTPS", "443"},
                     {"KUBERNETES_PORT", "tcp://10.96.0.1:443"},
                     {"KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"},
                     {"KUBERNETES_PORT_443_TCP_PROTO", "tcp"},
                     {"KUBERNETES_PORT_443_TCP_PORT", "443"},
                     {"KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"},
                     {"REDIS_MAIN_SERVICE_HOST", "10.96.0.7"},
                     {"REDIS_MAIN_SERVICE_PORT", "6379"},
                     {"REDIS_MAIN_PORT", "tcp://10.96.0.7:6379"},
                     {"REDIS_MAIN_PORT_6379_TCP", "tcp://10.96.0.7:6379"},
                     {"REDIS_MAIN_PORT_6379_TCP_PROTO", "tcp"},
                     {"REDIS_MAIN_PORT_6379_TCP_PORT", "6379"},
                     {"REDIS_MAIN_PORT_6379_TCP_ADDR", "10.96.0.7"}}));

  // enableServiceLinks: false keeps only the master service.
  pod_ = Parse(R"j({"metadata":{"name":"web","namespace":"ns1"},
      "spec":{"enableServiceLinks":false,"containers":[{"name":"c"}]}})j");
  auto no_links =
      ResolveEnv(pod_, pod_["spec"]["containers"][0], client_, facts_);
  ASSERT_TRUE(no_links.ok());
  ASSERT_EQ(no_links->env.size(), 8u);
  EXPECT_EQ(no_links->env[0].first, "KUBERNETES_SERVICE_HOST");
}

TEST(FieldRefTest, DownwardApiMapsAndUnsupportedPaths) {
  JsonDoc pod = Parse(R"j({"metadata":{"name":"p",
      "labels":{"b":"2","a":"say \"hi\"\n"}}})j");
  auto labels = ExtractFieldRef(pod, "metadata.labels", {});
  ASSERT_TRUE(labels.ok());
  EXPECT_EQ(*labels, "a=\"say \\\"hi\\\"\\n\"\nb=\"2\"");
  EXPECT_EQ(*ExtractFieldRef(pod, "metadata.annotations['x']", {}), "");
  auto bad = ExtractFieldRef(pod, "spec.hostname", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unsupported fieldPath: spec.hostname");
}

TEST(EnvVarNameTest, FollowsKubernetesValidation) {
  EXPECT_TRUE(IsEnvVarName("PATH"));
  EXPECT_TRUE(IsEnvVarName("my.var-1"));
  EXPECT_TRUE(IsEnvVarName("_x"));
  EXPECT_FALSE(IsEnvVarName("1abc"));
  EXPECT_FALSE(IsEnvVarName("a b"));
  EXPECT_FALSE(IsEnvVarName(""));
}

}  // namespace
}  // namespace berth::node
