// End-to-end: the real kubectl against a real `berth server` with the
// storage plugin — the course's squash-postgres.yaml and
// workshop-storage.yaml apply unchanged and their claims bind or wait, claims
// match volumes by class and size or stay Pending, a deleted claim leaves
// its volume Released, bad input is refused with Kubernetes' messages, and
// `kubectl get` shows kubectl's columns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/kubectl.h"
#include "tests/support/kubectl_suite.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

class StorageTest : public KubectlSuite {
 protected:
  // Waits (kubectl wait, 30 s at most) until `object`'s status.phase is
  // `phase`.
  static CommandResult WaitPhase(const std::string& object,
                                 const std::string& phase) {
    return Kubectl("wait --for=jsonpath={.status.phase}=" + phase + " " +
                   object + " --timeout=30s");
  }
  static std::string Phase(const std::string& object) {
    return Kubectl("get " + object + " -o jsonpath={.status.phase}").out;
  }
};

// The documents of `file` whose kind is one of `kinds`, as one YAML stream.
std::string DocumentsOfKind(const std::string& file,
                            const std::vector<std::string>& kinds) {
  std::ifstream in(file);
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("\n---", start);
    std::string doc = text.substr(
        start, end == std::string::npos ? std::string::npos : end - start);
    for (const auto& kind : kinds) {
      if (doc.find("kind: " + kind + "\n") != std::string::npos) {
        out += "---\n" + doc + "\n";
      }
    }
    if (end == std::string::npos) break;
    start = end + 4;
  }
  return out;
}

TEST_F(StorageTest, DefaultStorageClassIsShownAsDefault) {
  auto sc = Kubectl("get sc");
  EXPECT_OK(sc);
  EXPECT_NE(sc.out.find("NAME                 PROVISIONER                    "
                        "RECLAIMPOLICY   VOLUMEBINDINGMODE   "
                        "ALLOWVOLUMEEXPANSION   AGE"),
            std::string::npos)
      << sc.out;
  EXPECT_NE(sc.out.find("standard (default)   kubernetes.io/no-provisioner   "
                        "Delete          Immediate           false"),
            std::string::npos)
      << sc.out;
  auto explain = Kubectl("explain pvc.spec");
  EXPECT_OK(explain);
  EXPECT_NE(explain.out.find("volumeName"), std::string::npos) << explain.out;
}

TEST_F(StorageTest, SquashPostgresVolumeAndClaimBindByVolumeName) {
  // The whole file, unchanged: with its apps/v1beta2 Deployment using the
  // claim.
  const std::string file = ExamplesDir() + "/squash-postgres.yaml";
  auto applied = Kubectl("apply -f " + file);
  EXPECT_OK(applied);
  EXPECT_NE(applied.out.find("persistentvolume/postgres-pv created"),
            std::string::npos)
      << applied.out;
  EXPECT_OK(WaitPhase("pvc/postgres-pvc", "Bound"));
  EXPECT_OK(WaitPhase("pv/postgres-pv", "Bound"));
  auto get = Kubectl("get pv,pvc");
  EXPECT_OK(get);
  EXPECT_NE(get.out.find("NAME                           CAPACITY   ACCESS "
                         "MODES   RECLAIM POLICY   STATUS   CLAIM            "
                         "      STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON "
                         "  AGE"),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("persistentvolume/postgres-pv   2Gi        RWX      "
                         "      Retain           Bound    "
                         "default/postgres-pvc   standard       <unset>"),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("NAME                                 STATUS   "
                         "VOLUME        CAPACITY   ACCESS MODES   "
                         "STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE"),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("persistentvolumeclaim/postgres-pvc   Bound    "
                         "postgres-pv   2Gi        RWX            standard  "
                         "     <unset>"),
            std::string::npos)
      << get.out;
  auto wide = Kubectl("get pvc postgres-pvc -o wide");
  EXPECT_OK(wide);
  EXPECT_NE(wide.out.find("VOLUMEMODE"), std::string::npos) << wide.out;
  EXPECT_NE(wide.out.find("Filesystem"), std::string::npos) << wide.out;
  // Applying again changes nothing.
  auto again = Kubectl("apply -f " + file);
  EXPECT_OK(again);
  EXPECT_EQ(again.out.find("configured"), std::string::npos) << again.out;
  // The Deployment's pod is the claim's user.
  std::string described;
  for (int i = 0; i < 100; ++i) {
    described = Kubectl("describe pvc postgres-pvc").out;
    if (described.find("Used By:       postgres-") != std::string::npos) break;
    usleep(100 * 1000);
  }
  EXPECT_NE(described.find("Used By:       postgres-"), std::string::npos)
      << described;
  EXPECT_EQ(Kubectl("get pvc postgres-pvc -o 'jsonpath={.metadata.annotations."
                    "pv\\.kubernetes\\.io/bind-completed}'")
                .out,
            "yes");
}

