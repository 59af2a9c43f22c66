#include "volumes/volume_manager.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/workloads/fake_client.h"

namespace berth::node {
namespace {

namespace fs = std::filesystem;
using workloads::FakeClient;
using workloads::Parse;

constexpr long kTmpfsMagic = 0x01021994;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

// A FakeClient that answers TokenRequests (serviceaccounts/NAME/token)
// with tokens "tok-1", "tok-2"... and remembers what was asked.
class TokenClient : public FakeClient {
 public:
  StatusOr<std::string> CreateSubresource(const ResourceRef& r,
                                          const std::string& ns,
                                          const std::string& name,
                                          const std::string& subresource,
                                          const std::string& body) override {
    if (r.resource != "serviceaccounts" || subresource != "token") {
      return Status::Internal("unused");
    }
    if (unserved) {
      return Status::NotFound(
          "the server could not find the requested resource");
    }
    if (refuse) {
      return Status::NotFound("serviceaccounts \"" + name + "\" not found");
    }
    requests.push_back(ns + "/" + name + " " + body);
    JsonDoc answer = Parse(body);
    auto& a = answer.GetAllocator();
    Json status(rapidjson::kObjectType);
    SetString(status, "token", "tok-" + std::to_string(requests.size()), a);
    SetMember(answer, "status", std::move(status), a);
    return ToJson(answer);
  }
  std::vector<std::string> requests;
  bool refuse = false;
  bool unserved = false;  // no TokenRequest API (no auth plugin)
};

class VolumeManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() + "/pods";
    client_.Put("configmaps", "ns1",
                R"j({"metadata":{"name":"app","namespace":"ns1"},
                    "data":{"app.conf":"mode=fast","other":"o"}})j");
    // "c2VjcmV0" is "secret".
    client_.Put("secrets", "ns1",
                R"j({"metadata":{"name":"creds","namespace":"ns1"},
                    "data":{"password":"c2VjcmV0"}})j");
  }
  void TearDown() override { manager_.Cleanup("u-1"); }

  JsonDoc Pod(const std::string& volumes, const std::string& mounts = "[]") {
    return Parse(R"j({"metadata":{"name":"web","namespace":"ns1","uid":"u-1",
        "labels":{"app":"web","tier":"front"}},
        "spec":{"nodeName":"node-a","containers":[{"name":"c",
          "resources":{"limits":{"memory":"64Mi"}},
          "volumeMounts":)j" +
                 mounts + R"j(}],"volumes":)j" + volumes + "}}");
  }
  std::string Dir(const std::string& plugin, const std::string& name) {
    return root_ + "/u-1/volumes/" + plugin + "/" + name;
  }

  testing::TempDir tmp_;
  std::string root_;
  TokenClient client_;
  VolumeManager manager_{client_, tmp_.path() + "/pods"};
};

