// Kinds served in more than one version of their group
// (KindInfo::also_served_versions): version priority, discovery and
// OpenAPI for the extra version, and the ResourceService converting bodies
// and patches in while the store keeps the kind's own version.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "kernel/api/server/discovery.h"
#include "kernel/api/server/in_process_client.h"
#include "kernel/api/server/openapi.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/server/version_conversion.h"
#include "kernel/api/server/version_priority.h"
#include "kernel/api/server/watch_encoder.h"
#include "tests/support/process.h"
#include "tests/support/versioned_kind.h"

namespace berth::api {
namespace {

TEST(VersionPriorityTest, KubernetesOrderNotStringOrder) {
  std::vector<std::string> v = {"v1alpha1", "foo",     "v1beta2", "v1",
                                "v2",       "v1beta1", "bar",     "v2beta1"};
  std::sort(v.begin(), v.end(), VersionPriorityLess());
  std::reverse(v.begin(), v.end());  // preferred first, as discovery lists
  EXPECT_EQ(v, (std::vector<std::string>{"v2", "v1", "v2beta1", "v1beta2",
                                         "v1beta1", "v1alpha1", "bar", "foo"}));
}

TEST(MultiVersionDiscoveryTest, ExtraVersionListedOwnVersionPreferred) {
  testing::VersionedKind kind;
  Discovery d({&kind});
  auto group = ParseJson(d.ApiGroup("example.com"));
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(GetString(*group, {"preferredVersion", "version"}), "v1");
  const Json& versions = (*group)["versions"];
  ASSERT_EQ(versions.Size(), 2u);
  EXPECT_EQ(GetString(versions[0], {"version"}), "v1");
  EXPECT_EQ(GetString(versions[1], {"version"}), "v1beta1");

  auto list = ParseJson(d.ResourceList("example.com", "v1beta1"));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(GetString(*list, {"groupVersion"}), "example.com/v1beta1");
  EXPECT_EQ(GetString((*list)["resources"][0], {"name"}), "widgets");

  auto aggregated = ParseJson(d.AggregatedGroups("v2"));
  ASSERT_TRUE(aggregated.ok());
  const Json& agg_versions = (*aggregated)["items"][0]["versions"];
  ASSERT_EQ(agg_versions.Size(), 2u);
  EXPECT_EQ(GetString(agg_versions[0], {"version"}), "v1");
  EXPECT_EQ(GetString(agg_versions[1], {"version"}), "v1beta1");
  EXPECT_EQ(
      GetString(agg_versions[1]["resources"][0], {"responseKind", "version"}),
      "v1beta1");
}

TEST(MultiVersionOpenApiTest, ExtraVersionDocumentCarriesItsGvk) {
  testing::VersionedKind kind;
  OpenApi openapi({&kind});
  ASSERT_NE(openapi.Document("apis/example.com/v1"), nullptr);
  const std::string* doc = openapi.Document("apis/example.com/v1beta1");
  ASSERT_NE(doc, nullptr);
  auto d = ParseJson(*doc);
  ASSERT_TRUE(d.ok());
  const Json* patch =
      Find(*d, {"paths",
                "/apis/example.com/v1beta1/namespaces/{namespace}/widgets/"
                "{name}",
                "patch"});
  ASSERT_NE(patch, nullptr) << *doc;
  EXPECT_EQ(GetString(*patch, {"x-kubernetes-group-version-kind", "version"}),
            "v1beta1");
  const Json* schemas = Find(*d, {"components", "schemas"});
  ASSERT_NE(schemas, nullptr);
  bool found = false;
  for (auto& m : schemas->GetObject()) {
    const Json* gvks = Member(m.value, "x-kubernetes-group-version-kind");
    if (!gvks || !gvks->IsArray()) continue;
    for (auto& g : gvks->GetArray()) {
      if (GetString(g, {"version"}) == "v1beta1" &&
          GetString(g, {"kind"}) == "Widget") {
        found = true;
      }
    }
  }
  EXPECT_TRUE(found) << *doc;
}

class MultiVersionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenLevelDbStore(dir_.path() + "/store", {});
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    service_ = std::make_unique<ResourceService>(store_.get());
    beta_.version = "v1beta1";
  }
  JsonDoc Stored(const std::string& name) {
    auto o = service_->Get(kind_, "default", name);
    EXPECT_TRUE(o.ok());
    JsonDoc d;
    if (o.ok()) d.Parse(o->data->data(), o->data->size());
    return d;
  }
  StatusOr<WriteResult> CreateBeta(const std::string& name, int size) {
    auto doc =
        ParseJson(R"({"apiVersion":"example.com/v1beta1","kind":"Widget",)"
                  R"("metadata":{"name":")" +
                  name + R"("},"spec":{"size":)" + std::to_string(size) + "}}");
    return service_->Create(kind_, "default", std::move(doc).value(), beta_);
  }

  testing::TempDir dir_;
  testing::VersionedKind kind_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ResourceService> service_;
  WriteOptions beta_;
};

