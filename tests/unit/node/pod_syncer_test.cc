#include "pod_syncer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "fake_runtime.h"
#include "timestamps.h"

namespace berth::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Recorded {
  std::string type, reason, message, field_path;
};

class PodSyncerTest : public ::testing::Test {
 protected:
  PodSyncerTest() : runtime_(&clock_), network_(&runtime_) {
    volumes_ = MakeNoVolumes();
    env_ = MakeLiteralEnv();
    probes_ = MakeReadyWhenRunning();
    syncer_ = MakeSyncer();
  }
  ~PodSyncerTest() override { std::filesystem::remove_all(RootDir()); }

  static std::string RootDir() {
    return "/tmp/berth-node-test-" + std::to_string(getpid());
  }

  std::unique_ptr<PodSyncer> MakeSyncer(bool async = false) {
    PodSyncerDeps deps;
    deps.terminate_async = async;
    deps.client = &client_;
    deps.runtimes["fake"] = &runtime_;
    deps.network = &network_;
    deps.volumes = volumes_.get();
    deps.env = env_.get();
    deps.probes = probes_.get();
    deps.clock = &clock_;
    deps.settings.node_name = "n1";
    deps.settings.runtime = "fake";
    deps.settings.root_dir = RootDir();
    deps.settings.cluster_dns = {"10.96.0.10"};
    deps.host_ip = "192.168.1.5";
    deps.allocatable_milli_cpu = 4000;
    deps.allocatable_memory = int64_t{8} << 30;
    deps.record_event =
        [this](const Json&, const std::string& type, const std::string& reason,
               const std::string& message, const std::string& field_path) {
          events_.push_back({type, reason, message, field_path});
        };
    return std::make_unique<PodSyncer>(std::move(deps));
  }

  // Stores `pod` (JSON) as the API would have it and returns its text.
  std::string Put(const std::string& pod) {
    auto doc = ParseJson(pod);
    const std::string key = "pods/" +
                            GetString(*doc, {"metadata", "namespace"}) + "/" +
                            GetString(*doc, {"metadata", "name"});
    client_.objects[key] = pod;
    return pod;
  }
  std::string Stored(const std::string& name = "web") {
    return client_.objects["pods/default/" + name];
  }
  JsonDoc StoredDoc(const std::string& name = "web") {
    return std::move(ParseJson(Stored(name))).value();
  }
  // Syncs the stored pod; returns the requeue delay.
  milliseconds Sync(const std::string& name = "web") {
    auto r = syncer_->SyncPod(Stored(name));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : milliseconds(-1);
  }
  static std::string Pod(const std::string& spec,
                         const std::string& name = "web",
                         const std::string& uid = "u1") {
    return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
           R"(","namespace":"default","uid":")" + uid +
           R"("},"spec":{"nodeName":"n1",)" + spec +
           R"(},"status":{"qosClass":"BestEffort"}})";
  }
  std::string ContainerField(const JsonDoc& pod, const char* list, int i,
                             std::initializer_list<std::string_view> path) {
    const Json& c = (*Find(pod, {"status", list}))[i];
    return GetString(c, path);
  }
  int64_t ContainerInt(const JsonDoc& pod, int i,
                       std::initializer_list<std::string_view> path) {
    const Json& c = (*Find(pod, {"status", "containerStatuses"}))[i];
    return GetInt(c, path, -1);
  }
  std::string Condition(const JsonDoc& pod, const std::string& type) {
    for (const auto& c : Find(pod, {"status", "conditions"})->GetArray()) {
      if (GetString(c, {"type"}) == type) return GetString(c, {"status"});
    }
    return "";
  }
  bool HasEvent(const std::string& reason, const std::string& text) {
    return std::any_of(events_.begin(), events_.end(), [&](const Recorded& e) {
      return e.reason == reason && e.message.find(text) != std::string::npos;
    });
  }

  FakeClock clock_;
  FakeRuntime runtime_;
  FakeNetwork network_;
  PodClient client_;
  std::unique_ptr<PodVolumes> volumes_;
  std::unique_ptr<EnvResolver> env_;
  std::unique_ptr<PodProbes> probes_;
  std::vector<Recorded> events_;
  std::unique_ptr<PodSyncer> syncer_;
};

constexpr const char* kOneContainer =
    R"("containers":[{"name":"app","image":"busybox:1.36","command":["sh"],)"
    R"("args":["-c","sleep 1000"],"workingDir":"/w",)"
    R"("env":[{"name":"A","value":"1"}],)"
    R"("ports":[{"containerPort":80,"hostPort":8080}],)"
    R"("resources":{"requests":{"cpu":"500m"},)"
    R"("limits":{"cpu":"1","memory":"64Mi"}}}])";