TEST_F(VolumeManagerTest, ConfigMapItemsModesAndRefresh) {
  JsonDoc pod = Pod(R"j([{"name":"cfg","configMap":{"name":"app",
      "defaultMode":288,
      "items":[{"key":"app.conf","path":"conf/app.conf"},
               {"key":"other","path":"o","mode":384}]}}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const std::string dir = Dir("kubernetes.io~configmap", "cfg");
  EXPECT_EQ(Read(dir + "/conf/app.conf"), "mode=fast");
  struct stat st;
  ASSERT_EQ(stat((dir + "/conf/app.conf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0440u);  // defaultMode 288
  ASSERT_EQ(stat((dir + "/o").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);  // mode 384

  // A changed ConfigMap shows in the files after Refresh.
  client_.Put("configmaps", "ns1",
              R"j({"metadata":{"name":"app","namespace":"ns1"},
                  "data":{"app.conf":"mode=slow","other":"o"}})j");
  ASSERT_TRUE(manager_.Refresh(pod).ok());
  EXPECT_EQ(Read(dir + "/conf/app.conf"), "mode=slow");
}

TEST_F(VolumeManagerTest, SecretIsDecodedWithAllKeys) {
  JsonDoc pod = Pod(R"j([{"name":"s","secret":{"secretName":"creds"}}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const std::string dir = Dir("kubernetes.io~secret", "s");
  EXPECT_EQ(Read(dir + "/password"), "secret");
  if (geteuid() == 0) {
    struct statfs sfs;
    ASSERT_EQ(statfs(dir.c_str(), &sfs), 0);
    EXPECT_EQ(sfs.f_type, kTmpfsMagic) << "secrets stay off the disk";
  }
  ASSERT_TRUE(manager_.Cleanup("u-1").ok());
  EXPECT_FALSE(fs::exists(dir));
}

// The kubelet's FailedMount event messages.
TEST_F(VolumeManagerTest, MissingSourcesFailLikeKubelet) {
  Status s = manager_.Prepare(
      Pod(R"j([{"name":"x","configMap":{"name":"absent"}}])j"));
  EXPECT_EQ(s.message(),
            "MountVolume.SetUp failed for volume \"x\" : configmap \"absent\" "
            "not found");
  s = manager_.Prepare(
      Pod(R"j([{"name":"y","secret":{"secretName":"nope"}}])j"));
  EXPECT_EQ(s.message(),
            "MountVolume.SetUp failed for volume \"y\" : secret \"nope\" not "
            "found");
  s = manager_.Prepare(Pod(R"j([{"name":"z","configMap":{"name":"app",
      "items":[{"key":"missing","path":"m"}]}}])j"));
  EXPECT_EQ(s.message(),
            "MountVolume.SetUp failed for volume \"z\" : configmap references "
            "non-existent config key: missing");
  s = manager_.Prepare(Pod(
      R"j([{"name":"h","hostPath":{"path":"/nonexistent-berth","type":"Directory"}}])j"));
  EXPECT_EQ(s.message(),
            "MountVolume.SetUp failed for volume \"h\" : hostPath type check "
            "failed: /nonexistent-berth is not a directory");
}

TEST_F(VolumeManagerTest, OptionalMissingSourceIsAnEmptyVolume) {
  JsonDoc pod =
      Pod(R"j([{"name":"x","configMap":{"name":"absent","optional":true}}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const std::string dir = Dir("kubernetes.io~configmap", "x");
  EXPECT_TRUE(fs::is_directory(dir));
  // Once it appears, a refresh publishes it.
  client_.Put("configmaps", "ns1",
              R"j({"metadata":{"name":"absent","namespace":"ns1"},
                  "data":{"k":"v"}})j");
  ASSERT_TRUE(manager_.Refresh(pod).ok());
  EXPECT_EQ(Read(dir + "/k"), "v");
}

TEST_F(VolumeManagerTest, DownwardApiAndProjected) {
  JsonDoc pod = Pod(R"j([
      {"name":"info","downwardAPI":{"items":[
        {"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},
        {"path":"name","fieldRef":{"fieldPath":"metadata.name"}},
        {"path":"mem","resourceFieldRef":{"containerName":"c",
           "resource":"limits.memory","divisor":"1Mi"}}]}},
      {"name":"all","projected":{"sources":[
        {"configMap":{"name":"app","items":[{"key":"other","path":"cm/other"}]}},
        {"secret":{"name":"creds"}},
        {"downwardAPI":{"items":[{"path":"ns","fieldRef":{"fieldPath":"metadata.namespace"}}]}},
        {"serviceAccountToken":{"path":"token"}}]}}])j");
  PodFacts facts;
  facts.node_name = "node-a";
  ASSERT_TRUE(manager_.Prepare(pod, facts).ok());
  const std::string info = Dir("kubernetes.io~downward-api", "info");
  EXPECT_EQ(Read(info + "/labels"), "app=\"web\"\ntier=\"front\"");
  EXPECT_EQ(Read(info + "/name"), "web");
  EXPECT_EQ(Read(info + "/mem"), "64");
  const std::string all = Dir("kubernetes.io~projected", "all");
  EXPECT_EQ(Read(all + "/cm/other"), "o");
  EXPECT_EQ(Read(all + "/password"), "secret");
  EXPECT_EQ(Read(all + "/ns"), "ns1");
  EXPECT_EQ(Read(all + "/token"), "tok-1");

  // A label change shows after Refresh.
  JsonDoc relabeled = Pod(R"j([
      {"name":"info","downwardAPI":{"items":[
        {"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}}])j");
  relabeled["metadata"]["labels"]["tier"].SetString("back");
  ASSERT_TRUE(manager_.Refresh(relabeled, facts).ok());
  EXPECT_EQ(Read(info + "/labels"), "app=\"web\"\ntier=\"back\"");
}

// As the kubelet: a token bound to the pod for its ServiceAccount, with the
// source's audience and lifetime, kept until 80% of its lifetime has passed
// and then replaced.
TEST_F(VolumeManagerTest, ServiceAccountTokenIsBoundAndRefreshed) {
  auto now = std::chrono::system_clock::time_point(std::chrono::hours(1000));
  VolumeManager::Options options;
  options.mount_memory_volumes = false;
  options.now = [&now] { return now; };
  VolumeManager manager(client_, root_, options);
  JsonDoc pod = Pod(R"j([{"name":"kube-api-access-abcde","projected":{
      "defaultMode":420,"sources":[
        {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
        {"serviceAccountToken":{"audience":"vault","expirationSeconds":600,
                                "path":"vault-token"}}]}}])j");
  SetString(pod["spec"], "serviceAccountName", "builder", pod.GetAllocator());
  ASSERT_TRUE(manager.Prepare(pod).ok());
  const std::string dir =
      Dir("kubernetes.io~projected", "kube-api-access-abcde");
  EXPECT_EQ(Read(dir + "/token"), "tok-1");
  EXPECT_EQ(Read(dir + "/vault-token"), "tok-2");
  struct stat st;
  ASSERT_EQ(stat((dir + "/token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  ASSERT_EQ(client_.requests.size(), 2u);
  EXPECT_EQ(client_.requests[0],
            R"(ns1/builder {"apiVersion":"authentication.k8s.io/v1",)"
            R"("kind":"TokenRequest","spec":{"audiences":[],)"
            R"("expirationSeconds":3607,"boundObjectRef":{"apiVersion":"v1",)"
            R"("kind":"Pod","name":"web","uid":"u-1"}}})");
  EXPECT_NE(client_.requests[1].find(R"("audiences":["vault"])"),
            std::string::npos);

  // Before 80% of a lifetime, the tokens held are written again.
  now += std::chrono::seconds(470);  // 78% of 600 s
  ASSERT_TRUE(manager.Refresh(pod).ok());
  EXPECT_EQ(client_.requests.size(), 2u);
  // Past it, the short one is replaced, the long one kept.
  now += std::chrono::seconds(20);  // 82% of 600 s
  ASSERT_TRUE(manager.Refresh(pod).ok());
  EXPECT_EQ(Read(dir + "/token"), "tok-1");
  EXPECT_EQ(Read(dir + "/vault-token"), "tok-3");
  now += std::chrono::seconds(2400);  // the 3607 s one is past 80%
  ASSERT_TRUE(manager.Refresh(pod).ok());
  EXPECT_EQ(Read(dir + "/token"), "tok-4");

  // A refused request is the kubelet's FailedMount message.
  client_.refuse = true;
  now += std::chrono::hours(24);
  Status s = manager.Refresh(pod);
  EXPECT_EQ(s.message(),
            "MountVolume.SetUp failed for volume \"kube-api-access-abcde\" : "
            "failed to fetch token: serviceaccounts \"builder\" not found");
  manager.Cleanup("u-1");
}

// A cluster without a token issuer: the token is left out, the rest of the
// volume written and the pod not held up.
TEST_F(VolumeManagerTest, NoTokenRequestApiLeavesTheTokenOut) {
  client_.unserved = true;
  JsonDoc pod = Pod(R"j([{"name":"access","projected":{"sources":[
        {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
        {"downwardAPI":{"items":[{"path":"namespace",
          "fieldRef":{"fieldPath":"metadata.namespace"}}]}}]}}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const std::string dir = Dir("kubernetes.io~projected", "access");
  EXPECT_EQ(Read(dir + "/namespace"), "ns1");
  EXPECT_FALSE(fs::exists(dir + "/token"));
}

TEST_F(VolumeManagerTest, MountsForContainer) {
  testing::TempDir host;
  JsonDoc pod = Pod(
      R"j([{"name":"data","emptyDir":{}},
           {"name":"cfg","configMap":{"name":"app"}},
           {"name":"host","hostPath":{"path":")j" +
          host.path() + R"j(","type":"Directory"}}])j",
      R"j([{"name":"data","mountPath":"/data"},
           {"name":"data","mountPath":"/logs","subPath":"logs/app",
            "mountPropagation":"HostToContainer"},
           {"name":"cfg","mountPath":"/etc/app"},
           {"name":"host","mountPath":"/host","readOnly":true,
            "mountPropagation":"Bidirectional"}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const std::string data = Dir("kubernetes.io~empty-dir", "data");
  EXPECT_EQ(fs::status(data).permissions() & fs::perms::all, fs::perms::all);
  auto mounts = manager_.MountsFor(pod, pod["spec"]["containers"][0]);
  ASSERT_TRUE(mounts.ok()) << mounts.status().ToString();
  ASSERT_EQ(mounts->size(), 4u);
  EXPECT_EQ((*mounts)[0].host_path, data);
  EXPECT_EQ((*mounts)[0].container_path, "/data");
  EXPECT_FALSE((*mounts)[0].read_only);
  EXPECT_EQ((*mounts)[0].propagation, "None");
  EXPECT_EQ((*mounts)[1].host_path, data + "/logs/app");
  EXPECT_TRUE(fs::is_directory(data + "/logs/app")) << "subPath created";
  EXPECT_EQ((*mounts)[1].propagation, "HostToContainer");
  EXPECT_EQ((*mounts)[2].host_path, Dir("kubernetes.io~configmap", "cfg"));
  EXPECT_TRUE((*mounts)[2].read_only) << "API data volumes are read-only";
  EXPECT_EQ((*mounts)[3].host_path, host.path());
  EXPECT_TRUE((*mounts)[3].read_only);
  EXPECT_EQ((*mounts)[3].propagation, "Bidirectional");
}

TEST_F(VolumeManagerTest, MountsForRejectsBadReferences) {
  JsonDoc missing = Pod(R"j([])j", R"j([{"name":"nope","mountPath":"/x"}])j");
  auto m = manager_.MountsFor(missing, missing["spec"]["containers"][0]);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            "cannot find volume \"nope\" to mount into container \"c\"");
  JsonDoc escape =
      Pod(R"j([{"name":"d","emptyDir":{}}])j",
          R"j([{"name":"d","mountPath":"/x","subPath":"../../etc"}])j");
  ASSERT_TRUE(manager_.Prepare(escape).ok());
  EXPECT_FALSE(
      manager_.MountsFor(escape, escape["spec"]["containers"][0]).ok());
}

TEST_F(VolumeManagerTest, SubPathExprExpandsTheContainerEnv) {
  JsonDoc pod = Pod(R"j([{"name":"d","emptyDir":{}}])j",
                    R"j([{"name":"d","mountPath":"/out",
                          "subPathExpr":"pods/$(POD_NAME)"}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const Json& c = pod["spec"]["containers"][0];
  auto mounts = manager_.MountsFor(pod, c, {{"POD_NAME", "web-0"}});
  ASSERT_TRUE(mounts.ok()) << mounts.status().ToString();
  EXPECT_EQ((*mounts)[0].host_path,
            Dir("kubernetes.io~empty-dir", "d") + "/pods/web-0");
  auto missing = manager_.MountsFor(pod, c, {{"POD_NAME", ""}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "missing value for POD_NAME");
}

TEST_F(VolumeManagerTest, ClaimsMountTheirBoundHostPathVolume) {
  testing::TempDir disk;
  client_.Put("persistentvolumes", "",
              R"j({"metadata":{"name":"pv1"},"spec":{"hostPath":{"path":")j" +
                  disk.path() + R"j("}}})j");
  client_.Put("persistentvolumeclaims", "ns1",
              R"j({"metadata":{"name":"data","namespace":"ns1"},
                  "spec":{"volumeName":"pv1"},"status":{"phase":"Bound"}})j");
  client_.Put("persistentvolumeclaims", "ns1",
              R"j({"metadata":{"name":"waiting","namespace":"ns1"},
                  "spec":{},"status":{"phase":"Pending"}})j");
  JsonDoc pod = Pod(
      R"j([{"name":"d","persistentVolumeClaim":{"claimName":"data",
            "readOnly":true}}])j",
      R"j([{"name":"d","mountPath":"/data"}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  auto mounts = manager_.MountsFor(pod, pod["spec"]["containers"][0]);
  ASSERT_TRUE(mounts.ok()) << mounts.status().ToString();
  EXPECT_EQ((*mounts)[0].host_path, disk.path());
  EXPECT_TRUE((*mounts)[0].read_only);

  Status pending = manager_.Prepare(Pod(
      R"j([{"name":"w","persistentVolumeClaim":{"claimName":"waiting"}}])j"));
  EXPECT_EQ(pending.message(),
            "MountVolume.SetUp failed for volume \"w\" : PVC ns1/waiting has "
            "non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName "
            "(\"\")");
  Status missing = manager_.Prepare(
      Pod(R"j([{"name":"m","persistentVolumeClaim":{"claimName":"nope"}}])j"));
  EXPECT_EQ(missing.message(),
            "MountVolume.SetUp failed for volume \"m\" : "
            "persistentvolumeclaim \"nope\" not found");
}