TEST_F(StorageTest, ClaimsMatchByClassAndSizeOrStayPending) {
  auto applied = Kubectl("apply -f -", R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: kubernetes.io/no-provisioner
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: fast-1g}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  hostPath: {path: /tmp/fast-1g}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: fast-5g}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  hostPath: {path: /tmp/fast-5g}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: fast-10g}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  hostPath: {path: /tmp/fast-10g}
)");
  EXPECT_OK(applied);
  for (const char* pv : {"pv/fast-1g", "pv/fast-5g", "pv/fast-10g"}) {
    EXPECT_OK(WaitPhase(pv, "Available"));
  }
  auto claims = Kubectl("apply -f -", R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: three-gigs, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  resources: {requests: {storage: 3Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: too-big, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  resources: {requests: {storage: 50Gi}}
)");
  EXPECT_OK(claims);
  EXPECT_OK(WaitPhase("pvc/three-gigs", "Bound"));
  EXPECT_EQ(Kubectl("get pvc three-gigs -o jsonpath={.spec.volumeName}").out,
            "fast-5g");
  EXPECT_EQ(Phase("pv/fast-5g"), "Bound");
  EXPECT_EQ(Phase("pv/fast-1g"), "Available");
  EXPECT_EQ(Phase("pvc/too-big"), "Pending");
  auto get = Kubectl("get pvc too-big");
  EXPECT_OK(get);
  EXPECT_NE(get.out.find("too-big   Pending                                   "
                         "   fast           <unset>"),
            std::string::npos)
      << get.out;

  // The claim says why it waits, as kube-controller-manager does.
  std::string described;
  for (int i = 0; i < 50; ++i) {
    described = Kubectl("describe pvc too-big").out;
    if (described.find("ProvisioningFailed") != std::string::npos) break;
    usleep(100 * 1000);
  }
  EXPECT_NE(described.find("Warning  ProvisioningFailed"), std::string::npos)
      << described;
  EXPECT_NE(described.find("persistentvolume-controller  no volume plugin "
                           "matched name: kubernetes.io/no-provisioner"),
            std::string::npos)
      << described;

  // Deleting the bound claim leaves the Retain volume Released.
  EXPECT_OK(Kubectl("delete pvc three-gigs"));
  EXPECT_OK(WaitPhase("pv/fast-5g", "Released"));
  auto pv = Kubectl("get pv fast-5g");
  EXPECT_OK(pv);
  EXPECT_NE(pv.out.find("Released   default/three-gigs   fast"),
            std::string::npos)
      << pv.out;
  // Freeing it by hand, as an administrator does, makes it Available.
  EXPECT_OK(
      Kubectl("patch pv fast-5g --type json -p "
              "'[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]'"));
  EXPECT_OK(WaitPhase("pv/fast-5g", "Available"));
}

TEST_F(StorageTest, ClaimInUseByAPodStaysTerminatingUntilThePodGoes) {
  EXPECT_OK(Kubectl("apply -f -", R"(
apiVersion: v1
kind: PersistentVolume
metadata: {name: guarded}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: standard
  hostPath: {path: /tmp/guarded}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: guarded, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  volumeName: guarded
---
apiVersion: v1
kind: Pod
metadata: {name: guarded-user, namespace: default}
spec:
  containers: [{name: c, image: busybox}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: guarded}}]
)"));
  EXPECT_OK(WaitPhase("pvc/guarded", "Bound"));
  EXPECT_EQ(Kubectl("get pvc guarded -o jsonpath={.metadata.finalizers}").out,
            R"(["kubernetes.io/pvc-protection"])");
  EXPECT_OK(Kubectl("delete pvc guarded --wait=false"));
  auto get = Kubectl("get pvc guarded");
  EXPECT_OK(get);
  EXPECT_NE(get.out.find("guarded   Terminating   guarded"), std::string::npos)
      << get.out;
  // A bound volume is protected the same way.
  EXPECT_OK(Kubectl("delete pv guarded --wait=false"));
  EXPECT_NE(Kubectl("get pv guarded").out.find("Terminating"),
            std::string::npos);
  EXPECT_OK(Kubectl("delete pod guarded-user --grace-period=0 --force"));
  EXPECT_OK(Kubectl("wait --for=delete pvc/guarded --timeout=30s"));
  EXPECT_OK(Kubectl("wait --for=delete pv/guarded --timeout=30s"));
}

