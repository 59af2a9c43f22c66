// The static binder against an in-memory API: what a claim and a volume
// look like after each reconcile.
#include "volume_binder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_client.h"

namespace berth::storage {
namespace {

using ::testing::ElementsAre;

std::string Volume(const std::string& name, const std::string& size,
                   const std::string& cls, const std::string& policy = "Retain",
                   const std::string& phase = "Pending") {
  return R"({"metadata":{"name":")" + name +
         R"(","resourceVersion":"1"},"spec":{"capacity":{"storage":")" + size +
         R"("},"accessModes":["ReadWriteOnce"],"storageClassName":")" + cls +
         R"(","persistentVolumeReclaimPolicy":")" + policy +
         R"(","volumeMode":"Filesystem","hostPath":{"path":"/d"}},)"
         R"("status":{"phase":")" +
         phase + R"("}})";
}

std::string Claim(const std::string& name, const std::string& size,
                  const std::string& cls, const std::string& extra = "",
                  const std::string& annotations = "{}") {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"ns","uid":"uid-)" + name + R"(","annotations":)" +
         annotations +
         R"(},"spec":{"accessModes":["ReadWriteOnce"],)"
         R"("resources":{"requests":{"storage":")" +
         size + R"("}},"storageClassName":")" + cls +
         R"(","volumeMode":"Filesystem")" + extra +
         R"(},"status":{"phase":"Pending"}})";
}

