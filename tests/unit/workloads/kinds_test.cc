#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "deployment_kind.h"
#include "replica_set_kind.h"
#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Describe;
using core::Parse;

using ::testing::Contains;
using ::testing::ElementsAre;

constexpr char kDeployment[] = R"({"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","namespace":"default"},
  "spec":{"selector":{"matchLabels":{"app":"web"}},
    "template":{"metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}}})";

std::vector<std::string> ValidateDeployment(const std::string& text,
                                            const Json* old = nullptr) {
  DeploymentKind kind;
  JsonDoc d = Parse(text);
  kind.Default(d, d.GetAllocator());
  return Describe(kind.Validate(d, old));
}

// kDeployment with `spec` members replaced by `patch` (a JSON object).
std::string WithSpec(const std::string& patch) {
  JsonDoc d = Parse(kDeployment);
  JsonDoc p = Parse(patch);
  for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
    SetMember(d["spec"], it->name.GetString(),
              Json(it->value, d.GetAllocator()), d.GetAllocator());
  }
  return ToJson(d);
}

TEST(DeploymentKind, DefaultsAsKubernetes) {
  DeploymentKind kind;
  JsonDoc d = Parse(kDeployment);
  kind.Default(d, d.GetAllocator());
  EXPECT_EQ(GetInt(d, {"spec", "replicas"}), 1);
  EXPECT_EQ(GetString(d, {"spec", "strategy", "type"}), "RollingUpdate");
  EXPECT_EQ(GetString(d, {"spec", "strategy", "rollingUpdate", "maxSurge"}),
            "25%");
  EXPECT_EQ(
      GetString(d, {"spec", "strategy", "rollingUpdate", "maxUnavailable"}),
      "25%");
  EXPECT_EQ(GetInt(d, {"spec", "revisionHistoryLimit"}), 10);
  EXPECT_EQ(GetInt(d, {"spec", "progressDeadlineSeconds"}), 600);
  EXPECT_EQ(GetString(d, {"spec", "template", "spec", "restartPolicy"}),
            "Always");
  EXPECT_EQ(
      GetString(*Find(d, {"spec", "template", "spec", "containers"})->Begin(),
                {"imagePullPolicy"}),
      "IfNotPresent");
  EXPECT_TRUE(kind.Validate(d, nullptr).empty());
  // Recreate gets no rollingUpdate block.
  JsonDoc r = Parse(WithSpec(R"({"strategy":{"type":"Recreate"}})"));
  kind.Default(r, r.GetAllocator());
  EXPECT_EQ(Find(r, {"spec", "strategy", "rollingUpdate"}), nullptr);
}

TEST(DeploymentKind, SelectorMustMatchTemplateLabels) {
  EXPECT_THAT(
      ValidateDeployment(
          WithSpec(R"({"selector":{"matchLabels":{"app":"x"}}})")),
      ElementsAre("spec.template.metadata.labels: Invalid value: "
                  "map[string]string{\"app\":\"web\"}: `selector` does not "
                  "match template `labels`"));
  EXPECT_THAT(ValidateDeployment(WithSpec(R"({"selector":null})")),
              ElementsAre("spec.selector: Required value"));
  EXPECT_THAT(
      ValidateDeployment(WithSpec(R"({"selector":{}})")),
      ElementsAre("spec.selector: Invalid value: "
                  "v1.LabelSelector{MatchLabels:map[string]string(nil), "
                  "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
                  "empty selector is invalid for deployment"));
}

TEST(DeploymentKind, StrategyAndNumbers) {
  EXPECT_THAT(
      ValidateDeployment(WithSpec(
          R"({"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":"0%"}}})")),
      ElementsAre("spec.strategy.rollingUpdate.maxUnavailable: Invalid "
                  "value: \"0%\": may not be 0 when `maxSurge` is 0"));
  EXPECT_THAT(
      ValidateDeployment(WithSpec(
          R"({"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"150%"}}})")),
      ElementsAre("spec.strategy.rollingUpdate.maxSurge: Invalid value: "
                  "\"150%\": must not be greater than 100%"));
  EXPECT_THAT(
      ValidateDeployment(WithSpec(
          R"({"strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}})")),
      ElementsAre("spec.strategy.rollingUpdate: Forbidden: may not be "
                  "specified when strategy `type` is 'Recreate'"));
  EXPECT_THAT(ValidateDeployment(WithSpec(R"({"strategy":{"type":"Blue"}})")),
              ElementsAre("spec.strategy.type: Unsupported value: \"Blue\": "
                          "supported values: \"Recreate\", "
                          "\"RollingUpdate\""));
  EXPECT_THAT(ValidateDeployment(WithSpec(R"({"replicas":-1})")),
              ElementsAre("spec.replicas: Invalid value: -1: must be greater "
                          "than or equal to 0"));
  EXPECT_THAT(ValidateDeployment(WithSpec(
                  R"({"minReadySeconds":10,"progressDeadlineSeconds":10})")),
              ElementsAre("spec.progressDeadlineSeconds: Invalid value: 10: "
                          "must be greater than minReadySeconds"));
}

