// End-to-end: Deployments and ReplicaSets with the real kubectl against a
// real `berth server` running core, workloads, the scheduler and three sim
// nodes: the ReplicaSets' pods are bound by the scheduler and made Running
// and Ready by the sim's kubelets, so rollouts, minReadySeconds and
// self-healing are the whole control plane's. Waits poll with a generous
// deadline; nothing here measures speed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "berth/json.h"
#include "tests/support/api_client.h"
#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/sim_cluster_test.h"

namespace berth::testing {
namespace {

class WorkloadsE2eTest : public SimClusterTest {
 protected:
  std::string Field(const std::string& object, const std::string& path) {
    auto r = Kubectl("get " + object + " -o jsonpath='{" + path + "}'");
    EXPECT_OK(r);
    return r.out;
  }
  // Names of the pods in the namespace (kubectl get -o name), sorted.
  std::set<std::string> Pods(const std::string& selector = "") {
    auto r = Kubectl("get pods -o name" +
                     (selector.empty() ? "" : " -l " + selector));
    EXPECT_OK(r);
    std::set<std::string> out;
    size_t start = 0;
    while (start < r.out.size()) {
      size_t end = r.out.find('\n', start);
      if (end == std::string::npos) end = r.out.size();
      if (end > start) out.insert(r.out.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }
  void RolledOut(const std::string& deploy) {
    EXPECT_OK(Kubectl("rollout status deployment/" + deploy + " --timeout=90s",
                      "", 100));
  }
};

TEST_F(WorkloadsE2eTest, CreateDeploymentDefaultsColumnsAndDescribe) {
  auto created = Kubectl(
      "create deployment web --image=nginx:1.25 --replicas=2 --port=80");
  EXPECT_OK(created);
  EXPECT_EQ(created.out, "deployment.apps/web created\n");
  RolledOut("web");
  EXPECT_EQ(Field("deploy/web",
                  ".spec.strategy.type} {.spec.strategy.rollingUpdate."
                  "maxSurge} {.spec.strategy.rollingUpdate.maxUnavailable} "
                  "{.spec.revisionHistoryLimit} {.spec."
                  "progressDeadlineSeconds"),
            "RollingUpdate 25% 25% 10 600");
  EXPECT_EQ(Field("deploy/web",
                  ".metadata.annotations.deployment\\.kubernetes"
                  "\\.io/revision"),
            "1");

  auto get = Kubectl("get deploy,rs");
  EXPECT_OK(get);
  EXPECT_NE(get.out.find("NAME                  READY   UP-TO-DATE   "
                         "AVAILABLE   AGE\ndeployment.apps/web   2/2     2  "
                         "          2           "),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("DESIRED   CURRENT   READY   AGE"), std::string::npos)
      << get.out;
  const std::string hash =
      Field("rs", ".items[0].metadata.labels.pod-template-hash");
  EXPECT_FALSE(hash.empty());
  EXPECT_NE(get.out.find("replicaset.apps/web-" + hash +
                         "   2         2    "
                         "     2       "),
            std::string::npos)
      << get.out;
  auto wide = Kubectl("get deploy web -o wide");
  EXPECT_OK(wide);
  EXPECT_NE(wide.out.find("CONTAINERS   IMAGES       SELECTOR"),
            std::string::npos)
      << wide.out;
  EXPECT_NE(wide.out.find("nginx        nginx:1.25   app=web"),
            std::string::npos)
      << wide.out;
  auto rs_wide = Kubectl("get rs -o wide");
  EXPECT_NE(rs_wide.out.find("app=web,pod-template-hash=" + hash),
            std::string::npos)
      << rs_wide.out;

  // Every pod carries the template's labels and a controller reference.
  EXPECT_EQ(Field("pods", ".items[*].metadata.ownerReferences[0].name"),
            "web-" + hash + " web-" + hash);
  EXPECT_EQ(Field("pods", ".items[0].metadata.ownerReferences[0].controller"),
            "true");

  auto describe = Kubectl("describe deployment web");
  EXPECT_OK(describe);
  EXPECT_NE(describe.out.find("Replicas:               2 desired | 2 updated "
                              "| 2 total | 2 available | 0 unavailable"),
            std::string::npos)
      << describe.out;
  EXPECT_NE(describe.out.find("NewReplicaSet:   web-" + hash +
                              " (2/2 replicas created)"),
            std::string::npos)
      << describe.out;
  EXPECT_NE(
      describe.out.find("Available      True    MinimumReplicasAvailable"),
      std::string::npos)
      << describe.out;
  EXPECT_NE(describe.out.find("Progressing    True    NewReplicaSetAvailable"),
            std::string::npos)
      << describe.out;

  // The controllers' events, as kubectl describe lists them (the recorder
  // writes them in the background).
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("describe deployment web")
               .out.find("Normal  ScalingReplicaSet  ") != std::string::npos;
  }));
  describe = Kubectl("describe deployment web");
  EXPECT_NE(describe.out.find("deployment-controller  Scaled up replica set "
                              "web-" +
                              hash + " from 0 to 2"),
            std::string::npos)
      << describe.out;
  EXPECT_TRUE(Eventually([&] {
    auto rs = Kubectl("describe rs web-" + hash);
    return rs.out.find("replicaset-controller  Created pod: web-" + hash +
                       "-") != std::string::npos &&
           rs.out.find("Normal  SuccessfulCreate") != std::string::npos;
  }));
}

// The course's rolling update: 5 replicas, maxSurge 1, maxUnavailable 0,
// minReadySeconds 5. A sampler polls throughout `set image`.
TEST_F(WorkloadsE2eTest, SetImageRollsOutWithinSurgeAndAvailability) {
  const std::string path = ExamplesDir() + "/wiki-web-deploy.yaml";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  EXPECT_OK(Kubectl("apply -f " + path));
  RolledOut("web-deploy");
  EXPECT_EQ(Pods("app=web").size(), 5u);

  std::atomic<bool> stop{false};
  std::atomic<int> min_available{100}, min_ready{100}, max_pods{0}, samples{0};
  std::thread sampler([&] {
    ApiClient api(server_->url(), server_->data_dir());
    while (!stop) {
      auto d = ParseJson(api.Request("GET", "/apis/apps/v1/namespaces/" + ns_ +
                                                "/deployments/web-deploy")
                             .body);
      auto pods =
          ParseJson(api.Request("GET", "/api/v1/namespaces/" + ns_ +
                                           "/pods?labelSelector=app%3Dweb")
                        .body);
      if (d.ok() && pods.ok() && Member(*pods, "items")) {
        int ready = 0, count = 0;
        for (const auto& p : (*Member(*pods, "items")).GetArray()) {
          // maxSurge bounds the pods that are not terminating: one being
          // deleted may outlive its replacement's creation, as in Kubernetes.
          if (Find(p, {"metadata", "deletionTimestamp"})) continue;
          ++count;
          const Json* conds = Find(p, {"status", "conditions"});
          if (!conds || !conds->IsArray()) continue;
          for (const auto& c : conds->GetArray()) {
            if (GetString(c, {"type"}) == "Ready" &&
                GetString(c, {"status"}) == "True") {
              ++ready;
            }
          }
        }
        const int available =
            static_cast<int>(GetInt(*d, {"status", "availableReplicas"}));
        min_available = std::min<int>(min_available, available);
        min_ready = std::min<int>(min_ready, ready);
        max_pods = std::max<int>(max_pods, count);
        ++samples;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto set = Kubectl(
      "set image deployment/web-deploy "
      "hello-pod=nigelpoulton/getting-started-k8s:2.1");
  EXPECT_OK(set);
  EXPECT_EQ(set.out, "deployment.apps/web-deploy image updated\n");
  RolledOut("web-deploy");
  stop = true;
  sampler.join();
  EXPECT_GT(samples, 50);
  EXPECT_GE(min_available, 5);
  EXPECT_GE(min_ready, 5);
  EXPECT_LE(max_pods, 6);
  EXPECT_EQ(Pods("app=web").size(), 5u);

  auto history = Kubectl("rollout history deployment/web-deploy");
  EXPECT_OK(history);
  EXPECT_NE(history.out.find("REVISION  CHANGE-CAUSE\n1         <none>\n2    "
                             "     <none>\n"),
            std::string::npos)
      << history.out;

  // Undo to the first template: its ReplicaSet comes back as revision 3.
  const std::string first_rs =
      Field("rs",
            "range .items[?(@.metadata.annotations.deployment\\."
            "kubernetes\\.io/revision==\"1\")]}{.metadata.name}{end");
  ASSERT_FALSE(first_rs.empty());
  EXPECT_OK(Kubectl("rollout undo deployment/web-deploy --to-revision=1"));
  RolledOut("web-deploy");
  EXPECT_EQ(
      Field("deploy/web-deploy", ".spec.template.spec.containers[0].image"),
      "nigelpoulton/getting-started-k8s:2.0");
  EXPECT_EQ(Field("rs/" + first_rs,
                  ".spec.replicas} {.metadata.annotations.deployment\\."
                  "kubernetes\\.io/revision"),
            "5 3");
  EXPECT_EQ(Field("deploy/web-deploy",
                  ".metadata.annotations.deployment\\.kubernetes\\.io/"
                  "revision"),
            "3");
  EXPECT_EQ(
      Field("rs", ".items[*].metadata.name").find(' ') != std::string::npos,
      true);
  auto rs_count = Kubectl("get rs -o name");
  EXPECT_EQ(std::count(rs_count.out.begin(), rs_count.out.end(), '\n'), 2)
      << rs_count.out;
}

TEST_F(WorkloadsE2eTest, PauseResumeRestartAndScale) {
  EXPECT_OK(Kubectl("create deployment web --image=nginx:1.25 --replicas=2"));
  RolledOut("web");
  auto paused = Kubectl("rollout pause deployment/web");
  EXPECT_OK(paused);
  EXPECT_EQ(paused.out, "deployment.apps/web paused\n");
  EXPECT_OK(Kubectl("set image deployment/web nginx=nginx:1.27"));
  // Paused: the template change starts no rollout, but scaling works.
  auto scaled = Kubectl("scale deployment/web --replicas=3");
  EXPECT_OK(scaled);
  EXPECT_EQ(scaled.out, "deployment.apps/web scaled\n");
  EXPECT_TRUE(Eventually([&] { return Pods("app=web").size() == 3; }));
  EXPECT_EQ(Field("rs", ".items[*].spec.replicas"), "3");
  EXPECT_EQ(Field("deploy/web",
                  ".status.conditions[?(@.type==\"Progressing\")]"
                  ".reason"),
            "DeploymentPaused");

  EXPECT_OK(Kubectl("rollout resume deployment/web"));
  RolledOut("web");
  EXPECT_EQ(Field("pods", ".items[*].spec.containers[0].image"),
            "nginx:1.27 nginx:1.27 nginx:1.27");

  auto restart = Kubectl("rollout restart deployment/web");
  EXPECT_OK(restart);
  EXPECT_EQ(restart.out, "deployment.apps/web restarted\n");
  RolledOut("web");
  EXPECT_EQ(Field("deploy/web",
                  ".metadata.annotations.deployment\\.kubernetes"
                  "\\.io/revision"),
            "3");
  auto rs = Kubectl("get rs -o name");
  EXPECT_EQ(std::count(rs.out.begin(), rs.out.end(), '\n'), 3) << rs.out;

  EXPECT_OK(Kubectl("scale deployment/web --replicas=10"));
  RolledOut("web");
  EXPECT_EQ(Pods("app=web").size(), 10u);
  EXPECT_EQ(Field("deploy/web",
                  ".status.readyReplicas} {.status."
                  "availableReplicas} {.status.updatedReplicas"),
            "10 10 10");
}

TEST_F(WorkloadsE2eTest, DeletedOrRelabelledPodIsReplaced) {
  EXPECT_OK(Kubectl("create deployment web --image=nginx:1.25 --replicas=3"));
  RolledOut("web");
  const std::set<std::string> before = Pods("app=web");
  ASSERT_EQ(before.size(), 3u);
  const std::string victim = *before.begin();
  EXPECT_OK(Kubectl("delete " + victim));
  EXPECT_TRUE(Eventually([&] {
    auto now = Pods("app=web");
    return now.size() == 3 && !now.count(victim);
  }));
  RolledOut("web");

  // Relabelling a pod takes it out of its ReplicaSet: it is released (no
  // owner, so deleting the Deployment leaves it) and replaced.
  const std::string taken = *Pods("app=web").begin();
  EXPECT_OK(Kubectl("label " + taken + " app=debug --overwrite"));
  EXPECT_TRUE(Eventually([&] {
    return Pods("app=web").size() == 3 && !Pods("app=web").count(taken) &&
           Field(taken, ".metadata.ownerReferences").empty();
  }));
  EXPECT_OK(Kubectl("delete deployment web"));
  EXPECT_TRUE(Eventually([&] { return Pods("app=web").empty(); }));
  EXPECT_EQ(Pods("app=debug"), std::set<std::string>{taken});
}

TEST_F(WorkloadsE2eTest, DeleteCascadesUnlessOrphaned) {
  EXPECT_OK(Kubectl("create deployment web --image=nginx:1.25 --replicas=2"));
  EXPECT_OK(Kubectl("create deployment keep --image=nginx:1.25 --replicas=2"));
  RolledOut("web");
  RolledOut("keep");

  EXPECT_OK(Kubectl("delete deployment web"));
  EXPECT_TRUE(Eventually([&] {
    return Pods("app=web").empty() &&
           Kubectl("get rs -l app=web -o name").out.empty();
  }));

  EXPECT_OK(Kubectl("delete deployment keep --cascade=orphan"));
  // The garbage collector strips the owner reference; the pods stay.
  EXPECT_TRUE(Eventually([&] {
    return Field("rs -l app=keep", ".items[0].metadata.ownerReferences")
        .empty();
  }));
  EXPECT_EQ(Pods("app=keep").size(), 2u);
  auto rs = Kubectl("get rs -l app=keep -o name");
  EXPECT_EQ(std::count(rs.out.begin(), rs.out.end(), '\n'), 1) << rs.out;
}

TEST_F(WorkloadsE2eTest, ValidationMessagesAsKubernetes) {
  const std::string mismatched =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\n"
      "spec:\n  selector: {matchLabels: {app: web}}\n"
      "  template:\n    metadata: {labels: {app: other}}\n"
      "    spec: {containers: [{name: c, image: nginx}]}\n";
  auto r = Kubectl("apply -f -", mismatched);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec.template.metadata.labels: Invalid value: "
                       "map[string]string{\"app\":\"other\"}: `selector` does "
                       "not match template `labels`"),
            std::string::npos)
      << r.err;

  EXPECT_OK(Kubectl("create deployment web --image=nginx:1.25"));
  auto patched = Kubectl(
      "patch deployment web --type=merge -p "
      "'{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},"
      "\"template\":{\"metadata\":{\"labels\":{\"app\":\"x\"}}}}}'");
  EXPECT_NE(patched.exit_code, 0);
  EXPECT_NE(patched.err.find("spec.selector: Invalid value: "
                             "v1.LabelSelector{MatchLabels:map[string]string{"
                             "\"app\":\"x\"}, MatchExpressions:[]v1."
                             "LabelSelectorRequirement(nil)}: field is "
                             "immutable"),
            std::string::npos)
      << patched.err;
}

TEST_F(WorkloadsE2eTest, RecreateNeverMixesTemplatesAndHistoryIsLimited) {
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: apps/v1\nkind: Deployment\n"
                    "metadata: {name: db}\n"
                    "spec:\n  replicas: 3\n  revisionHistoryLimit: 1\n"
                    "  strategy: {type: Recreate}\n"
                    "  selector: {matchLabels: {app: db}}\n"
                    "  template:\n    metadata: {labels: {app: db}}\n"
                    "    spec: {containers: [{name: db, image: "
                    "postgres:15}]}\n"));
  RolledOut("db");
  std::atomic<bool> stop{false};
  std::atomic<int> mixed{0}, samples{0};
  std::thread sampler([&] {
    ApiClient api(server_->url(), server_->data_dir());
    while (!stop) {
      auto pods =
          ParseJson(api.Request("GET", "/api/v1/namespaces/" + ns_ +
                                           "/pods?labelSelector=app%3Ddb")
                        .body);
      if (pods.ok() && Member(*pods, "items")) {
        std::set<std::string> images;
        for (const auto& p : (*Member(*pods, "items")).GetArray()) {
          const Json* cs = Find(p, {"spec", "containers"});
          if (cs && cs->IsArray() && !cs->Empty()) {
            images.insert(GetString((*cs)[0], {"image"}));
          }
        }
        if (images.size() > 1) ++mixed;
        ++samples;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  EXPECT_OK(Kubectl("set image deployment/db db=postgres:16"));
  RolledOut("db");
  stop = true;
  sampler.join();
  EXPECT_GT(samples, 5);
  EXPECT_EQ(mixed, 0);
  EXPECT_EQ(Field("pods", ".items[*].spec.containers[0].image"),
            "postgres:16 postgres:16 postgres:16");

  // A third template: with revisionHistoryLimit 1 only one old
  // ReplicaSet (revision 2) is kept once the rollout completes.
  EXPECT_OK(Kubectl("set image deployment/db db=postgres:17"));
  RolledOut("db");
  EXPECT_TRUE(Eventually([&] {
    auto rs = Kubectl("get rs -o name");
    return std::count(rs.out.begin(), rs.out.end(), '\n') == 2;
  }));
  const std::string revisions =
      Field("rs",
            "range .items[*]}{.metadata.annotations.deployment\\."
            "kubernetes\\.io/revision}:{.spec.replicas} {end");
  EXPECT_NE(revisions.find("2:0 "), std::string::npos) << revisions;
  EXPECT_NE(revisions.find("3:3 "), std::string::npos) << revisions;
}

TEST_F(WorkloadsE2eTest, StuckRolloutExceedsItsProgressDeadline) {
  // No node has this label, so the pods stay Pending and nothing becomes
  // ready.
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: apps/v1\nkind: Deployment\n"
                    "metadata: {name: stuck}\n"
                    "spec:\n  progressDeadlineSeconds: 2\n"
                    "  selector: {matchLabels: {app: stuck}}\n"
                    "  template:\n    metadata: {labels: {app: stuck}}\n"
                    "    spec: {nodeSelector: {e2e: nowhere}, containers: "
                    "[{name: c, image: nginx}]}\n"));
  auto status =
      Kubectl("rollout status deployment/stuck --timeout=60s", "", 90);
  EXPECT_NE(status.exit_code, 0);
  EXPECT_NE(status.err.find("deployment \"stuck\" exceeded its progress "
                            "deadline"),
            std::string::npos)
      << status.out << status.err;
  EXPECT_EQ(Field("deploy/stuck",
                  ".status.conditions[?(@.type==\"Progressing\")].reason}"
                  " {.status.conditions[?(@.type==\"Available\")].reason"),
            "ProgressDeadlineExceeded MinimumReplicasUnavailable");
}

TEST_F(WorkloadsE2eTest, StandaloneReplicaSetScalesAndAdoptsOrphans) {
  // A bare pod that the ReplicaSet's selector matches is adopted, not
  // duplicated.
  EXPECT_OK(Kubectl("run lone --image=nginx --labels=app=front"));
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: apps/v1\nkind: ReplicaSet\n"
                    "metadata: {name: front}\n"
                    "spec:\n  replicas: 2\n"
                    "  selector: {matchLabels: {app: front}}\n"
                    "  template:\n    metadata: {labels: {app: front}}\n"
                    "    spec: {containers: [{name: c, image: nginx}]}\n"));
  EXPECT_TRUE(Eventually(
      [&] { return Field("rs/front", ".status.readyReplicas") == "2"; }));
  EXPECT_EQ(Pods("app=front").size(), 2u);
  EXPECT_EQ(Field("pod/lone", ".metadata.ownerReferences[0].name"), "front");

  auto scaled = Kubectl("scale rs/front --replicas=4");
  EXPECT_OK(scaled);
  EXPECT_EQ(scaled.out, "replicaset.apps/front scaled\n");
  EXPECT_TRUE(Eventually(
      [&] { return Field("rs/front", ".status.readyReplicas") == "4"; }));
  auto get = Kubectl("get rs front");
  EXPECT_NE(get.out.find("NAME    DESIRED   CURRENT   READY   AGE\nfront   4 "
                         "        4         4       "),
            std::string::npos)
      << get.out;
  EXPECT_OK(Kubectl("delete rs front"));
  EXPECT_TRUE(Eventually([&] { return Pods("app=front").empty(); }));
}

// The course's postgres manifest is written against apps/v1beta2. Only its
// Deployment document is applied here: the PV and PVC kinds come from the
// storage plugin.
TEST_F(WorkloadsE2eTest, AppsV1beta2DeploymentApplies) {
  const std::string path = ExamplesDir() + "/squash-postgres.yaml";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  std::string deployment;
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find("\n---", start);
    if (end == std::string::npos) end = all.size();
    const std::string doc = all.substr(start, end - start);
    if (doc.find("kind: Deployment") != std::string::npos) deployment = doc;
    start = end + 4;
  }
  ASSERT_NE(deployment.find("apiVersion: apps/v1beta2"), std::string::npos);
  auto applied = Kubectl("apply -f -", deployment);
  EXPECT_OK(applied);
  EXPECT_EQ(applied.out, "deployment.apps/postgres created\n");
  RolledOut("postgres");
  EXPECT_EQ(Field("deployments.v1beta2.apps/postgres",
                  ".apiVersion} {.spec.strategy.type} {.status."
                  "availableReplicas"),
            "apps/v1beta2 RollingUpdate 1");
  EXPECT_EQ(Field("deploy/postgres", ".apiVersion"), "apps/v1");
  EXPECT_EQ(Pods("app=postgres-container").size(), 1u);
  // Re-applying the same manifest changes nothing.
  auto again = Kubectl("apply -f -", deployment);
  EXPECT_OK(again);
  EXPECT_EQ(again.out, "deployment.apps/postgres unchanged\n");
}

}  // namespace
}  // namespace berth::testing
