// pods/binding and pods/eviction against a real `berth server`, through the
// SDK client as a scheduler or a drain would use them: a binding sets
// spec.nodeName, a second one is refused with Kubernetes' 409, an eviction
// deletes the pod, and discovery lists both as create-only subresources.
#include <gtest/gtest.h>

#include "berth/json.h"
#include "kernel/client/remote_client.h"
#include "tests/support/process.h"

namespace berth::client {
namespace {

using testing::BerthServer;
using testing::TempDir;

const ResourceRef kPods{"", "v1", "pods"};

std::string Pod(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"("},"spec":{"containers":[{"name":"c","image":"busybox"}]}})";
}

std::string Binding(const std::string& pod, const std::string& node) {
  return R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":")" + pod +
         R"("},"target":{"apiVersion":"v1","kind":"Node","name":")" + node +
         R"("}})";
}

class PodSubresourcesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new BerthServer(dir_->path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
  }
  static void TearDownTestSuite() {
    if (server_) server_->Stop();
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    auto c = RemoteClient::FromKubeconfig(server_->kubeconfig());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    remote_ = std::move(c).value();
    client_ = remote_.get();
  }
  std::string NodeName(const std::string& pod) {
    auto got = client_->Get(kPods, "default", pod);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok()) return "";
    return GetString(*ParseJson(*got), {"spec", "nodeName"});
  }

  static TempDir* dir_;
  static BerthServer* server_;
  std::unique_ptr<RemoteClient> remote_;
  Client* client_ = nullptr;  // the SDK interface, as plugins see it
};

TempDir* PodSubresourcesTest::dir_ = nullptr;
BerthServer* PodSubresourcesTest::server_ = nullptr;

TEST_F(PodSubresourcesTest, BindingSetsNodeNameOnceThenConflicts) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("bind-me")).ok());
  auto bound = client_->CreateSubresource(kPods, "default", "bind-me",
                                          "binding", Binding("bind-me", "n1"));
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  auto status = ParseJson(*bound);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(GetString(*status, {"kind"}), "Status");
  EXPECT_EQ(GetString(*status, {"status"}), "Success");
  EXPECT_EQ(NodeName("bind-me"), "n1");

  auto again = client_->CreateSubresource(kPods, "default", "bind-me",
                                          "binding", Binding("bind-me", "n2"));
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsConflict()) << again.status().ToString();
  EXPECT_EQ(again.status().message(),
            "Operation cannot be fulfilled on pods/binding \"bind-me\": pod "
            "bind-me is already assigned to node \"n1\"");
  EXPECT_EQ(NodeName("bind-me"), "n1");
}

// As kube-apiserver's binding storage: the pod is marked PodScheduled=True
// (replacing an Unschedulable report) and takes the Binding's annotations.
TEST_F(PodSubresourcesTest, BindingMarksPodScheduledAndCopiesAnnotations) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("noted")).ok());
  auto reported = client_->MergePatch(
      kPods, "default", "noted",
      R"({"status":{"conditions":[{"type":"PodScheduled","status":"False",)"
      R"("reason":"Unschedulable","message":"0/0 nodes are available"}]}})",
      "status");
  ASSERT_TRUE(reported.ok()) << reported.status().ToString();
  auto bound = client_->CreateSubresource(
      kPods, "default", "noted", "binding",
      R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"noted",)"
      R"("annotations":{"example.com/placed-by":"test"}},)"
      R"("target":{"kind":"Node","name":"n1"}})");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  auto got = client_->Get(kPods, "default", "noted");
  ASSERT_TRUE(got.ok());
  auto pod = ParseJson(*got);
  ASSERT_TRUE(pod.ok());
  EXPECT_EQ(
      GetString(*pod, {"metadata", "annotations", "example.com/placed-by"}),
      "test");
  const Json* conditions = Find(*pod, {"status", "conditions"});
  ASSERT_TRUE(conditions && conditions->IsArray()) << *got;
  ASSERT_EQ(conditions->Size(), 1u) << *got;
  const Json& c = (*conditions)[0];
  EXPECT_EQ(GetString(c, {"type"}), "PodScheduled");
  EXPECT_EQ(GetString(c, {"status"}), "True");
  EXPECT_EQ(Member(c, "reason"), nullptr) << *got;
  EXPECT_FALSE(GetString(c, {"lastTransitionTime"}).empty());
}