TEST_F(StorageTest, BadInputIsRefusedWithKubernetesMessages) {
  auto pvc = Kubectl("apply -f -", R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: bad-claim, namespace: default}
spec:
  accessModes: [ReadWriteSometimes]
  resources: {requests: {storage: "0"}}
)");
  EXPECT_NE(pvc.exit_code, 0);
  EXPECT_NE(pvc.err.find("The PersistentVolumeClaim \"bad-claim\" is invalid"),
            std::string::npos)
      << pvc.err;
  EXPECT_NE(pvc.err.find("spec.accessModes: Unsupported value: "
                         "\"ReadWriteSometimes\": supported values: "
                         "\"ReadOnlyMany\", \"ReadWriteMany\", "
                         "\"ReadWriteOnce\", \"ReadWriteOncePod\""),
            std::string::npos)
      << pvc.err;
  EXPECT_NE(pvc.err.find("spec.resources[storage]: Invalid value: \"0\": "
                         "must be greater than zero"),
            std::string::npos)
      << pvc.err;

  auto pv = Kubectl("create -f - -v=6", R"(
apiVersion: v1
kind: PersistentVolume
metadata: {name: bad-volume}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /a}
  nfs: {server: nfs.example, path: /b}
)");
  EXPECT_NE(pv.exit_code, 0);
  EXPECT_NE(pv.err.find("persistentvolumes?fieldManager=kubectl-create&"
                        "fieldValidation=Strict 422"),
            std::string::npos)
      << pv.err;
  EXPECT_NE(pv.err.find("spec.nfs: Forbidden: may not specify more than 1 "
                        "volume type"),
            std::string::npos)
      << pv.err;

  // A claim's spec may not change once created.
  EXPECT_OK(Kubectl("apply -f -", R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fixed, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
)"));
  auto changed = Kubectl(
      "patch pvc fixed --type merge -p "
      "'{\"spec\":{\"accessModes\":[\"ReadWriteMany\"]}}'");
  EXPECT_NE(changed.exit_code, 0);
  EXPECT_NE(changed.err.find("spec: Forbidden: spec is immutable after "
                             "creation"),
            std::string::npos)
      << changed.err;
  // Without a class it got the default one.
  EXPECT_EQ(Kubectl("get pvc fixed -o jsonpath={.spec.storageClassName}").out,
            "standard");
}

// Last: it adds a second, newer default class.
TEST_F(StorageTest, WorkshopStorageAppliesWithItsV1beta1StorageClass) {
  const std::string file = ExamplesDir() + "/workshop-storage.yaml";
  // The StatefulSet is the workloads plugin's; without it, the rest.
  const bool statefulsets = Kubectl("api-resources --api-group=apps -o name")
                                .out.find("statefulsets") != std::string::npos;
  const std::string docs =
      statefulsets ? ""
                   : DocumentsOfKind(file, {"StorageClass",
                                            "PersistentVolumeClaim", "Pod"});
  auto applied =
      statefulsets ? Kubectl("apply -f " + file) : Kubectl("apply -f -", docs);
  EXPECT_OK(applied);
  EXPECT_NE(applied.out.find(
                "storageclass.storage.k8s.io/portworx-replicated created"),
            std::string::npos)
      << applied.out;
  auto again =
      statefulsets ? Kubectl("apply -f " + file) : Kubectl("apply -f -", docs);
  EXPECT_OK(again);
  // The storage objects are unchanged (the StatefulSet is the workloads
  // plugin's to judge).
  EXPECT_NE(again.out.find(
                "storageclass.storage.k8s.io/portworx-replicated unchanged"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("persistentvolumeclaim/my-claim unchanged"),
            std::string::npos)
      << again.out;
  // Served in both versions; the newest default class is the claim's.
  EXPECT_OK(
      Kubectl("get storageclasses.v1beta1.storage.k8s.io "
              "portworx-replicated"));
  auto sc = Kubectl("get sc");
  EXPECT_NE(sc.out.find("portworx-replicated (default)   "
                        "kubernetes.io/portworx-volume   Delete          "
                        "Immediate"),
            std::string::npos)
      << sc.out;
  EXPECT_EQ(
      Kubectl("get pvc my-claim -o jsonpath={.spec.storageClassName}").out,
      "portworx-replicated");
  // No provisioner for it here: the claim waits and says why.
  std::string described;
  for (int i = 0; i < 50; ++i) {
    described = Kubectl("describe pvc my-claim").out;
    if (described.find("ProvisioningFailed") != std::string::npos) break;
    usleep(100 * 1000);
  }
  EXPECT_NE(described.find("no volume plugin matched name: "
                           "kubernetes.io/portworx-volume"),
            std::string::npos)
      << described;
  EXPECT_EQ(Phase("pvc/my-claim"), "Pending");
  if (statefulsets) {
    // The StatefulSet's claim from its volumeClaimTemplates is defaulted
    // the same way.
    std::string cls;
    for (int i = 0; i < 100 && cls.empty(); ++i) {
      cls = Kubectl(
                "get pvc postgres-postgres-0 -o "
                "jsonpath={.spec.storageClassName}")
                .out;
      if (cls.empty()) usleep(100 * 1000);
    }
    EXPECT_EQ(cls, "portworx-replicated");
  }
  EXPECT_OK(Kubectl("delete sc portworx-replicated"));
}

}  // namespace
}  // namespace berth::testing