TEST_F(PodSyncerTest, RunsAPodAndReportsItRunning) {
  Put(Pod(kOneContainer));
  runtime_.images.insert("busybox:1.36");
  Sync();
  ASSERT_EQ(runtime_.sandboxes.size(), 1u);
  const auto& sandbox = runtime_.sandbox_configs.begin()->second;
  EXPECT_EQ(sandbox.hostname, "web");
  EXPECT_EQ(sandbox.cgroup_parent, "/berth/podu1");
  EXPECT_EQ(sandbox.dns_servers, std::vector<std::string>{"10.96.0.10"});
  EXPECT_EQ(sandbox.labels.at("io.kubernetes.pod.uid"), "u1");
  EXPECT_EQ(sandbox.pod_resources.cpu_shares, 512);
  EXPECT_EQ(sandbox.pod_resources.cpu_quota_us, 100000);
  EXPECT_EQ(sandbox.pod_resources.memory_limit_bytes, 64 << 20);
  ASSERT_EQ(network_.last_ports.size(), 1u);
  EXPECT_EQ(network_.last_ports[0].host_port, 8080);
  const ContainerConfig& c = runtime_.configs.begin()->second;
  EXPECT_EQ(c.command, std::vector<std::string>{"sh"});
  EXPECT_EQ(c.args.size(), 2u);
  EXPECT_EQ(c.working_dir, "/w");
  EXPECT_EQ(c.env.at(0).first, "A");
  EXPECT_EQ(c.resources.cpu_shares, 512);
  EXPECT_EQ(c.resources.cpu_quota_us, 100000);
  EXPECT_EQ(c.resources.memory_limit_bytes, 64 << 20);
  EXPECT_NE(c.log_path.find("/pods/default_web_u1/app/0.log"),
            std::string::npos);
  EXPECT_EQ(c.labels.at("io.kubernetes.container.name"), "app");

  JsonDoc pod = StoredDoc();
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Running");
  EXPECT_EQ(GetString(pod, {"status", "podIP"}), "10.88.0.2");
  EXPECT_EQ(GetString(pod, {"status", "hostIP"}), "192.168.1.5");
  EXPECT_EQ(GetString(pod, {"status", "qosClass"}), "BestEffort");
  EXPECT_FALSE(GetString(pod, {"status", "startTime"}).empty());
  EXPECT_EQ(Condition(pod, "Ready"), "True");
  EXPECT_EQ(Condition(pod, "PodReadyToStartContainers"), "True");
  EXPECT_EQ(Condition(pod, "Initialized"), "True");
  EXPECT_EQ(Condition(pod, "PodScheduled"), "True");
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0, {"containerID"}),
            "fake://" + runtime_.Latest("app")->id);
  EXPECT_FALSE(ContainerField(pod, "containerStatuses", 0,
                              {"state", "running", "startedAt"})
                   .empty());
  EXPECT_TRUE(HasEvent("Pulled", "already present on machine"));
  EXPECT_TRUE(HasEvent("Started", "Started container app"));

  // A second sync changes nothing: no new container, no status write.
  const int writes = client_.status_writes;
  Sync();
  EXPECT_EQ(runtime_.Count("CreateContainer"), 1);
  EXPECT_EQ(client_.status_writes, writes);
}

TEST_F(PodSyncerTest, PullPolicyDecidesWhetherToPull) {
  runtime_.images = {"busybox:1.36", "busybox:latest"};
  Put(Pod(R"("containers":[{"name":"a","image":"busybox:1.36"},)"
          R"({"name":"b","image":"busybox:latest"},)"
          R"({"name":"c","image":"busybox:1.36","imagePullPolicy":"Always"},)"
          R"({"name":"d","image":"other:1","imagePullPolicy":"Never"}])"));
  Sync();
  // a: IfNotPresent and present; b: latest -> Always; c: Always.
  EXPECT_EQ(runtime_.pulls,
            (std::vector<std::string>{"busybox:latest", "busybox:1.36"}));
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 3,
                           {"state", "waiting", "reason"}),
            "ErrImageNeverPull");
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Pending");
}

