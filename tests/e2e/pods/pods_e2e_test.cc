// Issue #4's end-to-end check: pods run as real containers. A `berth server`
// with the node agent, the oci runtime (runc), the cni network and a real
// registry all live in one network namespace standing in for a machine;
// the busybox test image is pushed to the registry and pulled by the node;
// real kubectl drives everything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/node_cluster.h"
#include "tests/support/node_netns.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kImage[] = "127.0.0.1:5000/library/busybox:1.35";
constexpr char kPrivateImage[] = "127.0.0.1:5001/private/busybox:1.35";

class PodsE2eTest : public NodeClusterTest<> {
 protected:
  void SetUp() override {
    if (std::string missing = NodeCluster::MissingTools(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    NodeClusterOptions options;
    options.netns_prefix = "berth-pods";
    options.private_registry = true;
    ASSERT_NO_FATAL_FAILURE(cluster_.Start(options));
  }

  void TearDown() override { cluster_.DeletePodsAndStop(); }

  bool PodReady(const std::string& pod) {
    return Jsonpath("pod " + pod,
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
           "True";
  }
  std::string Describe(const std::string& pod) {
    return Kubectl("describe pod " + pod).out;
  }
  // Applies a one-container pod running `command` (a YAML flow list) from
  // kImage, with `extra` appended to the container.
  void RunPod(const std::string& name, const std::string& command,
              const std::string& extra = "", const std::string& image = kImage,
              const std::string& pod_extra = "") {
    EXPECT_OK(Kubectl("apply -f -",
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
                          "}\nspec:\n  terminationGracePeriodSeconds: 2\n" +
                          pod_extra + "  containers:\n" +
                          "  - name: main\n    image: " + image +
                          "\n    command: " + command + "\n" + extra));
  }
};

// A Deployment of busybox httpd serving an index.html from a configMap
// volume answers on its pod IPs and follows a ConfigMap update; `kubectl
// logs -f` follows; `kubectl exec` runs
// cat and returns the exit code; `port-forward` carries an HTTP request.
TEST_F(PodsE2eTest, DeploymentServesAConfigMapOnItsPodIps) {
  EXPECT_OK(Kubectl("apply -f -", std::string(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: web-index}
data:
  index.html: "hello from berth\n"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: httpd
        image: )") + kImage + R"(
        command: ["httpd", "-f", "-vv", "-p", "8080", "-h", "/www"]
        ports: [{containerPort: 8080}]
        volumeMounts: [{name: www, mountPath: /www}]
      volumes:
      - name: www
        configMap: {name: web-index}
)"));
  ASSERT_TRUE(Eventually([&] {
    return Jsonpath("deployment web", ".status.readyReplicas") == "2";
  })) << Kubectl("get pods -o wide").out
      << Describe("-l app=web");
  const std::string ips = Jsonpath("pods -l app=web", ".items[*].status.podIP");
  std::istringstream in(ips);
  int answered = 0;
  for (std::string ip; in >> ip;) {
    auto got =
        cluster_.node().Exec("busybox wget -qO- http://" + ip + ":8080/");
    EXPECT_EQ(got.out, "hello from berth\n") << ip << ": " << got.err;
    ++answered;
  }
  EXPECT_EQ(answered, 2) << ips;
  EXPECT_THAT(Kubectl("get pods -o wide").out, HasSubstr("10.244."));

  const std::string pod =
      Jsonpath("pods -l app=web", ".items[0].metadata.name");
  const std::string ip = Jsonpath("pod " + pod, ".status.podIP");

  // exec: output and exit code.
  auto cat = Kubectl("exec " + pod + " -- cat /www/index.html");
  EXPECT_OK(cat);
  EXPECT_EQ(cat.out, "hello from berth\n");
  auto failing = Kubectl("exec " + pod + " -- sh -c 'cat /nope; exit 3'");
  EXPECT_EQ(failing.exit_code, 3) << failing.err;
  EXPECT_THAT(failing.err, HasSubstr("No such file or directory"));

  // logs -f follows: a request made after it started shows up.
  const std::string follow_out = cluster_.dir() + "/follow.out";
  auto follower = std::thread([&] {
    cluster_.node().Exec(
        "timeout 8 kubectl logs -f " + pod + " > " + follow_out + " 2>&1",
        cluster_.kubectl_env());
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  cluster_.node().Exec("busybox wget -qO- http://" + ip +
                       ":8080/followed-request");
  follower.join();
  std::ifstream followed(follow_out);
  std::string seen((std::istreambuf_iterator<char>(followed)), {});
  EXPECT_THAT(seen, HasSubstr("/followed-request")) << seen;

  // port-forward carries an HTTP request.
  auto forward = cluster_.node().Exec(
      "kubectl port-forward pod/" + pod +
          " 18080:8080 > /dev/null 2>&1 & pf=$!; sleep 2; "
          "busybox wget -qO- http://127.0.0.1:18080/; kill $pf",
      cluster_.kubectl_env());
  EXPECT_EQ(forward.out, "hello from berth\n") << forward.err;

  // A ConfigMap update reaches the mounted file (the agent's periodic
  // sync refreshes the volume).
  EXPECT_OK(
      Kubectl("patch configmap web-index -p "
              "'{\"data\":{\"index.html\":\"v2\"}}'"));
  EXPECT_TRUE(Eventually(
      [&] {
        return cluster_.node()
                   .Exec("busybox wget -qO- http://" + ip + ":8080/")
                   .out == "v2";
      },
      120))
      << cluster_.node().Exec("busybox wget -qO- http://" + ip + ":8080/").out;
}

// `kubectl cp` both ways (tar through exec) and `kubectl run -i --tty
// --rm ... -- sh` as the course does it: typed commands run in the new
// pod's shell on a terminal, their output comes back, and the pod is
// deleted when the shell exits.
TEST_F(PodsE2eTest, CpAndAnInteractiveRunWithATerminal) {
  RunPod("box", "[\"sleep\", \"3600\"]");
  ASSERT_TRUE(Eventually([&] { return PodReady("box"); })) << Describe("box");
  const std::string d = cluster_.dir();
  std::ofstream(d + "/to-pod.txt") << "copied in\n";
  EXPECT_OK(Kubectl("cp " + d + "/to-pod.txt box:/tmp/in.txt"));
  auto in = Kubectl("exec box -- cat /tmp/in.txt");
  EXPECT_OK(in);
  EXPECT_EQ(in.out, "copied in\n");
  EXPECT_OK(
      Kubectl("exec box -- sh -c 'mkdir -p /tmp/out && echo made "
              "inside > /tmp/out/file'"));
  EXPECT_OK(Kubectl("cp box:/tmp/out " + d + "/from-pod"));
  std::ifstream out(d + "/from-pod/file");
  std::string text((std::istreambuf_iterator<char>(out)), {});
  EXPECT_EQ(text, "made inside\n");

  // script(1) gives kubectl a terminal, as a user's shell would.
  auto run = cluster_.node().Exec(
      "printf 'echo typed-$((6*7)); tty; exit\\n' | script -qec "
      "\"kubectl run shell -i --tty --rm --restart=Never --image=" +
          std::string(kImage) + " --pod-running-timeout=60s -- sh\" /dev/null",
      KubectlEnv(cluster_.server(), d + "/home"));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("typed-42"));
  EXPECT_THAT(run.out, HasSubstr("/dev/pts/"));
  EXPECT_THAT(run.out, HasSubstr("pod \"shell\" deleted"));
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("get pod shell").err.find("NotFound") != std::string::npos;
  }));
}

// A private registry: without credentials the pull fails with the
// registry's message; with `regcred` from `kubectl create secret
// docker-registry` the pod runs.
TEST_F(PodsE2eTest, PrivateImagePullsWithRegcred) {
  RunPod("no-creds", "[\"sleep\", \"3600\"]", "", kPrivateImage);
  EXPECT_TRUE(Eventually([&] {
    const std::string reason = Jsonpath(
        "pod no-creds", ".status.containerStatuses[0].state.waiting.reason");
    return reason == "ErrImagePull" || reason == "ImagePullBackOff";
  })) << Describe("no-creds");

  EXPECT_OK(Kubectl(std::string("create secret docker-registry regcred "
                                "--docker-server=127.0.0.1:5001 "
                                "--docker-username=") +
                    RegistryServer::kUser +
                    " --docker-password=" + RegistryServer::kPassword));
  RunPod("with-creds", "[\"sleep\", \"3600\"]", "", kPrivateImage,
         "  imagePullSecrets: [{name: regcred}]\n");
  EXPECT_TRUE(Eventually([&] { return PodReady("with-creds"); }))
      << Describe("with-creds");

  // Both go when deleted together, the one backing off at once.
  EXPECT_OK(Kubectl("delete pod no-creds with-creds --timeout=60s"))
      << Kubectl("get pods -o wide").out << cluster_.server().log();
}

// A missing image: ErrImagePull, then ImagePullBackOff, with the
// registry's message.
TEST_F(PodsE2eTest, MissingImageBacksOffWithTheRegistryMessage) {
  RunPod("missing", "[\"sleep\", \"3600\"]", "",
         "127.0.0.1:5000/library/nope:1");
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod missing",
                    ".status.containerStatuses[0].state.waiting.reason") ==
           "ErrImagePull";
  })) << Describe("missing");
  EXPECT_THAT(Jsonpath("pod missing",
                       ".status.containerStatuses[0].state.waiting.message"),
              HasSubstr("manifest unknown"));
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod missing",
                    ".status.containerStatuses[0].state.waiting.reason") ==
           "ImagePullBackOff";
  })) << Describe("missing");
  EXPECT_THAT(Describe("missing"), HasSubstr("Back-off pulling image"));
}