class VolumeBinderTest : public ::testing::Test {
 protected:
  void AddVolume(const std::string& json) {
    auto d = ParseJson(json);
    client_
        .objects["persistentvolumes//" + GetString(*d, {"metadata", "name"})] =
        json;
  }
  void AddClaim(const std::string& json) {
    auto d = ParseJson(json);
    client_.objects["persistentvolumeclaims/ns/" +
                    GetString(*d, {"metadata", "name"})] = json;
  }
  JsonDoc Get(const std::string& key) {
    auto d = ParseJson(client_.objects.at(key));
    EXPECT_TRUE(d.ok());
    return std::move(d).value();
  }
  JsonDoc Pv(const std::string& name) {
    return Get("persistentvolumes//" + name);
  }
  JsonDoc Pvc(const std::string& name) {
    return Get("persistentvolumeclaims/ns/" + name);
  }
  std::chrono::milliseconds SyncClaim(const std::string& name) {
    auto r = binder_.SyncClaim("ns", name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->requeue_after : std::chrono::milliseconds(-1);
  }
  void SyncVolume(const std::string& name) {
    auto r = binder_.SyncVolume(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }
  void ExpectBound(const std::string& pv, const std::string& pvc,
                   const std::string& size) {
    JsonDoc v = Pv(pv);
    JsonDoc c = Pvc(pvc);
    EXPECT_EQ(GetString(v, {"status", "phase"}), "Bound");
    EXPECT_EQ(GetString(v, {"spec", "claimRef", "name"}), pvc);
    EXPECT_EQ(GetString(v, {"spec", "claimRef", "namespace"}), "ns");
    EXPECT_EQ(GetString(v, {"spec", "claimRef", "uid"}),
              GetString(c, {"metadata", "uid"}));
    EXPECT_EQ(GetString(c, {"spec", "volumeName"}), pv);
    EXPECT_EQ(GetString(c, {"status", "phase"}), "Bound");
    EXPECT_EQ(GetString(c, {"status", "capacity", "storage"}), size);
    EXPECT_EQ(GetString(c, {"status", "accessModes"}), "");
    EXPECT_EQ(ToJson(*Find(c, {"status", "accessModes"})),
              R"(["ReadWriteOnce"])");
    EXPECT_EQ(GetString(c, {"metadata", "annotations",
                            "pv.kubernetes.io/bind-completed"}),
              "yes");
  }

  FakeHost host_;
  FakeClient& client_ = host_.client_;
  VolumeBinder binder_{host_};
};

TEST_F(VolumeBinderTest, ClaimNamingAVolumeBindsToIt) {
  AddVolume(Volume("small", "1Gi", "standard"));
  AddVolume(Volume("named", "2Gi", "standard"));
  AddClaim(Claim("c", "1Gi", "standard", R"(,"volumeName":"named")"));
  EXPECT_EQ(SyncClaim("c").count(), 0);
  ExpectBound("named", "c", "2Gi");
  // The user wrote volumeName, so only the volume says bound-by-controller.
  EXPECT_EQ(GetString(Pv("named"), {"metadata", "annotations",
                                    "pv.kubernetes.io/bound-by-controller"}),
            "yes");
  EXPECT_EQ(GetString(Pvc("c"), {"metadata", "annotations",
                                 "pv.kubernetes.io/bound-by-controller"}),
            "");
  // Reconciling again writes nothing.
  const size_t writes = client_.writes.size();
  SyncClaim("c");
  SyncVolume("named");
  EXPECT_EQ(client_.writes.size(), writes);
}

TEST_F(VolumeBinderTest, IncompatibleNamedVolumeLeavesClaimPending) {
  AddVolume(Volume("named", "1Gi", "standard"));
  AddClaim(Claim("c", "5Gi", "standard", R"(,"volumeName":"named")"));
  EXPECT_GT(SyncClaim("c").count(), 0);
  EXPECT_EQ(GetString(Pvc("c"), {"status", "phase"}), "Pending");
  EXPECT_FALSE(Find(Pv("named"), {"spec", "claimRef"}));
  EXPECT_THAT(host_.events,
              ElementsAre("Warning VolumeMismatch ns/c: Cannot bind to "
                          "requested volume \"named\": requested PV is too "
                          "small"));
}

TEST_F(VolumeBinderTest, ClaimGetsSmallestMatchAndWaitsWhenNone) {
  AddClaim(Claim("c", "3Gi", "fast"));
  EXPECT_GT(SyncClaim("c").count(), 0);
  EXPECT_EQ(GetString(Pvc("c"), {"status", "phase"}), "Pending");
  EXPECT_THAT(host_.events,
              ElementsAre("Warning ProvisioningFailed ns/c: "
                          "storageclass.storage.k8s.io \"fast\" not found"));
  // Volumes are Available once the binder has seen them; the last one
  // seen offers itself to the waiting claim.
  AddVolume(Volume("too-small", "1Gi", "fast"));
  AddVolume(Volume("wrong-class", "3Gi", "slow"));
  AddVolume(Volume("ten", "10Gi", "fast"));
  AddVolume(Volume("four", "4Gi", "fast"));
  for (const char* v : {"too-small", "wrong-class", "ten"}) SyncVolume(v);
  // "four" is not Available yet: "ten" is the only candidate seen so far.
  ExpectBound("ten", "c", "10Gi");
  EXPECT_EQ(GetString(Pvc("c"), {"metadata", "annotations",
                                 "pv.kubernetes.io/bound-by-controller"}),
            "yes");
  SyncVolume("four");
  EXPECT_EQ(GetString(Pv("four"), {"status", "phase"}), "Available");
  AddClaim(Claim("d", "2Gi", "fast"));
  SyncClaim("d");
  ExpectBound("four", "d", "4Gi");
}

TEST_F(VolumeBinderTest, DeletedClaimReleasesRetainAndFailsDelete) {
  AddVolume(Volume("keep", "1Gi", "fast", "Retain"));
  AddVolume(Volume("drop", "1Gi", "slow", "Delete"));
  AddClaim(Claim("a", "1Gi", "fast", R"(,"volumeName":"keep")"));
  AddClaim(Claim("b", "1Gi", "slow", R"(,"volumeName":"drop")"));
  SyncClaim("a");
  SyncClaim("b");
  ExpectBound("keep", "a", "1Gi");
  client_.objects.erase("persistentvolumeclaims/ns/a");
  client_.objects.erase("persistentvolumeclaims/ns/b");
  SyncClaim("a");
  SyncClaim("b");
  EXPECT_EQ(GetString(Pv("keep"), {"status", "phase"}), "Released");
  EXPECT_EQ(GetString(Pv("keep"), {"spec", "claimRef", "name"}), "a");
  EXPECT_EQ(GetString(Pv("drop"), {"status", "phase"}), "Failed");
  EXPECT_THAT(host_.events,
              ElementsAre("Warning VolumeFailedDelete /drop: error getting "
                          "deleter volume plugin for volume \"drop\": no "
                          "deletable volume plugin matched"));
  // A new claim of the same name does not get the released volume back.
  std::string again = Claim("a", "1Gi", "fast");
  again.replace(again.find("uid-a"), 5, "uid-a2");
  AddClaim(again);
  SyncClaim("a");
  EXPECT_EQ(GetString(Pvc("a"), {"status", "phase"}), "Pending");
  // Removing the claimRef by hand makes the volume Available and it binds.
  JsonDoc pv = Pv("keep");
  pv["spec"].RemoveMember("claimRef");
  client_.objects["persistentvolumes//keep"] = ToJson(pv);
  SyncVolume("keep");
  ExpectBound("keep", "a", "1Gi");
}

TEST_F(VolumeBinderTest, WaitForFirstConsumerWaitsForSelectedNode) {
  client_.objects["storageclasses//local"] =
      R"({"metadata":{"name":"local"},"provisioner":"kubernetes.io/no-provisioner",)"
      R"("volumeBindingMode":"WaitForFirstConsumer"})";
  AddVolume(Volume("v", "1Gi", "local", "Retain", "Available"));
  AddClaim(Claim("c", "1Gi", "local"));
  EXPECT_EQ(SyncClaim("c"), VolumeBinder::kWaitingResync);
  EXPECT_EQ(GetString(Pvc("c"), {"status", "phase"}), "Pending");
  EXPECT_THAT(host_.events,
              ElementsAre("Normal WaitForFirstConsumer ns/c: waiting for "
                          "first consumer to be created before binding"));
  AddClaim(Claim("c", "1Gi", "local", "",
                 R"({"volume.kubernetes.io/selected-node":"node-1"})"));
  SyncClaim("c");
  ExpectBound("v", "c", "1Gi");
}

TEST_F(VolumeBinderTest, WaitForFirstConsumerBindsOnceAPodIsScheduled) {
  client_.objects["storageclasses//local"] =
      R"({"metadata":{"name":"local"},"provisioner":"kubernetes.io/no-provisioner",)"
      R"("volumeBindingMode":"WaitForFirstConsumer"})";
  // The smaller volume lives on node-2 only; the pod lands on node-1.
  std::string pinned =
      Volume("on-node-2", "1Gi", "local", "Retain", "Available");
  pinned.replace(pinned.find(R"("hostPath")"), 0,
                 R"("nodeAffinity":{"required":{"nodeSelectorTerms":[{)"
                 R"("matchExpressions":[{"key":"kubernetes.io/hostname",)"
                 R"("operator":"In","values":["node-2"]}]}]}},)");
  AddVolume(pinned);
  AddVolume(Volume("anywhere", "5Gi", "local", "Retain", "Available"));
  client_.objects["nodes//node-1"] =
      R"({"metadata":{"name":"node-1","labels":{"kubernetes.io/hostname":"node-1"}}})";
  AddClaim(Claim("data", "1Gi", "local"));
  const std::string pod =
      R"({"metadata":{"name":"db-0","namespace":"ns"},"spec":{)"
      R"("volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"data"}}],)"
      R"("containers":[{"name":"c","image":"i"}]}})";
  client_.objects["pods/ns/db-0"] = pod;
  // Not scheduled yet: the claim waits.
  EXPECT_EQ(SyncClaim("data"), VolumeBinder::kWaitingResync);
  JsonDoc scheduled = ParseJson(pod).value();
  SetString(scheduled["spec"], "nodeName", "node-1", scheduled.GetAllocator());
  client_.objects["pods/ns/db-0"] = ToJson(scheduled);
  EXPECT_EQ(SyncClaim("data").count(), 0);
  ExpectBound("anywhere", "data", "5Gi");
  EXPECT_EQ(GetString(Pvc("data"), {"metadata", "annotations",
                                    "volume.kubernetes.io/selected-node"}),
            "node-1");
}

