// End-to-end for the SDK: the greeting example, built out of tree against the
// installed SDK (the sdk_package test leaves the .so behind), is enabled in a
// config file, loaded by a running `berth server`, and driven with the real
// kubectl: its kind is served, its settings reach it, its validation answers,
// and its controller writes status.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

const char kPluginDir[] = BERTH_GREETING_OUT_OF_TREE_DIR;

class GreetingServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) {
      GTEST_SKIP() << kNoKubectl;
    }
    ASSERT_TRUE(
        std::filesystem::exists(std::string(kPluginDir) + "/berth_greeting.so"))
        << "the sdk_package test builds the plugin this test loads";
    std::filesystem::create_directories(dir_.path() + "/home");
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_) << "pluginDirs: [" << kPluginDir << "]\n"
                           << "plugins:\n"
                           << "  - core\n"
                           << "  - name: greeting\n"
                           << "    settings: {salutation: Howdy}\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
  }
  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  CommandResult Kubectl(const std::string& args,
                        const std::string& input = "") {
    return RunCommand("kubectl " + args,
                      KubectlEnv(*server_, dir_.path() + "/home"), input);
  }

  TempDir dir_;
  std::string config_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(GreetingServerTest, KindIsServedAndControllerWritesStatus) {
  auto plugins =
      RunCommand(BerthBinary() + " plugins list --config " + config_);
  ASSERT_EQ(plugins.exit_code, 0) << plugins.err;
  EXPECT_NE(plugins.out.find("greeting"), std::string::npos) << plugins.out;
  EXPECT_NE(plugins.out.find("Greeting"), std::string::npos) << plugins.out;

  auto resources = Kubectl("api-resources --api-group=example.berth.io");
  ASSERT_EQ(resources.exit_code, 0) << resources.err;
  EXPECT_NE(resources.out.find("greetings"), std::string::npos)
      << resources.out;
  EXPECT_NE(resources.out.find("gr "), std::string::npos) << resources.out;

  auto applied = Kubectl("apply -f -",
                         "apiVersion: example.berth.io/v1\n"
                         "kind: Greeting\n"
                         "metadata: {name: hello}\n"
                         "spec: {name: World}\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.out.find("greeting.example.berth.io/hello created"),
            std::string::npos)
      << applied.out;

  // The controller reacts to the watch event; give it a moment.
  std::string message;
  for (int i = 0; i < 100 && message != "Howdy, World!"; ++i) {
    auto got = Kubectl("get gr hello -o jsonpath={.status.message}");
    ASSERT_EQ(got.exit_code, 0) << got.err;
    message = got.out;
    if (message != "Howdy, World!") {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(message, "Howdy, World!");

  auto table = Kubectl("get greetings");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("MESSAGE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Howdy, World!"), std::string::npos) << table.out;

  // A changed spec is reconciled again.
  auto patched = Kubectl(
      "patch gr hello --type=merge -p '{\"spec\":{\"name\":\"Berth\"}}'");
  ASSERT_EQ(patched.exit_code, 0) << patched.err;
  for (int i = 0; i < 100 && message != "Howdy, Berth!"; ++i) {
    message = Kubectl("get gr hello -o jsonpath={.status.message}").out;
    if (message != "Howdy, Berth!") {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(message, "Howdy, Berth!");

  auto deleted = Kubectl("delete gr hello");
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(Kubectl("get gr hello").exit_code, 0);
}

TEST_F(GreetingServerTest, PluginValidationAndSchemaReachKubectl) {
  auto invalid = Kubectl("apply -f -",
                         "apiVersion: example.berth.io/v1\n"
                         "kind: Greeting\n"
                         "metadata: {name: nameless}\n"
                         "spec: {}\n");
  EXPECT_NE(invalid.exit_code, 0);
  EXPECT_NE(invalid.err.find("spec.name: Required value"), std::string::npos)
      << invalid.err;
  EXPECT_NE(Kubectl("get gr nameless").exit_code, 0);

  auto explain = Kubectl("explain greeting.spec");
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_NE(explain.out.find("name"), std::string::npos) << explain.out;
}

TEST(GreetingServerConfig, InvalidPluginSettingsStopStartWithOneLine) {
  TempDir dir;
  const std::string config = dir.path() + "/berth.yaml";
  std::ofstream(config) << "pluginDirs: [" << kPluginDir << "]\n"
                        << "plugins:\n"
                        << "  - core\n"
                        << "  - name: greeting\n"
                        << "    settings: {salutation: 42}\n";
  BerthServer server(dir.path() + "/data");
  EXPECT_FALSE(server.Start({"--config", config}));
  EXPECT_NE(server.log().find("greeting"), std::string::npos) << server.log();
  EXPECT_NE(server.log().find("settings.salutation"), std::string::npos)
      << server.log();
}

}  // namespace
}  // namespace berth::testing