// A command that cannot run ends in CrashLoopBackOff with restarts.
TEST_F(PodsE2eTest, BadCommandCrashLoops) {
  RunPod("crasher", "[\"sh\", \"-c\", \"echo dying; exit 7\"]");
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod crasher",
                    ".status.containerStatuses[0].state.waiting.reason") ==
           "CrashLoopBackOff";
  })) << Describe("crasher");
  EXPECT_EQ(Jsonpath("pod crasher",
                     ".status.containerStatuses[0].lastState."
                     "terminated.exitCode"),
            "7");
  EXPECT_THAT(Kubectl("logs crasher --previous").out, HasSubstr("dying"));
}

// A failing liveness probe restarts the container: restartCount grows and
// lastState records the killed run.
TEST_F(PodsE2eTest, FailingLivenessProbeRestartsTheContainer) {
  RunPod("unhealthy", "[\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/\"]",
         "    livenessProbe:\n"
         "      httpGet: {path: /healthz, port: 8080}\n"
         "      periodSeconds: 1\n"
         "      failureThreshold: 2\n");
  EXPECT_TRUE(Eventually([&] {
    const std::string restarts =
        Jsonpath("pod unhealthy", ".status.containerStatuses[0].restartCount");
    return !restarts.empty() && restarts != "0";
  })) << Describe("unhealthy");
  EXPECT_FALSE(Jsonpath("pod unhealthy",
                        ".status.containerStatuses[0]."
                        "lastState.terminated.finishedAt")
                   .empty());
  EXPECT_THAT(Describe("unhealthy"),
              HasSubstr("Liveness probe failed: HTTP probe failed with "
                        "statuscode: 404"));
}