TEST_F(PodSubresourcesTest, BindingAnswers201AndBadTargetIsInvalid) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("raw")).ok());
  auto reply = remote_->transport().Send(ApiRequest::WithBody(
      "POST", "/api/v1/namespaces/default/pods/raw/binding", "application/json",
      Binding("raw", "n1")));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->http_code, 201) << reply->body;

  ASSERT_TRUE(client_->Create(kPods, "default", Pod("no-target")).ok());
  auto invalid = client_->CreateSubresource(
      kPods, "default", "no-target", "binding", Binding("no-target", ""));
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(NodeName("no-target"), "");
}

TEST_F(PodSubresourcesTest, BindingOfMissingPodIsNotFound) {
  auto r = client_->CreateSubresource(kPods, "default", "absent", "binding",
                                      Binding("absent", "n1"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
}

TEST_F(PodSubresourcesTest, UpdateMayNotMoveABoundPod) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("stay")).ok());
  ASSERT_TRUE(client_
                  ->CreateSubresource(kPods, "default", "stay", "binding",
                                      Binding("stay", "n1"))
                  .ok());
  auto moved = client_->MergePatch(kPods, "default", "stay",
                                   R"({"spec":{"nodeName":"n2"}})");
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(NodeName("stay"), "n1");
}

TEST_F(PodSubresourcesTest, EvictionDeletesThePod) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("evict-me")).ok());
  auto r = client_->CreateSubresource(
      kPods, "default", "evict-me", "eviction",
      R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":)"
      R"({"name":"evict-me","namespace":"default"}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto got = client_->Get(kPods, "default", "evict-me");
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsNotFound());
}

TEST_F(PodSubresourcesTest, GetOfAnActionSubresourceIsNotAllowed) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("get-binding")).ok());
  auto reply = remote_->transport().Send(ApiRequest::Bodiless(
      "GET", "/api/v1/namespaces/default/pods/get-binding/binding"));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->http_code, 405) << reply->body;
}

TEST_F(PodSubresourcesTest, DiscoveryListsBindingAndEviction) {
  auto list = remote_->transport().Call(ApiRequest::Bodiless("GET", "/api/v1"));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  auto doc = ParseJson(*list);
  ASSERT_TRUE(doc.ok());
  std::string binding, eviction;
  for (const auto& r : (*doc)["resources"].GetArray()) {
    if (GetString(r, {"name"}) == "pods/binding") binding = ToJson(r);
    if (GetString(r, {"name"}) == "pods/eviction") eviction = ToJson(r);
  }
  EXPECT_NE(binding.find(R"("kind":"Binding")"), std::string::npos) << binding;
  EXPECT_NE(binding.find(R"("verbs":["create"])"), std::string::npos);
  EXPECT_NE(eviction.find(R"("group":"policy","version":"v1")"),
            std::string::npos)
      << eviction;
  EXPECT_NE(eviction.find(R"("kind":"Eviction")"), std::string::npos);
}

TEST_F(PodSubresourcesTest, DeletePreconditionMismatchIsConflict) {
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("pre")).ok());
  DeleteOptions opts;
  opts.precondition_uid = "not-the-uid";
  Status s = client_->Delete(kPods, "default", "pre", opts);
  EXPECT_TRUE(s.IsConflict()) << s.ToString();
  EXPECT_NE(s.message().find("Precondition failed: UID in precondition: "
                             "not-the-uid"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(client_->Get(kPods, "default", "pre").ok());
  auto got = client_->Get(kPods, "default", "pre");
  opts.precondition_uid = GetString(*ParseJson(*got), {"metadata", "uid"});
  EXPECT_TRUE(client_->Delete(kPods, "default", "pre", opts).ok());
}

}  // namespace
}  // namespace berth::client
