// The ServiceAccount admission: what a new pod gets (the default account,
// the kube-api-access volume mounted in every container), when it gets no
// token (automountServiceAccountToken false, a mount already there), and
// the refusal of a pod naming a ServiceAccount that does not exist.
#include "service_account_admission.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/unit/core/fake_client.h"

namespace berth::core {
namespace {

using ::testing::MatchesRegex;

constexpr char kMount[] = "/var/run/secrets/kubernetes.io/serviceaccount";

class ServiceAccountAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_.objects["serviceaccounts/team/default"] =
        R"({"metadata":{"name":"default","namespace":"team"}})";
    client_.objects["serviceaccounts/team/quiet"] =
        R"({"metadata":{"name":"quiet","namespace":"team"},)"
        R"("automountServiceAccountToken":false,)"
        R"("imagePullSecrets":[{"name":"regcred"}]})";
  }
  // Admits the creation of `pod` (JSON) in namespace team; the pod as
  // admitted, or the refusal.
  StatusOr<JsonDoc> Admit(const std::string& pod) {
    ServiceAccountAdmission admission(
        &client_, [this](std::chrono::milliseconds) { ++sleeps_; });
    auto doc = ParseJson(pod);
    if (!doc.ok()) return doc.status();
    AdmissionRequest req;
    req.resource = {"", "v1", "pods"};
    req.kind = "Pod";
    req.ns = "team";
    req.name = GetString(*doc, {"metadata", "name"});
    if (Status s = admission.Admit(req, *doc, doc->GetAllocator()); !s.ok()) {
      return s;
    }
    return std::move(doc).value();
  }

  core::FakeClient client_;
  int sleeps_ = 0;
};

TEST_F(ServiceAccountAdmissionTest, PodGetsDefaultAccountAndApiAccessVolume) {
  auto pod = Admit(
      R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i"}],)"
      R"("containers":[{"name":"a"},{"name":"b","volumeMounts":)"
      R"([{"name":"data","mountPath":"/data"}]}],)"
      R"("volumes":[{"name":"data","emptyDir":{}}]}})");
  ASSERT_TRUE(pod.ok()) << pod.status().message();
  EXPECT_EQ(GetString(*pod, {"spec", "serviceAccountName"}), "default");
  EXPECT_EQ(GetString(*pod, {"spec", "serviceAccount"}), "default");
  const Json& volumes = *Find(*pod, {"spec", "volumes"});
  ASSERT_EQ(volumes.Size(), 2u);
  const std::string name = GetString(volumes[1], {"name"});
  EXPECT_THAT(name, MatchesRegex("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]"
                                 "{5}"));
  // Exactly the volume Kubernetes 1.32 adds.
  JsonDoc volume;
  volume.CopyFrom(volumes[1], volume.GetAllocator());
  volume.RemoveMember("name");
  EXPECT_EQ(ToJson(volume),
            R"({"projected":{"defaultMode":420,"sources":[)"
            R"({"serviceAccountToken":{"expirationSeconds":3607,)"
            R"("path":"token"}},{"configMap":{"items":[{"key":"ca.crt",)"
            R"("path":"ca.crt"}],"name":"kube-root-ca.crt"}},)"
            R"({"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1",)"
            R"("fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}})");
  const std::string mount = R"({"mountPath":")" + std::string(kMount) +
                            R"(","name":")" + name + R"(","readOnly":true})";
  for (auto path : {std::vector<std::string>{"spec", "initContainers"},
                    std::vector<std::string>{"spec", "containers"}}) {
    const Json* list = Find(*pod, {path[0], path[1]});
    ASSERT_NE(list, nullptr);
    for (const auto& c : list->GetArray()) {
      const Json& mounts = *Member(c, "volumeMounts");
      EXPECT_EQ(ToJson(mounts[mounts.Size() - 1]), mount);
    }
  }
}

TEST_F(ServiceAccountAdmissionTest, NoTokenWhenTurnedOffOrAlreadyMounted) {
  auto off = Admit(
      R"({"metadata":{"name":"p"},"spec":{"automountServiceAccountToken":)"
      R"(false,"containers":[{"name":"a"}]}})");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(Find(*off, {"spec", "volumes"}), nullptr);
  EXPECT_EQ(Find(*off, {"spec", "containers"})
                ->GetArray()[0]
                .HasMember("volumeMounts"),
            false);
  // The account says no; the pod's own word wins over it.
  auto quiet =
      Admit(R"({"metadata":{"name":"p"},"spec":{"serviceAccountName":"quiet",)"
            R"("containers":[{"name":"a"}]}})");
  ASSERT_TRUE(quiet.ok());
  EXPECT_EQ(Find(*quiet, {"spec", "volumes"}), nullptr);
  EXPECT_EQ(ToJson(*Find(*quiet, {"spec", "imagePullSecrets"})),
            R"([{"name":"regcred"}])");
  auto insist = Admit(
      R"({"metadata":{"name":"p"},"spec":{"serviceAccountName":"quiet",)"
      R"("automountServiceAccountToken":true,"containers":[{"name":"a"}]}})");
  ASSERT_TRUE(insist.ok());
  EXPECT_EQ(Find(*insist, {"spec", "volumes"})->Size(), 1u);
  // Something already at the path: nothing added.
  auto own = Admit(R"({"metadata":{"name":"p"},"spec":{"containers":[)"
                   R"({"name":"a","volumeMounts":[{"name":"mine",)"
                   R"("mountPath":")" +
                   std::string(kMount) +
                   R"("}]}],"volumes":[{"name":"mine","emptyDir":{}}]}})");
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(Find(*own, {"spec", "volumes"})->Size(), 1u);
}

TEST_F(ServiceAccountAdmissionTest, MissingAccountIsRefusedAsKubernetesDoes) {
  auto pod =
      Admit(R"({"metadata":{"name":"p"},"spec":{"serviceAccountName":"ghost",)"
            R"("containers":[{"name":"a"}]}})");
  EXPECT_EQ(pod.status().code(), Status::Code::kForbidden);
  EXPECT_EQ(pod.status().message(),
            "pods \"p\" is forbidden: error looking up service account "
            "team/ghost: serviceaccount \"ghost\" not found");
  EXPECT_EQ(sleeps_, 0);
  // `default` is looked up ten times: its controller may not have made it
  // yet.
  client_.objects.erase("serviceaccounts/team/default");
  auto early = Admit(R"({"metadata":{"name":"q"},"spec":{"containers":[)"
                     R"({"name":"a"}]}})");
  EXPECT_EQ(early.status().code(), Status::Code::kForbidden);
  EXPECT_EQ(sleeps_, 9);
}

TEST_F(ServiceAccountAdmissionTest, OnlyPodCreationsAndNoMirrorPods) {
  auto mirror =
      Admit(R"({"metadata":{"name":"m","annotations":)"
            R"({"kubernetes.io/config.mirror":"x"}},"spec":{"containers":[)"
            R"({"name":"a"}]}})");
  ASSERT_TRUE(mirror.ok());
  EXPECT_EQ(Find(*mirror, {"spec", "serviceAccountName"}), nullptr);
}

}  // namespace
}  // namespace berth::core
