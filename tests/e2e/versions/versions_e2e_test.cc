// A kind served in two versions (tests/support/versioned_kind.h: Widget
// stored as example.com/v1 with spec.replicas, also served as
// example.com/v1beta1 with spec.size) in a real `berth server`: the real
// kubectl applies a manifest written for the extra version, reads the
// object in either version, and a watch in the extra version gets its
// events converted.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "berth/json.h"
#include "kernel/client/remote_client.h"
#include "tests/support/kubectl.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace berth {
namespace {

using testing::BerthServer;
using testing::CommandResult;
using testing::HaveKubectl;
using testing::kNoKubectl;
using testing::KubectlEnv;
using testing::RunCommand;
using testing::TempDir;

constexpr char kWidgetBeta[] = R"(apiVersion: example.com/v1beta1
kind: Widget
metadata:
  name: gear
spec:
  size: 3
)";

class VersionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveKubectl()) return;
    dir_ = new TempDir();
    std::filesystem::create_directories(dir_->path() + "/home");
    const std::string config = dir_->path() + "/berth.yaml";
    std::ofstream(config) << "pluginDirs: [" << BERTH_VERSIONED_PLUGIN_DIR
                          << "]\nplugins:\n  - core\n  - versioned\n";
    server_ = new BerthServer(dir_->path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config})) << server_->log();
  }
  static void TearDownTestSuite() {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
      delete server_;
      server_ = nullptr;
    }
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
  }
  static CommandResult Kubectl(const std::string& args,
                               const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_->path() + "/home"), input);
  }
  static std::string Write(const std::string& name,
                           const std::string& content) {
    std::string path = dir_->path() + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  static TempDir* dir_;
  static BerthServer* server_;
};

TempDir* VersionsTest::dir_ = nullptr;
BerthServer* VersionsTest::server_ = nullptr;

TEST_F(VersionsTest, DiscoveryServesBothVersionsAndPrefersTheOwn) {
  auto versions = Kubectl("api-versions");
  EXPECT_OK(versions);
  EXPECT_NE(versions.out.find("example.com/v1\n"), std::string::npos)
      << versions.out;
  EXPECT_NE(versions.out.find("example.com/v1beta1\n"), std::string::npos)
      << versions.out;
  auto resources = Kubectl("api-resources --api-group=example.com");
  EXPECT_OK(resources);
  // One row, in the preferred version.
  EXPECT_NE(resources.out.find("example.com/v1 "), std::string::npos)
      << resources.out;
  EXPECT_EQ(resources.out.find("v1beta1"), std::string::npos) << resources.out;
}

TEST_F(VersionsTest, ApplyInExtraVersionReadsInBoth) {
  auto applied = Kubectl("apply -f " + Write("gear.yaml", kWidgetBeta));
  EXPECT_OK(applied);
  EXPECT_NE(applied.out.find("widget.example.com/gear created"),
            std::string::npos)
      << applied.out;

  auto own = Kubectl("get widgets.v1.example.com gear -o json");
  EXPECT_OK(own);
  auto own_doc = ParseJson(own.out);
  ASSERT_TRUE(own_doc.ok()) << own.out;
  EXPECT_EQ(GetString(*own_doc, {"apiVersion"}), "example.com/v1");
  EXPECT_EQ(GetInt(*own_doc, {"spec", "replicas"}), 3);

  auto beta = Kubectl("get widgets.v1beta1.example.com gear -o json");
  EXPECT_OK(beta);
  auto beta_doc = ParseJson(beta.out);
  ASSERT_TRUE(beta_doc.ok()) << beta.out;
  EXPECT_EQ(GetString(*beta_doc, {"apiVersion"}), "example.com/v1beta1");
  EXPECT_EQ(GetInt(*beta_doc, {"spec", "size"}), 3);
  EXPECT_EQ(Find(*beta_doc, {"spec", "replicas"}), nullptr);

  // Applying the changed manifest again patches in the extra version.
  std::string changed = kWidgetBeta;
  changed.replace(changed.find("size: 3"), 7, "size: 5");
  auto reapplied = Kubectl("apply -f " + Write("gear2.yaml", changed));
  EXPECT_OK(reapplied);
  EXPECT_NE(reapplied.out.find("configured"), std::string::npos)
      << reapplied.out;
  auto replicas =
      Kubectl("get widgets.v1.example.com gear -o jsonpath={.spec.replicas}");
  EXPECT_EQ(replicas.out, "5");

  // A list in the extra version converts every item.
  auto list = Kubectl(
      "get widgets.v1beta1.example.com -o jsonpath={.items[*].spec.size}");
  EXPECT_OK(list);
  EXPECT_EQ(list.out, "5");
  EXPECT_OK(Kubectl("delete -f " + Write("gear3.yaml", changed)));
}

TEST_F(VersionsTest, ServerSideApplyInExtraVersion) {
  const std::string manifest = R"(apiVersion: example.com/v1beta1
kind: Widget
metadata:
  name: cog
spec:
  size: 2
)";
  auto applied =
      Kubectl("apply --server-side -f " + Write("cog.yaml", manifest));
  EXPECT_OK(applied);
  auto replicas =
      Kubectl("get widgets.v1.example.com cog -o jsonpath={.spec.replicas}");
  EXPECT_EQ(replicas.out, "2");
}

TEST_F(VersionsTest, WatchInExtraVersionGetsConvertedEvents) {
  auto c = client::RemoteClient::FromKubeconfig(server_->kubeconfig());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  std::mutex mu;
  std::condition_variable cv;
  std::vector<WatchEvent> events;
  const ResourceRef beta{"example.com", "v1beta1", "widgets"};
  auto watch = (*c)->Watch(beta, "default", "", [&](const WatchEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
    cv.notify_all();
  });
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  const ResourceRef own{"example.com", "v1", "widgets"};
  ASSERT_TRUE(
      (*c)->Create(own, "default",
                   R"({"apiVersion":"example.com/v1","kind":"Widget",)"
                   R"("metadata":{"name":"sprocket"},"spec":{"replicas":7}})")
          .ok());
  std::unique_lock<std::mutex> lock(mu);
  // Guard against a hang only; the event normally arrives at once.
  bool seen = cv.wait_for(lock, std::chrono::seconds(30), [&] {
    for (const auto& e : events) {
      if (e.object.find("sprocket") != std::string::npos) return true;
    }
    return false;
  });
  ASSERT_TRUE(seen);
  for (const auto& e : events) {
    if (e.object.find("sprocket") == std::string::npos) continue;
    auto d = ParseJson(e.object);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(e.type, "ADDED");
    EXPECT_EQ(GetString(*d, {"apiVersion"}), "example.com/v1beta1");
    EXPECT_EQ(GetInt(*d, {"spec", "size"}), 7);
  }
}

}  // namespace
}  // namespace berth