TEST_F(PodSyncerTest, FailedPullBacksOffWithTheRegistrysMessage) {
  runtime_.pull_errors["reg:5000/nope:1"] =
      Status::NotFound("reg:5000/nope:1: manifest unknown");
  Put(Pod(R"("containers":[{"name":"app","image":"reg:5000/nope:1",)"
          R"("imagePullPolicy":"Always"}])"));
  EXPECT_EQ(Sync(), seconds(10));
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "reason"}),
            "ErrImagePull");
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "message"}),
            "reg:5000/nope:1: manifest unknown");
  EXPECT_TRUE(HasEvent("Failed", "Failed to pull image \"reg:5000/nope:1\""));

  clock_.Advance(seconds(1));
  EXPECT_EQ(Sync(), seconds(9));
  pod = StoredDoc();
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "reason"}),
            "ImagePullBackOff");
  EXPECT_NE(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "message"})
                .find("manifest unknown"),
            std::string::npos);
  EXPECT_EQ(runtime_.pulls.size(), 1u);
  EXPECT_TRUE(HasEvent("BackOff", "Back-off pulling image"));

  // After the back-off it pulls again; the next delay doubles.
  clock_.Advance(seconds(10));
  EXPECT_EQ(Sync(), seconds(20));
  EXPECT_EQ(runtime_.pulls.size(), 2u);
}

TEST_F(PodSyncerTest, PullSecretGivesTheRegistrysCredentials) {
  // {"auths":{"reg:5000":{"auth":base64("u:p")}}}
  client_.objects["secrets/default/regcred"] =
      R"({"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":)"
      R"("eyJhdXRocyI6eyJyZWc6NTAwMCI6eyJhdXRoIjoiZFRwdyJ9fX0="}})";
  Put(Pod(R"("imagePullSecrets":[{"name":"regcred"}],)"
          R"("containers":[{"name":"app","image":"reg:5000/app:1"}])"));
  Sync();
  ASSERT_TRUE(runtime_.last_auth.has_value());
  EXPECT_EQ(runtime_.last_auth->username, "u");
  EXPECT_EQ(runtime_.last_auth->password, "p");
}

TEST_F(PodSyncerTest, InitContainersRunInOrderBeforeContainers) {
  runtime_.images = {"i:1", "app:1"};
  Put(Pod(R"("initContainers":[{"name":"one","image":"i:1"},)"
          R"({"name":"two","image":"i:1"}],)"
          R"("containers":[{"name":"app","image":"app:1"}])"));
  Sync();
  EXPECT_EQ(runtime_.Count("StartContainer"), 1);
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Pending");
  EXPECT_EQ(Condition(pod, "Initialized"), "False");
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "reason"}),
            "PodInitializing");

  runtime_.Exit("one", 0);
  Sync();
  EXPECT_EQ(runtime_.calls.back(), "StartContainer two");
  EXPECT_EQ(runtime_.Count("StartContainer app"), 0);

  runtime_.Exit("two", 0);
  Sync();
  EXPECT_EQ(runtime_.calls.back(), "StartContainer app");
  pod = StoredDoc();
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Running");
  EXPECT_EQ(Condition(pod, "Initialized"), "True");
  EXPECT_EQ(ContainerField(pod, "initContainerStatuses", 1,
                           {"state", "terminated", "reason"}),
            "Completed");
}

TEST_F(PodSyncerTest, FailedInitContainerOfANeverPodFailsThePod) {
  runtime_.images = {"i:1", "app:1"};
  Put(Pod(R"("restartPolicy":"Never",)"
          R"("initContainers":[{"name":"one","image":"i:1"}],)"
          R"("containers":[{"name":"app","image":"app:1"}])"));
  Sync();
  runtime_.Exit("one", 2);
  Sync();
  EXPECT_EQ(GetString(StoredDoc(), {"status", "phase"}), "Failed");
  EXPECT_EQ(runtime_.Count("StartContainer"), 1);
}

TEST_F(PodSyncerTest, CrashingContainerBacksOffDoublingTo5Minutes) {
  runtime_.images = {"app:1"};
  Put(Pod(R"("containers":[{"name":"app","image":"app:1"}])"));
  Sync();
  // The first exit restarts at once.
  runtime_.Exit("app", 1);
  Sync();
  EXPECT_EQ(runtime_.Latest("app")->attempt, 1u);
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(ContainerInt(pod, 0, {"restartCount"}), 1);
  EXPECT_EQ(ContainerInt(pod, 0, {"lastState", "terminated", "exitCode"}), 1);

  // The second waits 10 s in CrashLoopBackOff.
  runtime_.Exit("app", 1);
  clock_.Advance(seconds(1));
  EXPECT_EQ(Sync(), seconds(9));
  pod = StoredDoc();
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "reason"}),
            "CrashLoopBackOff");
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "waiting", "message"}),
            "back-off 10s restarting failed container=app pod=web_default(u1)");
  EXPECT_EQ(ContainerInt(pod, 0, {"restartCount"}), 1);
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Running");
  EXPECT_EQ(Condition(pod, "Ready"), "False");
  EXPECT_TRUE(HasEvent("BackOff", "Back-off restarting failed container app"));

  // Each later crash doubles the wait: 20, 40, 80, 160, 300, 300 s.
  std::vector<int64_t> waits;
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(seconds(301));
    Sync();  // restarts
    runtime_.Exit("app", 1);
    waits.push_back(std::chrono::duration_cast<seconds>(Sync()).count());
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{20, 40, 80, 160, 300, 300}));

  // Running 10 minutes resets the back-off to 10 s.
  clock_.Advance(seconds(301));
  Sync();
  clock_.Advance(std::chrono::minutes(11));
  runtime_.Exit("app", 1);
  Sync();  // restarts at once
  runtime_.Exit("app", 1);
  EXPECT_EQ(Sync(), seconds(10));
}

