#include "kernel/plugin/plugin_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "kernel/controller/informer_factory.h"
#include "tests/support/unavailable_client.h"

namespace berth {
namespace {

const std::string kPluginDir = BERTH_TEST_PLUGIN_DIR;

std::string PathOf(const std::string& name) {
  return kPluginDir + "/berth_" + name + ".so";
}

// True when the process has `path` mapped: the library is loaded.
bool IsMapped(const std::string& path) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find(path) != std::string::npos) return true;
  }
  return false;
}

// Records what plugins log: "<plugin>: <message>".
class RecordingHost : public Host {
 public:
  Client& client() override { return client_; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int level, const std::string& plugin,
           const std::string& message) override {
    lines.push_back(plugin + ": " + message);
  }
  void RecordEvent(const std::string&, const ObjectReference&,
                   const std::string&, const std::string&,
                   const std::string&) override {}
  std::vector<std::string> lines;

 private:
  testing::UnavailableClient client_;
  InformerFactory informers_{client_};
};

class PluginLoaderTest : public ::testing::Test {
 protected:
  Status Load(const std::string& name, const std::string& settings = "{}") {
    PluginSpec spec;
    spec.name = name;
    spec.settings_json = settings;
    return manager_.Load(spec, {"/nonexistent", kPluginDir});
  }

  RecordingHost host_;
  KindRegistry kinds_;
  PluginManager manager_{host_, kinds_};
};

TEST_F(PluginLoaderTest, LoadsAPluginAndRegistersWhatItProvides) {
  ASSERT_TRUE(Load("test_good", R"({"x":1})").ok());
  EXPECT_EQ(host_.lines,
            std::vector<std::string>{"test_good: registered {\"x\":1}"});

  const Kind* widget = kinds_.ByResource("test.berth.io", "v1", "widgets");
  ASSERT_NE(widget, nullptr);
  EXPECT_EQ(widget->Info().kind, "Widget");
  EXPECT_EQ(kinds_.PluginOf(widget), "test_good");

  auto controllers = manager_.Controllers();
  ASSERT_EQ(controllers.size(), 1u);
  EXPECT_EQ(controllers[0]->Name(), "widget");
  auto result = controllers[0]->Reconcile({"ns", "w1"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->requeue_after, std::chrono::milliseconds(42));

  auto loaded = manager_.Loaded();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].name, "test_good");
  EXPECT_EQ(loaded[0].version, "1.2.3");
  EXPECT_EQ(loaded[0].path, PathOf("test_good"));
  ASSERT_EQ(loaded[0].kinds.size(), 1u);
  EXPECT_EQ(loaded[0].kinds[0].api_version, "test.berth.io/v1");
  EXPECT_EQ(loaded[0].kinds[0].kind, "Widget");
  EXPECT_EQ(loaded[0].controllers, std::vector<std::string>{"widget"});
}

// Names a plugin asks for in the serving certificate are gathered in load
// order; an empty one refuses the plugin, though it swallowed the refusal.
TEST_F(PluginLoaderTest, ServingNamesAreGatheredAndAnEmptyOneRefused) {
  ASSERT_TRUE(Load("test_good").ok());
  ASSERT_TRUE(Load("test_named").ok());
  EXPECT_EQ(manager_.ServingNames(),
            std::vector<std::string>{"beacon.example.test"});
  Status s = Load("test_unnamed");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("AddServingName"), std::string::npos)
      << s.message();
  EXPECT_EQ(manager_.ServingNames(),
            std::vector<std::string>{"beacon.example.test"});
}

TEST_F(PluginLoaderTest, ShutsPluginsDownInReverseOrder) {
  ASSERT_TRUE(Load("test_good").ok());
  ASSERT_TRUE(Load("test_other").ok());
  host_.lines.clear();
  manager_.Shutdown();
  EXPECT_EQ(host_.lines, (std::vector<std::string>{"test_other: shutdown",
                                                   "test_good: shutdown"}));
  EXPECT_TRUE(manager_.Loaded().empty());
  manager_.Shutdown();  // idempotent
  EXPECT_EQ(host_.lines.size(), 2u);
}