TEST_F(VolumeManagerTest, CleanupRemovesEverything) {
  JsonDoc pod = Pod(R"j([{"name":"d","emptyDir":{}},
                         {"name":"s","secret":{"secretName":"creds"}}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  std::ofstream(Dir("kubernetes.io~empty-dir", "d") + "/f") << "data";
  ASSERT_TRUE(manager_.Cleanup("u-1").ok());
  EXPECT_FALSE(fs::exists(root_ + "/u-1"));
  EXPECT_TRUE(manager_.Cleanup("u-1").ok()) << "idempotent";
  EXPECT_FALSE(manager_.Cleanup("../x").ok());
}

TEST_F(VolumeManagerTest, MemoryEmptyDirIsOneTmpfsForThePod) {
  JsonDoc pod = Pod(
      R"j([{"name":"mem","emptyDir":{"medium":"Memory","sizeLimit":"16Mi"}}])j",
      R"j([{"name":"mem","mountPath":"/cache"}])j");
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  const std::string dir = Dir("kubernetes.io~empty-dir", "mem");
  auto mounts = manager_.MountsFor(pod, pod["spec"]["containers"][0]);
  ASSERT_TRUE(mounts.ok());
  ASSERT_EQ(mounts->size(), 1u);
  if (geteuid() != 0) {
    // Without root each container gets a tmpfs of its own.
    EXPECT_TRUE((*mounts)[0].tmpfs);
    EXPECT_EQ((*mounts)[0].tmpfs_size_bytes, 16u * 1024 * 1024);
    GTEST_SKIP() << "mounting tmpfs needs root";
  }
  struct statfs sfs;
  ASSERT_EQ(statfs(dir.c_str(), &sfs), 0);
  EXPECT_EQ(sfs.f_type, kTmpfsMagic);
  EXPECT_EQ(static_cast<uint64_t>(sfs.f_blocks) * sfs.f_bsize,
            16u * 1024 * 1024);
  EXPECT_FALSE((*mounts)[0].tmpfs) << "a bind of the shared tmpfs";
  EXPECT_EQ((*mounts)[0].host_path, dir);
  // Prepare again does not stack a second mount.
  ASSERT_TRUE(manager_.Prepare(pod).ok());
  ASSERT_TRUE(manager_.Cleanup("u-1").ok());
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace berth::node
