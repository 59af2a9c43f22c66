// End-to-end: cascading deletion with the real kubectl against a real
// `berth server`. ConfigMaps and Secrets carry ownerReferences by hand (the
// workload kinds come later); `kubectl delete --cascade=...` picks the
// policy. Waits poll with a generous deadline; nothing here measures speed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

class GcE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) {
      GTEST_SKIP() << kNoKubectl;
    }
    std::filesystem::create_directories(dir_.path() + "/home");
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
  }
  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"), input);
  }
  // jsonpath `path` of an object, or "<absent>" when the server says it is
  // NotFound. Any other failure (server down, a wrong resource name) fails
  // the test rather than passing as "gone".
  std::string Field(const std::string& object, const std::string& path,
                    const std::string& ns = "default") {
    auto r = Kubectl("-n " + ns + " get " + object + " -o jsonpath='{" + path +
                     "}'");
    if (r.exit_code == 0) return r.out;
    EXPECT_NE(r.err.find("(NotFound)"), std::string::npos) << r.err;
    return "<absent>";
  }
  bool Exists(const std::string& object, const std::string& ns = "default") {
    return Field(object, ".metadata.name", ns) != "<absent>";
  }
  // Polls until `object` is gone (30 s at most).
  bool Gone(const std::string& object, const std::string& ns = "default") {
    for (int i = 0; i < 300; ++i) {
      if (!Exists(object, ns)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  std::string CreateOwner(const std::string& name,
                          const std::string& ns = "default") {
    EXPECT_OK(Kubectl("-n " + ns + " create configmap " + name +
                      " --from-literal=role=owner"));
    return Field("configmap/" + name, ".metadata.uid", ns);
  }
  // Applies a ConfigMap or Secret owned by ConfigMap `owner` (uid `uid`).
  void CreateDependent(const std::string& kind, const std::string& name,
                       const std::string& owner, const std::string& uid,
                       bool block = false, const std::string& finalizer = "",
                       const std::string& ns = "default") {
    std::string yaml =
        "apiVersion: v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
        "\n  namespace: " + ns +
        "\n  ownerReferences:\n  - apiVersion: v1\n"
        "    kind: ConfigMap\n    name: " +
        owner + "\n    uid: " + uid +
        "\n    blockOwnerDeletion: " + (block ? "true" : "false") + "\n";
    if (!finalizer.empty()) yaml += "  finalizers: [" + finalizer + "]\n";
    EXPECT_OK(Kubectl("apply -f -", yaml));
  }
  // A dependent of an owner that never existed, waited for until collected:
  // the collector has worked through what was queued before it.
  void Barrier() {
    static int n = 0;
    std::string name = "barrier-" + std::to_string(n++);
    CreateDependent("ConfigMap", name, "nobody",
                    "00000000-0000-0000-0000-000000000000");
    ASSERT_TRUE(Gone("configmap/" + name));
  }

  TempDir dir_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(GcE2eTest, DeleteRemovesDependents) {
  std::string uid = CreateOwner("owner");
  CreateDependent("ConfigMap", "dep-cm", "owner", uid);
  CreateDependent("Secret", "dep-secret", "owner", uid);
  EXPECT_OK(Kubectl("create configmap bystander"));
  auto r = Kubectl("delete configmap owner");
  EXPECT_OK(r);
  EXPECT_NE(r.out.find("configmap \"owner\" deleted"), std::string::npos);
  EXPECT_TRUE(Gone("configmap/dep-cm"));
  EXPECT_TRUE(Gone("secret/dep-secret"));
  EXPECT_TRUE(Exists("configmap/bystander"));
}

TEST_F(GcE2eTest, CascadeOrphanKeepsDependentsWithoutTheReference) {
  std::string uid = CreateOwner("owner");
  CreateDependent("ConfigMap", "dep-cm", "owner", uid);
  CreateDependent("Secret", "dep-secret", "owner", uid);
  EXPECT_OK(Kubectl("delete configmap owner --cascade=orphan"));
  EXPECT_TRUE(Gone("configmap/owner"));
  EXPECT_EQ(Field("configmap/dep-cm", ".metadata.ownerReferences"), "");
  EXPECT_EQ(Field("secret/dep-secret", ".metadata.ownerReferences"), "");
  Barrier();
  EXPECT_TRUE(Exists("configmap/dep-cm"));
  EXPECT_TRUE(Exists("secret/dep-secret"));
}

TEST_F(GcE2eTest, CascadeForegroundWaitsForBlockingDependent) {
  std::string uid = CreateOwner("owner");
  CreateDependent("Secret", "blocker", "owner", uid, /*block=*/true,
                  "example.com/hold");
  CreateDependent("ConfigMap", "plain", "owner", uid);
  EXPECT_OK(
      Kubectl("delete configmap owner --cascade=foreground --wait=false"));
  EXPECT_TRUE(Gone("configmap/plain"));
  Barrier();
  // The owner is still there, terminating, held by foregroundDeletion ...
  EXPECT_NE(Field("configmap/owner", ".metadata.deletionTimestamp"), "");
  EXPECT_EQ(Field("configmap/owner", ".metadata.finalizers"),
            "[\"foregroundDeletion\"]");
  // ... because the blocking dependent is terminating but held itself.
  EXPECT_NE(Field("secret/blocker", ".metadata.deletionTimestamp"), "");
  EXPECT_OK(
      Kubectl("patch secret blocker --type=merge -p "
              "'{\"metadata\":{\"finalizers\":null}}'"));
  EXPECT_TRUE(Gone("secret/blocker"));
  EXPECT_TRUE(Gone("configmap/owner"));
}

TEST_F(GcE2eTest, RepeatedDeleteWithAnotherCascadeIsAccepted) {
  std::string uid = CreateOwner("owner");
  CreateDependent("Secret", "blocker", "owner", uid, true, "example.com/hold");
  EXPECT_OK(
      Kubectl("delete configmap owner --cascade=foreground --wait=false"));
  EXPECT_OK(Kubectl("delete configmap owner --cascade=orphan --wait=false"));
  EXPECT_TRUE(Gone("configmap/owner"));
  EXPECT_EQ(Field("secret/blocker", ".metadata.ownerReferences"), "");
}

TEST_F(GcE2eTest, DeprecatedOrphanDependentsAndBadPolicyOnTheQuery) {
  std::string uid = CreateOwner("owner");
  CreateDependent("ConfigMap", "dep-cm", "owner", uid);
  const std::string path = "/api/v1/namespaces/default/configmaps/owner";
  auto bad = Kubectl("delete --raw '" + path + "?propagationPolicy=Sideways'");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("Unsupported value"), std::string::npos) << bad.err;
  EXPECT_TRUE(Exists("configmap/owner"));
  EXPECT_OK(Kubectl("delete --raw '" + path + "?orphanDependents=true'"));
  EXPECT_TRUE(Gone("configmap/owner"));
  EXPECT_EQ(Field("configmap/dep-cm", ".metadata.ownerReferences"), "");
  EXPECT_TRUE(Exists("configmap/dep-cm"));
}

TEST_F(GcE2eTest, DependentOfOwnerThatNeverExistedIsCollected) {
  CreateDependent("Secret", "lost", "ghost",
                  "11111111-2222-3333-4444-555555555555");
  EXPECT_TRUE(Gone("secret/lost"));
}

TEST_F(GcE2eTest, NamespaceDeletionStillWorks) {
  EXPECT_OK(Kubectl("create namespace team"));
  std::string uid = CreateOwner("owner", "team");
  CreateDependent("Secret", "dep", "owner", uid, true, "", "team");
  EXPECT_OK(Kubectl("delete namespace team"));
  EXPECT_TRUE(Gone("namespace/team", "default"));
  EXPECT_FALSE(Exists("secret/dep", "team"));
}

TEST_F(GcE2eTest, ObjectsSurviveRestartWithoutBeingCollected) {
  std::string uid = CreateOwner("owner");
  CreateDependent("ConfigMap", "dep-cm", "owner", uid);
  CreateDependent("Secret", "dep-secret", "owner", uid, true);
  Barrier();
  server_->Kill();
  ASSERT_TRUE(server_->Start()) << server_->log();
  Barrier();
  EXPECT_TRUE(Exists("configmap/owner"));
  EXPECT_TRUE(Exists("configmap/dep-cm"));
  EXPECT_TRUE(Exists("secret/dep-secret"));
  // And the collector still knows who owns whom.
  EXPECT_OK(Kubectl("delete configmap owner"));
  EXPECT_TRUE(Gone("configmap/dep-cm"));
  EXPECT_TRUE(Gone("secret/dep-secret"));
}

}  // namespace
}  // namespace berth::testing