TEST(DeploymentKind, RestartPolicyMustBeAlways) {
  JsonDoc d = Parse(kDeployment);
  SetString(d["spec"]["template"]["spec"], "restartPolicy", "OnFailure",
            d.GetAllocator());
  EXPECT_THAT(ValidateDeployment(ToJson(d)),
              Contains("spec.template.spec.restartPolicy: Unsupported value: "
                       "\"OnFailure\": supported values: \"Always\""));
}

TEST(DeploymentKind, SelectorIsImmutable) {
  JsonDoc old = Parse(kDeployment);
  JsonDoc d = Parse(kDeployment);
  SetMember(d["spec"]["selector"]["matchLabels"], "tier", Json("fe"),
            d.GetAllocator());
  SetMember(d["spec"]["template"]["metadata"]["labels"], "tier", Json("fe"),
            d.GetAllocator());
  EXPECT_THAT(
      ValidateDeployment(ToJson(d), &old),
      ElementsAre("spec.selector: Invalid value: "
                  "v1.LabelSelector{MatchLabels:map[string]string{\"app\":"
                  "\"web\", \"tier\":\"fe\"}, MatchExpressions:[]v1."
                  "LabelSelectorRequirement(nil)}: field is immutable"));
}

TEST(DeploymentKind, CellsAsKubectlPrintsThem) {
  DeploymentKind kind;
  JsonDoc d = Parse(kDeployment);
  kind.Default(d, d.GetAllocator());
  SetMember(
      d, "status",
      Json(
          Parse(
              R"({"readyReplicas":1,"updatedReplicas":1,"availableReplicas":1})"),
          d.GetAllocator()),
      d.GetAllocator());
  JsonDoc cells(rapidjson::kArrayType);
  kind.Cells(d, std::chrono::system_clock::now(), cells, cells.GetAllocator());
  EXPECT_EQ(ToJson(cells),
            R"(["web","1/1",1,1,"<unknown>","c","nginx:1.25","app=web"])");
  std::vector<std::string> names;
  for (const auto& c : kind.Columns()) names.push_back(c.name);
  EXPECT_THAT(names, ElementsAre("Name", "Ready", "Up-to-date", "Available",
                                 "Age", "Containers", "Images", "Selector"));
  EXPECT_EQ(kind.Info().short_names, std::vector<std::string>{"deploy"});
  EXPECT_TRUE(kind.Info().scale_subresource);
  EXPECT_EQ(kind.MergeKey("spec.template.spec.containers"), "name");
  EXPECT_EQ(kind.MergeKey("status.conditions"), "type");
}

TEST(ReplicaSetKind, DefaultsValidatesAndPrints) {
  ReplicaSetKind kind;
  JsonDoc rs = Parse(R"({"metadata":{"name":"web-1"},
    "spec":{"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"c","image":"nginx"}]}}},
    "status":{"replicas":2,"readyReplicas":1}})");
  kind.Default(rs, rs.GetAllocator());
  EXPECT_EQ(GetInt(rs, {"spec", "replicas"}), 1);
  EXPECT_TRUE(kind.Validate(rs, nullptr).empty());
  JsonDoc cells(rapidjson::kArrayType);
  kind.Cells(rs, std::chrono::system_clock::now(), cells, cells.GetAllocator());
  EXPECT_EQ(ToJson(cells),
            R"(["web-1",1,2,1,"<unknown>","c","nginx","app=web"])");
  EXPECT_EQ(kind.Info().short_names, std::vector<std::string>{"rs"});
  EXPECT_EQ(kind.Info().schema_name, "io.k8s.api.apps.v1.ReplicaSet");
  JsonDoc schemas = Parse(kind.OpenApiSchemas());
  EXPECT_NE(Member(schemas, "io.k8s.api.apps.v1.DeploymentSpec"), nullptr);
  EXPECT_NE(Member(schemas, "io.k8s.api.core.v1.PodTemplateSpec"), nullptr);
  EXPECT_NE(Member(schemas, "io.k8s.apimachinery.pkg.util.intstr.IntOrString"),
            nullptr);
}

}  // namespace
}  // namespace berth::workloads
