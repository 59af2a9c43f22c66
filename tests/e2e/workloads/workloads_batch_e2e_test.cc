// End-to-end: DaemonSets, StatefulSets, Jobs and CronJobs with the real
// kubectl against a real `berth server`. No scheduler or node agent runs
// here, so the tests play both: they create the Node objects themselves and
// write pod status (Running and Ready, or Succeeded) through the pods'
// status subresource, as a kubelet would.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/kubectl_suite.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

class WorkloadKindsE2eTest : public KubectlSuite {
 protected:
  static CommandResult Apply(const std::string& yaml) {
    return Kubectl("apply -f -", yaml);
  }
  // Polls `args` until its stdout satisfies `ok` or `seconds` pass; returns
  // the last output.
  static std::string WaitFor(const std::string& args,
                             const std::function<bool(const std::string&)>& ok,
                             int seconds = 20) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::string out;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = Kubectl(args);
      out = r.out;
      if (r.exit_code == 0 && ok(out)) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return out;
  }
  static std::vector<std::string> Words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    std::sort(out.begin(), out.end());
    return out;
  }
  // The kubelet's part: the pod runs and is ready.
  static void MarkRunningReady(const std::string& pod) {
    EXPECT_OK(
        Kubectl("patch pod " + pod +
                " --subresource=status --type=merge -p "
                "'{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":"
                "\"Ready\",\"status\":\"True\"}]}}'"));
  }
  static void MarkSucceeded(const std::string& pod) {
    EXPECT_OK(Kubectl("patch pod " + pod +
                      " --subresource=status --type=merge -p "
                      "'{\"status\":{\"phase\":\"Succeeded\"}}'"));
  }
  static void AddNode(const std::string& name, const std::string& taint = "") {
    std::string yaml =
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: " + name +
        "\n  labels:\n    kubernetes.io/hostname: " + name + "\n";
    if (!taint.empty()) yaml += "spec:\n  taints:\n" + taint;
    EXPECT_OK(Apply(yaml));
  }
};

constexpr char kDaemonSet[] = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox
)";

constexpr char kPinnedNodes[] =
    "get pods -l app=agent -o "
    "jsonpath='{range .items[*]}{.spec.affinity.nodeAffinity."
    "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
    "matchFields[0].values[0]}{\"\\n\"}{end}'";

TEST_F(WorkloadKindsE2eTest,
       DaemonSetCoversNodesAndLeavesTaintedOneUnlessTolerated) {
  for (const char* n : {"node-1", "node-2", "node-3"}) AddNode(n);
  AddNode("node-4",
          "  - key: dedicated\n    value: db\n    effect: NoSchedule\n");
  EXPECT_OK(Apply(kDaemonSet));
  const std::vector<std::string> three = {"node-1", "node-2", "node-3"};
  std::string out = WaitFor(
      kPinnedNodes, [&](const std::string& o) { return Words(o) == three; });
  EXPECT_EQ(Words(out), three) << out;

  auto get = Kubectl("get ds agent");
  EXPECT_OK(get);
  EXPECT_NE(get.out.find("NAME    DESIRED   CURRENT   READY   UP-TO-DATE   "
                         "AVAILABLE   NODE SELECTOR   AGE"),
            std::string::npos)
      << get.out;
  auto wide = Kubectl("get ds agent -o wide");
  EXPECT_NE(wide.out.find("CONTAINERS   IMAGES    SELECTOR"), std::string::npos)
      << wide.out;
  EXPECT_NE(wide.out.find("app=agent"), std::string::npos) << wide.out;
  EXPECT_OK(Kubectl("get daemonsets.apps,ds -o name"));

  // Tolerating the taint brings a pod to the fourth node.
  std::string tolerant = std::string(kDaemonSet) +
                         "      tolerations:\n      - key: dedicated\n"
                         "        operator: Exists\n";
  EXPECT_OK(Apply(tolerant));
  const std::vector<std::string> four = {"node-1", "node-2", "node-3",
                                         "node-4"};
  out = WaitFor(kPinnedNodes,
                [&](const std::string& o) { return Words(o) == four; });
  EXPECT_EQ(Words(out), four) << out;
  // A node added later gets its pod too.
  AddNode("node-5");
  out = WaitFor(kPinnedNodes,
                [&](const std::string& o) { return Words(o).size() == 5; });
  EXPECT_EQ(Words(out).size(), 5u) << out;
  EXPECT_OK(Kubectl("delete ds agent"));
}