TEST_F(PluginLoaderTest, ObjectsKeepTheirLibraryLoaded) {
  std::shared_ptr<Kind> kind;
  std::shared_ptr<Controller> controller;
  {
    KindRegistry kinds;
    PluginManager manager(host_, kinds);
    PluginSpec spec{"test_good", "{}"};
    ASSERT_TRUE(manager.Load(spec, {kPluginDir}).ok());
    kind = kinds.Share(kinds.ByKind("test.berth.io", "v1", "Widget"));
    controller = manager.Controllers().at(0);
    manager.Shutdown();
  }
  // Manager and registry are gone; the plugin's code must still be there.
  ASSERT_TRUE(IsMapped(PathOf("test_good")));
  JsonDoc obj;
  obj.Parse(R"({"spec":{}})");
  auto causes = kind->Validate(obj, nullptr);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "spec.size");
  EXPECT_TRUE(controller->Reconcile({"", "x"}).ok());

  kind.reset();
  EXPECT_TRUE(IsMapped(PathOf("test_good")));
  controller.reset();
  // The last reference held the last handle: now it may be unloaded.
  EXPECT_FALSE(IsMapped(PathOf("test_good")));
}

TEST_F(PluginLoaderTest, MissingPlugin) {
  Status s = Load("nope");
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.message(),
            "plugin \"nope\": not found in [/nonexistent, " + kPluginDir + "]");
}

TEST_F(PluginLoaderTest, RefusesAWrongBuildKeyBeforeCallingIt) {
  // The plugin aborts if its factory is called.
  Status s = Load("test_badkey");
  EXPECT_EQ(s.message(), "plugin \"test_badkey\" (" + PathOf("test_badkey") +
                             "): build key mismatch: plugin has "
                             "\"berth-sdk-abi=0;gcc=1;cxx11-abi=0;std=0\" but "
                             "the server needs \"" BERTH_BUILD_KEY "\"");
  EXPECT_TRUE(manager_.Loaded().empty());
}

TEST_F(PluginLoaderTest, UnresolvedSymbolsFailAtLoad) {
  Status s = Load("test_unresolved");
  ASSERT_FALSE(s.ok());
  const std::string prefix = "plugin \"test_unresolved\" (" +
                             PathOf("test_unresolved") + "): cannot load: ";
  EXPECT_EQ(s.message().rfind(prefix, 0), 0u) << s.message();
  EXPECT_NE(s.message().find("undefined symbol: berth_test_undefined_function"),
            std::string::npos)
      << s.message();
}

TEST_F(PluginLoaderTest, NotAnElfFile) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "berth_plugin_test_garbage";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "berth_garbage.so") << "not a library\n";
  PluginSpec spec{"garbage", "{}"};
  Status s = manager_.Load(spec, {dir.string()});
  std::filesystem::remove_all(dir);
  const std::string prefix = "plugin \"garbage\" (" +
                             (dir / "berth_garbage.so").string() +
                             "): cannot load: ";
  EXPECT_EQ(s.message().rfind(prefix, 0), 0u) << s.message();
  EXPECT_GT(s.message().size(), prefix.size());
  EXPECT_EQ(s.message().find('\n'), std::string::npos);
}

TEST_F(PluginLoaderTest, LibraryWithoutEntryPoints) {
  Status s = Load("test_nosymbol");
  EXPECT_EQ(s.message(), "plugin \"test_nosymbol\" (" +
                             PathOf("test_nosymbol") +
                             "): not a Berth plugin: missing symbol "
                             "berth_plugin_build_key");
}

TEST_F(PluginLoaderTest, RegisterErrorNamesThePlugin) {
  Status s = Load("test_strict", R"({"greeting":3})");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.message(),
            "plugin \"test_strict\": settings.greeting: must be a string");
  EXPECT_EQ(kinds_.ByKind("test.berth.io", "v1", "Strict"), nullptr);
  EXPECT_TRUE(manager_.Loaded().empty());

  EXPECT_TRUE(Load("test_strict", R"({"greeting":"hi"})").ok());
  EXPECT_NE(kinds_.ByKind("test.berth.io", "v1", "Strict"), nullptr);
}