TEST_F(PodSyncerTest, RestartPolicyDecidesWhatRestartsAndThePhase) {
  runtime_.images = {"app:1"};
  Put(Pod(R"("restartPolicy":"OnFailure","containers":[)"
          R"({"name":"app","image":"app:1"}])"));
  Sync();
  runtime_.Exit("app", 0);
  Sync();
  EXPECT_EQ(runtime_.Count("StartContainer"), 1);
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Succeeded");
  EXPECT_EQ(ContainerField(pod, "containerStatuses", 0,
                           {"state", "terminated", "reason"}),
            "Completed");

  Put(Pod(R"("restartPolicy":"Never","containers":[)"
          R"({"name":"once","image":"app:1"}])",
          "job", "u2"));
  Sync("job");
  runtime_.Exit("once", 3);
  Sync("job");
  pod = StoredDoc("job");
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Failed");
  EXPECT_EQ(ContainerInt(pod, 0, {"state", "terminated", "exitCode"}), 3);
}

TEST_F(PodSyncerTest, PodThatDoesNotFitIsRejectedAsTheKubeletDoes) {
  Put(Pod(R"("containers":[{"name":"app","image":"app:1",)"
          R"("resources":{"requests":{"cpu":"5"}}}])"));
  Sync();
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Failed");
  EXPECT_EQ(GetString(pod, {"status", "reason"}), "OutOfcpu");
  EXPECT_EQ(GetString(pod, {"status", "message"}),
            "Pod was rejected: Node didn't have enough resource: cpu, "
            "requested: 5000, used: 0, capacity: 4000");
  EXPECT_TRUE(runtime_.sandboxes.empty());
}

TEST_F(PodSyncerTest, DeletedPodStopsGracefullyThenGoesWithGraceZero) {
  runtime_.images = {"app:1"};
  Put(Pod(R"("containers":[{"name":"app","image":"app:1"}])"));
  Sync();
  const std::string sandbox = runtime_.sandboxes.begin()->first;
  auto doc = StoredDoc();
  auto& a = doc.GetAllocator();
  Json& meta = *Member(doc, "metadata");
  SetString(meta, "deletionTimestamp",
            kubelet::FormatTime(clock_.Now() + seconds(20)), a);
  SetMember(meta, "deletionGracePeriodSeconds", Json(30), a);
  Put(ToJson(doc));
  runtime_.calls.clear();
  Sync();
  EXPECT_EQ(runtime_.calls,
            (std::vector<std::string>{
                "StopContainer app 20", "TearDown " + sandbox,
                "StopPodSandbox " + sandbox, "RemovePodSandbox " + sandbox}));
  ASSERT_EQ(client_.deletes.size(), 1u);
  EXPECT_EQ(client_.deletes[0].grace_period_seconds, 0);
  EXPECT_EQ(client_.deletes[0].precondition_uid, "u1");
  EXPECT_TRUE(HasEvent("Killing", "Stopping container app"));
  EXPECT_TRUE(network_.attached.empty());
}

TEST_F(PodSyncerTest, TerminationRunsOffTheSyncWorker) {
  syncer_ = MakeSyncer(/*async=*/true);
  runtime_.images = {"app:1"};
  Put(Pod(R"("containers":[{"name":"app","image":"app:1"}])"));
  Sync();
  auto doc = StoredDoc();
  SetString(*Member(doc, "metadata"), "deletionTimestamp",
            kubelet::FormatTime(clock_.Now() + seconds(30)),
            doc.GetAllocator());
  Put(ToJson(doc));
  // The sync hands the pod to its own thread and asks to look again.
  EXPECT_EQ(Sync(), seconds(2));
  syncer_.reset();  // waits for the termination
  ASSERT_EQ(client_.deletes.size(), 1u);
  EXPECT_EQ(client_.deletes[0].precondition_uid, "u1");
  EXPECT_EQ(runtime_.Count("RemovePodSandbox"), 1);
}

