// Host events as a user sees them: events recorded through the
// EventRecorder (what Host::RecordEvent queues into) against a real `berth
// server` show in the Events section of the real `kubectl describe`, with
// repeats counted rather than listed twice.
#include <gtest/gtest.h>

#include <filesystem>

#include "berth/events.h"
#include "berth/json.h"
#include "kernel/client/remote_client.h"
#include "kernel/events/event_recorder.h"
#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth::events {
namespace {

using testing::BerthServer;
using testing::HaveKubectl;
using testing::kNoKubectl;
using testing::KubectlEnv;
using testing::RunCommand;
using testing::TempDir;

class EventDescribeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    std::filesystem::create_directories(dir_.path() + "/home");
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
    auto c = client::RemoteClient::FromKubeconfig(server_->kubeconfig());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    client_ = std::move(c).value();
    recorder_ = std::make_unique<EventRecorder>(client_.get());
  }
  void TearDown() override {
    recorder_.reset();
    if (server_) server_->Stop();
  }
  testing::CommandResult Kubectl(const std::string& args) {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"));
  }
  ObjectReference Create(const ResourceRef& r, const std::string& ns,
                         const std::string& object) {
    auto created = client_->Create(r, ns, object);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    auto doc = ParseJson(created.ok() ? *created : "{}");
    return ReferenceTo(*doc);
  }

  TempDir dir_;
  std::unique_ptr<BerthServer> server_;
  std::unique_ptr<client::RemoteClient> client_;
  std::unique_ptr<EventRecorder> recorder_;
};

TEST_F(EventDescribeTest, ConfigMapEventsShowInDescribeWithRepeatCount) {
  ObjectReference cm = Create(
      {"", "v1", "configmaps"}, "default",
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},)"
      R"("data":{"replicas":"many"}})");
  ASSERT_EQ(cm.kind, "ConfigMap");
  recorder_->Record({"settings-checker", cm, "Warning", "BadValue",
                     "key replicas is not a number"});
  recorder_->Record({"settings-checker", cm, "Warning", "BadValue",
                     "key replicas is not a number"});
  recorder_->Record({"settings-checker", cm, "Normal", "Checked", "checked"});
  recorder_->Flush();

  auto r = Kubectl("describe configmap settings");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& out = r.out;
  size_t events = out.find("Events:");
  ASSERT_NE(events, std::string::npos) << out;
  EXPECT_EQ(out.find("<none>", events), std::string::npos) << out;
  EXPECT_NE(out.find("Warning  BadValue", events), std::string::npos) << out;
  EXPECT_NE(out.find("key replicas is not a number", events), std::string::npos)
      << out;
  EXPECT_NE(out.find("settings-checker", events), std::string::npos) << out;
  EXPECT_NE(out.find("(x2 over", events), std::string::npos) << out;
  EXPECT_NE(out.find("Normal   Checked", events), std::string::npos) << out;

  auto listed = Kubectl("get events -o jsonpath={.items[*].count}");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out, "2 1");
}

TEST_F(EventDescribeTest, ClusterScopedObjectEventsShowInDescribe) {
  ObjectReference node =
      Create({"", "v1", "nodes"}, "",
             R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}})");
  recorder_->Record(
      {"node-checker", node, "Normal", "Checked", "node n1 looks fine"});
  recorder_->Flush();
  auto r = Kubectl("describe node n1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("node n1 looks fine"), std::string::npos) << r.out;
  auto in_default = Kubectl(
      "get events -n default -o jsonpath={.items[*].involvedObject.name}");
  EXPECT_EQ(in_default.out, "n1");
}

}  // namespace
}  // namespace berth::events
