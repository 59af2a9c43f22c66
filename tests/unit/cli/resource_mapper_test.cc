#include "kernel/cli/resource_mapper.h"

#include <gtest/gtest.h>

namespace berth::cli {
namespace {

ResourceMapper Mapper() {
  std::vector<client::ApiResource> all;
  auto add = [&all](std::string group, std::string version, std::string plural,
                    std::string kind, std::string singular,
                    std::vector<std::string> shorts, bool preferred = true) {
    client::ApiResource r;
    r.ref = {group, version, plural};
    r.kind = kind;
    r.singular = singular;
    r.short_names = shorts;
    r.preferred = preferred;
    all.push_back(r);
  };
  add("", "v1", "pods", "Pod", "pod", {"po"});
  add("", "v1", "services", "Service", "service", {"svc"});
  add("", "v1", "events", "Event", "event", {"ev"});
  add("events.k8s.io", "v1", "events", "Event", "event", {"ev"});
  add("apps", "v1beta2", "deployments", "Deployment", "deployment", {"deploy"},
      false);
  add("apps", "v1", "deployments", "Deployment", "deployment", {"deploy"});
  return ResourceMapper(all);
}

TEST(ResourceMapperTest, EveryNameFormResolves) {
  ResourceMapper m = Mapper();
  for (const char* name : {"po", "pod", "pods", "Pod", "PODS"}) {
    const auto* r = m.ForName(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_EQ(r->ref.resource, "pods") << name;
  }
  EXPECT_EQ(m.ForName("svc")->kind, "Service");
  EXPECT_EQ(m.ForName("nope"), nullptr);
}

TEST(ResourceMapperTest, CoreAndPreferredVersionsWin) {
  ResourceMapper m = Mapper();
  EXPECT_EQ(m.ForName("ev")->ref.group, "");
  EXPECT_EQ(m.ForName("events.events.k8s.io")->ref.group, "events.k8s.io");
  EXPECT_EQ(m.ForName("deploy")->ref.version, "v1");
  EXPECT_EQ(m.ForName("deployments.v1beta2.apps")->ref.version, "v1beta2");
}

TEST(ResourceMapperTest, KindsResolveInTheirVersionOnly) {
  ResourceMapper m = Mapper();
  EXPECT_EQ(m.ForKind("apps/v1beta2", "Deployment")->ref.version, "v1beta2");
  EXPECT_EQ(m.ForKind("v1", "Pod")->ref.resource, "pods");
  EXPECT_EQ(m.ForKind("v1", "Deployment"), nullptr);
  EXPECT_EQ(m.ForKind("extensions/v1beta1", "Ingress"), nullptr);
  EXPECT_EQ(KindPrefix(*m.ForKind("apps/v1", "Deployment")), "deployment.apps");
  EXPECT_EQ(KindPrefix(*m.ForKind("v1", "Pod")), "pod");
}

}  // namespace
}  // namespace berth::cli