// A pod in ImagePullBackOff and a running one are deleted together, each
// terminated on a thread of its own. The one backing off goes at once, the
// back-off notwithstanding, while the other still waits for its container
// to stop. Syncing that one again (the worker looks every 2 s) joins the
// finished thread: dropping it unjoined aborted berth server ("terminate
// called without an active exception").
TEST_F(PodSyncerTest, PodsDeletedTogetherTerminateWithoutAbortingTheAgent) {
  syncer_ = MakeSyncer(/*async=*/true);
  runtime_.images = {"app:1"};
  runtime_.pull_errors["reg:5000/nope:1"] =
      Status::NotFound("reg:5000/nope:1: manifest unknown");
  Put(Pod(R"("containers":[{"name":"pull","image":"reg:5000/nope:1"}])",
          "backing-off", "u1"));
  Put(Pod(R"("containers":[{"name":"slow","image":"app:1"}])", "running",
          "u2"));
  EXPECT_EQ(Sync("backing-off"), seconds(10));
  Sync("running");
  for (const char* name : {"backing-off", "running"}) {
    auto doc = StoredDoc(name);
    SetString(*Member(doc, "metadata"), "deletionTimestamp",
              kubelet::FormatTime(clock_.Now() + seconds(30)),
              doc.GetAllocator());
    Put(ToJson(doc));
  }
  runtime_.HoldStops("slow");
  EXPECT_EQ(Sync("backing-off"), seconds(2));
  EXPECT_EQ(Sync("running"), seconds(2));
  while (syncer_->Terminating("u1")) std::this_thread::yield();
  {
    std::lock_guard<std::mutex> lock(client_.mu);
    // No ASSERT while "slow" is held: the syncer would wait for it.
    EXPECT_EQ(client_.deletes.size(), 1u);
    if (!client_.deletes.empty()) {
      EXPECT_EQ(client_.deletes[0].precondition_uid, "u1");
    }
  }

  EXPECT_EQ(Sync("running"), seconds(2));
  EXPECT_TRUE(syncer_->Terminating("u2"));
  runtime_.ReleaseStops("slow");
  syncer_.reset();  // waits for the termination
  EXPECT_EQ(client_.deletes.size(), 2u);
  EXPECT_EQ(runtime_.Count("RemovePodSandbox"), 2);
}

TEST_F(PodSyncerTest, RecoveryAdoptsRunningContainersAndRemovesOrphans) {
  runtime_.images = {"app:1"};
  Put(Pod(R"("containers":[{"name":"app","image":"app:1"}])"));
  Put(Pod(R"("containers":[{"name":"app","image":"app:1"}])", "gone", "u2"));
  Sync();
  Sync("gone");
  const std::string running_id = runtime_.Latest("app")->id;
  client_.objects.erase("pods/default/gone");

  // A new agent process: fresh syncer, same runtime and network.
  syncer_ = MakeSyncer();
  runtime_.calls.clear();
  ASSERT_TRUE(syncer_->Recover({"u1"}).ok());
  EXPECT_EQ(runtime_.sandboxes.size(), 1u);
  EXPECT_EQ(network_.attached.size(), 1u);
  EXPECT_EQ(runtime_.Count("RemovePodSandbox"), 1);
  runtime_.calls.clear();
  Sync();
  EXPECT_EQ(runtime_.Count("CreateContainer"), 0);
  EXPECT_EQ(runtime_.Count("RunPodSandbox"), 0);
  EXPECT_EQ(runtime_.Count("StopContainer"), 0);
  JsonDoc pod = StoredDoc();
  EXPECT_EQ(GetString(pod, {"status", "phase"}), "Running");
  EXPECT_EQ(GetString(pod, {"status", "podIP"}), "10.88.0.2");
  bool found = false;
  for (const auto& [id, c] : runtime_.containers) {
    found = found || (id == running_id && c.state == ContainerState::kRunning);
  }
  EXPECT_TRUE(found);
}

TEST_F(PodSyncerTest, HostNetworkPodsSkipThePodNetwork) {
  runtime_.images = {"app:1"};
  Put(Pod(
      R"("hostNetwork":true,"containers":[{"name":"app","image":"app:1"}])"));
  Sync();
  EXPECT_EQ(runtime_.Count("SetUp"), 0);
  EXPECT_EQ(GetString(StoredDoc(), {"status", "podIP"}), "192.168.1.5");
}

}  // namespace
}  // namespace berth::node
