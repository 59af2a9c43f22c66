// The serviceaccount controller: every live namespace gets a `default`
// ServiceAccount, made again when deleted; a terminating namespace gets
// none and an existing account is left as it is.
#include "service_account_controller.h"

#include <string>

#include "fake_client.h"
#include "test_util.h"

namespace berth::core {
namespace {

// FakeClient whose Create stores the object, as the server would.
class CreatingClient : public FakeClient {
 public:
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    JsonDoc d = Parse(object);
    const std::string key =
        r.resource + "/" + ns + "/" + GetString(d, {"metadata", "name"});
    if (objects.count(key)) return Status::AlreadyExists(key);
    objects[key] = object;
    ++creates;
    return object;
  }
  int creates = 0;
};

TEST(ServiceAccountController, EveryLiveNamespaceGetsDefault) {
  CreatingClient client;
  client.objects["namespaces//blue"] = R"({"metadata":{"name":"blue"}})";
  ServiceAccountController controller(client);
  ASSERT_TRUE(controller.Reconcile({"", "blue"}).ok());
  JsonDoc sa = Parse(client.objects.at("serviceaccounts/blue/default"));
  EXPECT_EQ(GetString(sa, {"kind"}), "ServiceAccount");
  EXPECT_EQ(GetString(sa, {"metadata", "namespace"}), "blue");
  ASSERT_TRUE(controller.Reconcile({"", "blue"}).ok());
  EXPECT_EQ(client.creates, 1);

  // Deleted: the trigger on ServiceAccounts makes it again.
  client.objects.erase("serviceaccounts/blue/default");
  auto trigger = controller.ServiceAccountTrigger();
  ASSERT_TRUE(trigger->Reconcile({"blue", "builder"}).ok());
  EXPECT_FALSE(client.objects.count("serviceaccounts/blue/default"));
  ASSERT_TRUE(trigger->Reconcile({"blue", "default"}).ok());
  EXPECT_TRUE(client.objects.count("serviceaccounts/blue/default"));
}

TEST(ServiceAccountController, TerminatingOrMissingNamespacesGetNone) {
  CreatingClient client;
  client.objects["namespaces//gone"] =
      R"({"metadata":{"name":"gone","deletionTimestamp":"2026-01-01T00:00:00Z"}})";
  ServiceAccountController controller(client);
  ASSERT_TRUE(controller.Reconcile({"", "gone"}).ok());
  ASSERT_TRUE(controller.Reconcile({"", "absent"}).ok());
  EXPECT_EQ(client.creates, 0);
}

}  // namespace
}  // namespace berth::core