TEST_F(VolumeBinderTest, DeletedClaimWaitsForItsPodThenReleasesVolume) {
  AddVolume(Volume("v", "1Gi", "fast"));
  AddClaim(Claim("c", "1Gi", "fast", R"(,"volumeName":"v")"));
  SyncClaim("c");
  // Deleted while a pod uses it: the finalizer holds it.
  JsonDoc pvc = Pvc("c");
  auto& a = pvc.GetAllocator();
  SetString(pvc["metadata"], "deletionTimestamp", "2024-03-01T12:00:00Z", a);
  Json finalizers(rapidjson::kArrayType);
  finalizers.PushBack(Json("kubernetes.io/pvc-protection", a), a);
  SetMember(pvc["metadata"], "finalizers", std::move(finalizers), a);
  client_.objects["persistentvolumeclaims/ns/c"] = ToJson(pvc);
  client_.objects["pods/ns/p"] =
      R"({"metadata":{"name":"p","namespace":"ns"},"spec":{"volumes":[)"
      R"({"name":"d","persistentVolumeClaim":{"claimName":"c"}}]},)"
      R"("status":{"phase":"Running"}})";
  EXPECT_EQ(SyncClaim("c"), VolumeBinder::kInUseRecheck);
  EXPECT_EQ(ToJson(*Find(Pvc("c"), {"metadata", "finalizers"})),
            R"(["kubernetes.io/pvc-protection"])");
  // Once the pod is gone the finalizer comes off (the API then deletes the
  // claim) and the volume is Released.
  client_.objects.erase("pods/ns/p");
  SyncClaim("c");
  EXPECT_EQ(ToJson(*Find(Pvc("c"), {"metadata", "finalizers"})), "[]");
  client_.objects.erase("persistentvolumeclaims/ns/c");
  SyncClaim("c");
  EXPECT_EQ(GetString(Pv("v"), {"status", "phase"}), "Released");
}