TEST_F(PluginLoaderTest, TwoPluginsProvidingOneKind) {
  ASSERT_TRUE(Load("test_dup_a").ok());
  // test_dup_b adds Thing, then Gadget, and ignores the refusal.
  Status s = Load("test_dup_b");
  EXPECT_TRUE(s.IsAlreadyExists());
  EXPECT_EQ(s.message(),
            "plugin \"test_dup_b\": kind test.berth.io/v1 Gadget is already "
            "provided by plugin \"test_dup_a\"");
  // Nothing of the refused plugin stays registered.
  EXPECT_EQ(kinds_.ByKind("test.berth.io", "v1", "Thing"), nullptr);
  EXPECT_EQ(kinds_.PluginOf(kinds_.ByKind("test.berth.io", "v1", "Gadget")),
            "test_dup_a");
  ASSERT_EQ(manager_.Loaded().size(), 1u);
  // The refused plugin was asked to stop what it started.
  EXPECT_EQ(host_.lines.back(), "test_dup_b: shutdown");
}

TEST_F(PluginLoaderTest, SchedulerPluginsAreBrokeredAndNamesAreUnique) {
  ASSERT_TRUE(Load("test_sched_a").ok());
  auto plugins = manager_.SchedulerPlugins();
  ASSERT_EQ(plugins.size(), 1u);
  EXPECT_EQ(plugins[0]->Name(), "VendorSpread");
  EXPECT_EQ(plugins[0]->Points(), SchedulerPlugin::kFilter);
  EXPECT_EQ(manager_.Loaded()[0].scheduler_plugins,
            std::vector<std::string>{"VendorSpread"});
  Status s = Load("test_sched_b");
  EXPECT_TRUE(s.IsAlreadyExists());
  EXPECT_EQ(s.message(),
            "plugin \"test_sched_b\": scheduler plugin \"VendorSpread\" is "
            "already provided by plugin \"test_sched_a\"");
  EXPECT_EQ(manager_.SchedulerPlugins().size(), 1u);
}

TEST_F(PluginLoaderTest, LibraryNameMustMatchPluginName) {
  Status s = Load("test_misnamed");
  EXPECT_EQ(s.message(), "plugin \"test_misnamed\" (" +
                             PathOf("test_misnamed") +
                             "): the library calls itself \"someone_else\"");
}

TEST_F(PluginLoaderTest, LoadingTwiceIsRefused) {
  ASSERT_TRUE(Load("test_good").ok());
  Status s = Load("test_good");
  EXPECT_TRUE(s.IsAlreadyExists());
  EXPECT_EQ(s.message(),
            "plugin \"test_good\": already loaded from " + PathOf("test_good"));
}

TEST(PluginSearchDirsTest, EnvironmentThenConfigThenExecutableDirs) {
  setenv("BERTH_PLUGIN_PATH", "/env/a::/env/b", 1);
  PluginConfig config;
  config.plugin_dirs = {"/conf/dir"};
  std::vector<std::string> dirs = PluginSearchDirs(config);
  unsetenv("BERTH_PLUGIN_PATH");
  std::string exe_dir =
      std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
  std::string exe_parent =
      std::filesystem::path(exe_dir).parent_path().string();
  EXPECT_EQ(dirs, (std::vector<std::string>{"/env/a", "/env/b", "/conf/dir",
                                            exe_parent + "/plugins",
                                            exe_dir + "/plugins"}));
}

TEST(PluginManagerLoadAllTest, LoadsInConfigOrderAndStopsAtFirstFailure) {
  RecordingHost host;
  KindRegistry kinds;
  PluginManager manager(host, kinds);
  auto config = ParsePluginConfig(
      "pluginDirs: [" + kPluginDir +
          "]\nplugins: [test_other, test_good, missing_one, test_dup_a]\n",
      "t.yaml", "/");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  Status s = manager.LoadAll(*config);
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.message().rfind("plugin \"missing_one\": not found in [", 0), 0u);
  auto loaded = manager.Loaded();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].name, "test_other");
  EXPECT_EQ(loaded[1].name, "test_good");
}

}  // namespace
}  // namespace berth