// A container over its memory limit is OOMKilled.
TEST_F(PodsE2eTest, MemoryHogIsOomKilled) {
  RunPod("hog",
         "[\"sh\", \"-c\", \"x=$(head -c 100000000 /dev/zero | tr '\\\\0' "
         "x); sleep 3600\"]",
         "    resources: {limits: {memory: 32Mi}}\n", kImage,
         "  restartPolicy: Never\n");
  EXPECT_TRUE(Eventually([&] {
    return Jsonpath("pod hog",
                    ".status.containerStatuses[0].state.terminated.reason") ==
           "OOMKilled";
  })) << Describe("hog");
  EXPECT_EQ(Jsonpath("pod hog", ".status.phase"), "Failed");
}

// `berth server` stopped (SIGTERM) while a pod runs exits cleanly and
// leaves the container running, as a kubelet's restart does; the next
// server adopts it: the same container, Ready, restartCount 0. Before the
// stop, a pod in ImagePullBackOff and a running one are deleted together:
// that aborted the server ("terminate called without an active
// exception"), which showed as a crash at its SIGTERM.
TEST_F(PodsE2eTest, ServerStopLeavesRunningPodsForTheNextServer) {
  RunPod("survivor", "[\"sleep\", \"3600\"]");
  RunPod("goner", "[\"sleep\", \"3600\"]");
  RunPod("backing-off", "[\"sleep\", \"3600\"]", "",
         "127.0.0.1:5000/library/nope:1");
  ASSERT_TRUE(Eventually([&] {
    return PodReady("survivor") && PodReady("goner") &&
           !Jsonpath("pod backing-off",
                     ".status.containerStatuses[0].state.waiting.reason")
                .empty();
  })) << Kubectl("get pods -o wide").out;
  // sleep ignores SIGTERM as pid 1: goner takes its whole grace period.
  EXPECT_OK(
      Kubectl("delete pod backing-off goner --grace-period=5 "
              "--timeout=60s"))
      << cluster_.server().log();
  const std::string container =
      Jsonpath("pod survivor", ".status.containerStatuses[0].containerID");
  ASSERT_FALSE(container.empty());

  EXPECT_EQ(cluster_.server().Stop(), 0) << cluster_.server().log();
  const std::string stopped_log = cluster_.server().log();
  EXPECT_THAT(stopped_log, ::testing::Not(HasSubstr("terminate called")));
  EXPECT_EQ(RunCommand("ps -eo args | grep -c '[b]erth-shim run " +
                       cluster_.dir() + "/'")
                .out,
            "1\n");

  ASSERT_TRUE(cluster_.server().Start({"--config", cluster_.config()}))
      << cluster_.server().log();
  EXPECT_TRUE(Eventually([&] {
    return PodReady("survivor") &&
           Jsonpath("node node1",
                    ".status.conditions[?(@.type==\"Ready\")].status") ==
               "True";
  })) << Describe("survivor");
  EXPECT_EQ(Jsonpath("pod survivor", ".status.phase"), "Running");
  EXPECT_EQ(
      Jsonpath("pod survivor", ".status.containerStatuses[0].restartCount"),
      "0");
  EXPECT_EQ(
      Jsonpath("pod survivor", ".status.containerStatuses[0].containerID"),
      container);
}