TEST_F(MultiVersionServiceTest, CreateInExtraVersionStoresOwnVersion) {
  auto r = CreateBeta("w", 3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  JsonDoc stored = Stored("w");
  EXPECT_EQ(GetString(stored, {"apiVersion"}), "example.com/v1");
  EXPECT_EQ(GetInt(stored, {"spec", "replicas"}), 3);
  EXPECT_EQ(Find(stored, {"spec", "size"}), nullptr);
  // managedFields name the version the client wrote.
  EXPECT_NE(ToJson(stored).find(R"("apiVersion":"example.com/v1beta1")"),
            std::string::npos);
}

TEST_F(MultiVersionServiceTest, BodyOfAnotherVersionIsRefused) {
  auto doc =
      ParseJson(R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":)"
                R"({"name":"w"},"spec":{"replicas":1}})");
  auto r = service_->Create(kind_, "default", std::move(doc).value(), beta_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kBadRequest);
  EXPECT_NE(r.status().message().find("(example.com/v1beta1)"),
            std::string::npos)
      << r.status().message();
}

TEST_F(MultiVersionServiceTest, PatchInExtraVersionSeesThatVersionsFields) {
  ASSERT_TRUE(CreateBeta("w", 3).ok());
  auto r = service_->Patch(kind_, "default", "w", "", PatchType::kMerge,
                           R"({"spec":{"size":5}})", beta_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  JsonDoc stored = Stored("w");
  EXPECT_EQ(GetInt(stored, {"spec", "replicas"}), 5);
  EXPECT_EQ(Find(stored, {"spec", "size"}), nullptr);

  auto json_patch =
      service_->Patch(kind_, "default", "w", "", PatchType::kJson,
                      R"([{"op":"test","path":"/spec/size","value":5},)"
                      R"({"op":"replace","path":"/spec/size","value":6}])",
                      beta_);
  ASSERT_TRUE(json_patch.ok()) << json_patch.status().message();
  EXPECT_EQ(GetInt(Stored("w"), {"spec", "replicas"}), 6);
}

TEST_F(MultiVersionServiceTest, UpdateInExtraVersionIsConverted) {
  ASSERT_TRUE(CreateBeta("w", 3).ok());
  auto doc = ParseJson(R"({"apiVersion":"example.com/v1beta1","kind":"Widget",)"
                       R"("metadata":{"name":"w"},"spec":{"size":8}})");
  auto r = service_->Update(kind_, "default", "w", "", std::move(doc).value(),
                            beta_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(GetInt(Stored("w"), {"spec", "replicas"}), 8);
}

TEST_F(MultiVersionServiceTest, StoredObjectConvertsOutToTheRequestedVersion) {
  auto r = CreateBeta("w", 4);
  ASSERT_TRUE(r.ok());
  auto out = ConvertOut(kind_, "v1beta1", r->object.data);
  auto d = ParseJson(*out);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(GetString(*d, {"apiVersion"}), "example.com/v1beta1");
  EXPECT_EQ(GetInt(*d, {"spec", "size"}), 4);
  // The own version is the stored bytes themselves.
  EXPECT_EQ(ConvertOut(kind_, "", r->object.data), r->object.data);
  EXPECT_EQ(ConvertOut(kind_, "v1", r->object.data), r->object.data);
}

TEST_F(MultiVersionServiceTest, InProcessClientSpeaksTheVersionItIsAskedIn) {
  KindRegistry kinds;
  ASSERT_TRUE(kinds.Add(std::make_shared<testing::VersionedKind>(), "t").ok());
  kinds.Freeze();
  InProcessClient client(&kinds, service_.get());
  const ResourceRef beta{"example.com", "v1beta1", "widgets"};
  const ResourceRef own{"example.com", "v1", "widgets"};
  auto created =
      client.Create(beta, "default",
                    R"({"apiVersion":"example.com/v1beta1","kind":"Widget",)"
                    R"("metadata":{"name":"c"},"spec":{"size":9}})");
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(GetInt(*ParseJson(*created), {"spec", "size"}), 9);
  auto got = client.Get(own, "default", "c");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(GetInt(*ParseJson(*got), {"spec", "replicas"}), 9);
  auto listed = client.List(beta, "default", {});
  ASSERT_TRUE(listed.ok());
  auto list = ParseJson(*listed);
  EXPECT_EQ(GetString(*list, {"apiVersion"}), "example.com/v1beta1");
  EXPECT_EQ(GetInt((*list)["items"][0], {"spec", "size"}), 9);
}

TEST(MultiVersionWatchTest, EventsAndBookmarksCarryTheStreamsVersion) {
  testing::VersionedKind kind;
  store::Event ev;
  ev.type = store::Event::Type::kAdded;
  ev.object.data = std::make_shared<const std::string>(
      R"({"apiVersion":"example.com/v1","kind":"Widget",)"
      R"("metadata":{"name":"w"},"spec":{"replicas":2}})");
  store::SharedEvent shared(std::move(ev));
  WatchEncoder beta(kind, false, IncludeObject::kMetadata, "v1beta1");
  std::string out;
  beta.AppendEvent(shared, &out);
  EXPECT_NE(out.find(R"("apiVersion":"example.com/v1beta1")"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("size":2)"), std::string::npos) << out;
  EXPECT_NE(beta.BookmarkLine(7).find(R"("apiVersion":"example.com/v1beta1")"),
            std::string::npos);

  WatchEncoder own(kind, false, IncludeObject::kMetadata);
  std::string plain;
  own.AppendEvent(shared, &plain);
  EXPECT_NE(plain.find(R"("replicas":2)"), std::string::npos) << plain;
}

}  // namespace
}  // namespace berth::api