constexpr char kStatefulSet[] = R"(apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 3
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: db
            topologyKey: kubernetes.io/hostname
      containers:
      - name: postgres
        image: postgres:16
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
)";

TEST_F(WorkloadKindsE2eTest, StatefulSetCreatesOrdinalsInOrder) {
  EXPECT_OK(Apply(kStatefulSet));
  const std::string names =
      "get pods -l app=db -o jsonpath='{.items[*].metadata.name}'";
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i) {
    const std::string pod = "db-" + std::to_string(i);
    expected.push_back(pod);
    std::string out = WaitFor(
        names, [&](const std::string& o) { return Words(o) == expected; });
    ASSERT_EQ(Words(out), expected) << out;
    // The next ordinal waits for this one to be Running and Ready.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(Words(Kubectl(names).out), expected);
    MarkRunningReady(pod);
  }
  auto sts = WaitFor("get sts db", [](const std::string& o) {
    return o.find("3/3") != std::string::npos;
  });
  EXPECT_NE(sts.find("NAME   READY   AGE"), std::string::npos) << sts;
  EXPECT_NE(sts.find("3/3"), std::string::npos) << sts;
  auto pod = Kubectl(
      "get pod db-1 -o jsonpath='{.spec.hostname} {.spec.subdomain} "
      "{.metadata.labels.statefulset\\.kubernetes\\.io/pod-name} "
      "{.spec.volumes[0].persistentVolumeClaim.claimName}'");
  EXPECT_EQ(pod.out, "db-1 db db-1 data-db-1") << pod.err;

  // Claims exist when a storage plugin serves them.
  if (Kubectl("api-resources --api-group=")
          .out.find("persistentvolumeclaims") != std::string::npos) {
    auto pvcs = Kubectl("get pvc -o name");
    EXPECT_NE(pvcs.out.find("data-db-0"), std::string::npos) << pvcs.out;
    EXPECT_NE(pvcs.out.find("data-db-2"), std::string::npos) << pvcs.out;
  }

  // Scaling down removes the highest ordinal.
  EXPECT_OK(Kubectl("scale sts db --replicas=2"));
  std::string out = WaitFor(names, [](const std::string& o) {
    return o.find("db-2") == std::string::npos;
  });
  EXPECT_EQ(Words(out), (std::vector<std::string>{"db-0", "db-1"}));
}

TEST_F(WorkloadKindsE2eTest, JobRunsToCompletion) {
  EXPECT_OK(Apply(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl
        command: ["perl", "-e", "print 3.14"]
)"));
  const std::string pods =
      "get pods -l job-name=pi -o "
      "jsonpath='{.items[*].metadata.name}'";
  for (size_t done = 0; done < 2; ++done) {
    std::string out = WaitFor(pods, [&](const std::string& o) {
      return Words(o).size() == done + 1;
    });
    ASSERT_EQ(Words(out).size(), done + 1) << out;
    for (const auto& p : Words(out)) MarkSucceeded(p);
  }
  std::string complete = WaitFor(
      "get job pi -o "
      "jsonpath='{.status.conditions[?(@.type==\"Complete\")].status}'",
      [](const std::string& o) { return o == "True"; });
  EXPECT_EQ(complete, "True");
  auto get = Kubectl("get job pi");
  EXPECT_NE(get.out.find("NAME   STATUS     COMPLETIONS   DURATION   AGE"),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("Complete   2/2"), std::string::npos) << get.out;
}

TEST_F(WorkloadKindsE2eTest, CronJobFires) {
  EXPECT_OK(Apply(R"(apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox
            command: ["date"]
)"));
  auto get = Kubectl("get cj hello");
  EXPECT_NE(get.out.find("NAME    SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   "
                         "LAST SCHEDULE   AGE"),
            std::string::npos)
      << get.out;
  // The first run is at the next whole minute.
  std::string jobs = WaitFor(
      "get jobs -o "
      "jsonpath='{.items[*].metadata.ownerReferences[0].name}'",
      [](const std::string& o) { return o.find("hello") != std::string::npos; },
      65);
  EXPECT_NE(jobs.find("hello"), std::string::npos);
  auto last = Kubectl("get cj hello -o jsonpath='{.status.lastScheduleTime}'");
  EXPECT_FALSE(last.out.empty());
  EXPECT_OK(Kubectl("delete cj hello"));
}

}  // namespace
}  // namespace berth::testing
