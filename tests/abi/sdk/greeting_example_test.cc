// The SDK example plugin as the server runs it: loaded through the plugin
// manager, its kind validating and printing, its controller writing status.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kernel/controller/informer_factory.h"
#include "kernel/plugin/plugin_loader.h"
#include "tests/support/unavailable_client.h"

namespace berth {
namespace {

const ResourceRef kGreetings{"example.berth.io", "v1", "greetings"};

// Serves one stored object and records merge patches.
class OneObjectClient : public testing::UnavailableClient {
 public:
  std::string stored;  // "" means NotFound
  struct Patch {
    std::string ns, name, body, subresource;
  };
  std::vector<Patch> patches;

  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    if (stored.empty()) return Status::NotFound("greetings \"" + name + "\"");
    return stored;
  }
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string& subresource) override {
    patches.push_back({ns, name, patch, subresource});
    return stored;
  }
};

class TestHost : public Host {
 public:
  Client& client() override { return client_; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string&, const ObjectReference&,
                   const std::string&, const std::string&,
                   const std::string&) override {}
  OneObjectClient client_;
  InformerFactory informers_{client_};
};

class GreetingExampleTest : public ::testing::Test {
 protected:
  Status Load(const std::string& settings) {
    return manager_.Load({"greeting", settings}, {BERTH_GREETING_PLUGIN_DIR});
  }
  TestHost host_;
  KindRegistry kinds_;
  PluginManager manager_{host_, kinds_};
};

TEST_F(GreetingExampleTest, ProvidesTheGreetingKind) {
  ASSERT_TRUE(Load("{}").ok());
  const Kind* kind = kinds_.ByResource("example.berth.io", "v1", "greetings");
  ASSERT_NE(kind, nullptr);
  const KindInfo& info = kind->Info();
  EXPECT_EQ(info.kind, "Greeting");
  EXPECT_TRUE(info.namespaced);
  EXPECT_TRUE(info.status_subresource);
  EXPECT_EQ(info.short_names, std::vector<std::string>{"gr"});

  JsonDoc empty;
  empty.Parse(R"({"metadata":{"name":"g"},"spec":{}})");
  auto causes = kind->Validate(empty, nullptr);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "spec.name");
  EXPECT_EQ(causes[0].message, "Required value");

  std::vector<std::string> columns;
  for (const auto& c : kind->Columns()) columns.push_back(c.name);
  EXPECT_EQ(columns, (std::vector<std::string>{"Name", "Message", "Age"}));
  JsonDoc obj;
  obj.Parse(
      R"({"metadata":{"name":"g","creationTimestamp":"2024-01-01T00:00:00Z"},)"
      R"("spec":{"name":"World"},"status":{"message":"Hello, World!"}})");
  EXPECT_TRUE(kind->Validate(obj, nullptr).empty());
  JsonDoc cells(rapidjson::kArrayType);
  kind->Cells(obj, std::chrono::system_clock::from_time_t(1704067200 + 300),
              cells, cells.GetAllocator());
  EXPECT_EQ(ToJson(cells), R"(["g","Hello, World!","5m"])");

  auto schemas = ParseJson(kind->OpenApiSchemas());
  ASSERT_TRUE(schemas.ok());
  EXPECT_EQ(GetString(*schemas, {"io.berth.example.v1.Greeting", "properties",
                                 "spec", "properties", "name", "type"}),
            "string");
}

TEST_F(GreetingExampleTest, ControllerWritesTheGreetingToStatus) {
  ASSERT_TRUE(Load(R"({"salutation":"Hi"})").ok());
  auto controllers = manager_.Controllers();
  ASSERT_EQ(controllers.size(), 1u);
  EXPECT_EQ(controllers[0]->Primary().resource, "greetings");

  host_.client_.stored =
      R"({"metadata":{"name":"g","namespace":"ns"},"spec":{"name":"World"}})";
  ASSERT_TRUE(controllers[0]->Reconcile({"ns", "g"}).ok());
  ASSERT_EQ(host_.client_.patches.size(), 1u);
  EXPECT_EQ(host_.client_.patches[0].body,
            R"({"status":{"message":"Hi, World!"}})");
  EXPECT_EQ(host_.client_.patches[0].subresource, "status");
  EXPECT_EQ(host_.client_.patches[0].name, "g");

  // Already greeted: no write. Gone: nothing to do.
  host_.client_.stored =
      R"({"metadata":{"name":"g","namespace":"ns"},"spec":{"name":"World"},)"
      R"("status":{"message":"Hi, World!"}})";
  ASSERT_TRUE(controllers[0]->Reconcile({"ns", "g"}).ok());
  host_.client_.stored = "";
  ASSERT_TRUE(controllers[0]->Reconcile({"ns", "g"}).ok());
  EXPECT_EQ(host_.client_.patches.size(), 1u);
}

TEST_F(GreetingExampleTest, RefusesBadSettings) {
  Status s = Load(R"({"salutation":7})");
  EXPECT_EQ(s.message(),
            "plugin \"greeting\": settings.salutation: must be a non-empty "
            "string");
}

}  // namespace
}  // namespace berth