TEST_F(VolumeBinderTest, DeletedVolumeKeepsItsFinalizerWhileBound) {
  AddVolume(Volume("v", "1Gi", "fast"));
  AddClaim(Claim("c", "1Gi", "fast", R"(,"volumeName":"v")"));
  SyncClaim("c");
  JsonDoc pv = Pv("v");
  auto& a = pv.GetAllocator();
  SetString(pv["metadata"], "deletionTimestamp", "2024-03-01T12:00:00Z", a);
  Json finalizers(rapidjson::kArrayType);
  finalizers.PushBack(Json("kubernetes.io/pv-protection", a), a);
  SetMember(pv["metadata"], "finalizers", std::move(finalizers), a);
  client_.objects["persistentvolumes//v"] = ToJson(pv);
  SyncVolume("v");
  EXPECT_EQ(ToJson(*Find(Pv("v"), {"metadata", "finalizers"})),
            R"(["kubernetes.io/pv-protection"])");
  client_.objects.erase("persistentvolumeclaims/ns/c");
  SyncVolume("v");  // Released
  SyncVolume("v");  // and let go
  EXPECT_EQ(GetString(Pv("v"), {"status", "phase"}), "Released");
  EXPECT_EQ(ToJson(*Find(Pv("v"), {"metadata", "finalizers"})), "[]");
}

TEST_F(VolumeBinderTest, BoundClaimWhoseVolumeVanishedIsLost) {
  AddVolume(Volume("v", "1Gi", "fast"));
  AddClaim(Claim("c", "1Gi", "fast", R"(,"volumeName":"v")"));
  SyncClaim("c");
  client_.objects.erase("persistentvolumes//v");
  SyncClaim("c");
  EXPECT_EQ(GetString(Pvc("c"), {"status", "phase"}), "Lost");
  EXPECT_THAT(host_.events,
              ElementsAre("Warning ClaimLost ns/c: Bound claim has lost its "
                          "PersistentVolume. Data on the volume is lost!"));
}

}  // namespace
}  // namespace berth::storage