// Image garbage collection with kubelet's policy: once the image file
// system is past the high threshold, images no container uses go, least
// recently used first, and the node says FreeDiskSpaceFailed when it could
// not get down to the low threshold. The thresholds (1% / 0%) make any
// disk "full" and impossible to empty, so both show on a real one.
TEST_F(PodsE2eTest, UnusedImagesAreCollectedWhenTheDiskFills) {
  const std::string spare_dir = cluster_.dir() + "/spare";
  ASSERT_EQ(BuildOciImage(spare_dir,
                          {"--busybox", "--tag", "1", "--cmd", "/bin/true"}),
            "");
  ASSERT_EQ(cluster_.registry().Push(spare_dir, "library/spare", "1"), "");
  RunPod("keeper", "[\"sleep\", \"3600\"]");
  RunPod("once", "[\"true\"]", "", "127.0.0.1:5000/library/spare:1",
         "  restartPolicy: Never\n");
  ASSERT_TRUE(Eventually([&] {
    return PodReady("keeper") &&
           Jsonpath("pod once", ".status.phase") == "Succeeded";
  })) << Kubectl("get pods -o wide").out;
  EXPECT_OK(Kubectl("delete pod once --timeout=60s"));
  const std::string images =
      BerthBinary() + " image ls --root " + cluster_.dir() + "/images";
  auto before = RunCommand(images);
  ASSERT_THAT(before.out, HasSubstr("library/spare")) << before.err;
  ASSERT_THAT(before.out, HasSubstr("library/busybox"));

  ASSERT_EQ(cluster_.server().Stop(), 0) << cluster_.server().log();
  std::ifstream in(cluster_.config());
  std::string config((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
  const std::string node_settings = "heartbeatSeconds: 2";
  config.replace(config.find(node_settings), node_settings.size(),
                 node_settings +
                     ", imageGCHighThresholdPercent: 1, "
                     "imageGCLowThresholdPercent: 0, imageGCPeriodSeconds: 1, "
                     "imageMinimumGCAgeSeconds: 0");
  std::ofstream(cluster_.config()) << config;
  ASSERT_TRUE(cluster_.server().Start({"--config", cluster_.config()}))
      << cluster_.server().log();

  EXPECT_TRUE(Eventually([&] {
    return RunCommand(images).out.find("library/spare") == std::string::npos;
  })) << RunCommand(images).out;
  EXPECT_THAT(RunCommand(images).out, HasSubstr("library/busybox"));
  EXPECT_TRUE(Eventually([&] {
    return Kubectl("get events --field-selector reason=FreeDiskSpaceFailed")
               .out.find(
                   "Failed to garbage collect required amount of "
                   "images") != std::string::npos;
  })) << Kubectl("get events").out;
  EXPECT_THAT(Kubectl("get events --field-selector reason=FreeDiskSpaceFailed "
                      "-o jsonpath='{.items[0].involvedObject.kind}/"
                      "{.items[0].involvedObject.name}'")
                  .out,
              "Node/node1");
  // The running pod never noticed.
  EXPECT_TRUE(PodReady("keeper"));
  EXPECT_EQ(Jsonpath("pod keeper", ".status.containerStatuses[0].restartCount"),
            "0");
}

// Deleting a pod leaves no process, mount, cgroup or network namespace
// behind.
TEST_F(PodsE2eTest, DeletedPodLeavesNothingBehind) {
  auto count = [&](const std::string& uid) {
    const std::string short_uid = uid.substr(0, 8);
    return RunCommand("{ grep -c " + uid +
                      " /proc/mounts; "
                      "find /sys/fs/cgroup -maxdepth 3 -name '*" +
                      uid +
                      "*' | wc -l; ps -eo args | grep -c '[b]erth-shim.*" +
                      cluster_.dir() + "'; ls /var/run/netns | grep -c " +
                      short_uid + "; } | awk '{s+=$1} END {print s}'")
        .out;
  };
  RunPod("short-lived", "[\"sleep\", \"3600\"]");
  ASSERT_TRUE(Eventually([&] { return PodReady("short-lived"); }))
      << Describe("short-lived");
  const std::string uid = Jsonpath("pod short-lived", ".metadata.uid");
  EXPECT_NE(count(uid), "0\n");
  EXPECT_OK(Kubectl("delete pod short-lived --timeout=60s"));
  EXPECT_TRUE(Eventually([&] { return count(uid) == "0\n"; }))
      << RunCommand("grep " + uid +
                    " /proc/mounts; ps -eo args | grep "
                    "[b]erth-shim")
             .out;
}

}  // namespace
}  // namespace berth::testing
