#include <chrono>

#include "age.h"
#include "base64.h"
#include "pod_spec.h"
#include "quantity.h"
#include "service_network.h"
#include "test_util.h"
#include "validation.h"

namespace berth::core {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(HumanDuration, FollowsKubectlRules) {
  EXPECT_EQ(HumanDuration(seconds(-5)), "<invalid>");
  EXPECT_EQ(HumanDuration(seconds(-1)), "0s");
  EXPECT_EQ(HumanDuration(seconds(45)), "45s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(120)), "2m");
  EXPECT_EQ(HumanDuration(seconds(150)), "2m30s");
  EXPECT_EQ(HumanDuration(minutes(5)), "5m");
  EXPECT_EQ(HumanDuration(minutes(10) + seconds(30)), "10m");
  EXPECT_EQ(HumanDuration(minutes(179)), "179m");
  EXPECT_EQ(HumanDuration(hours(3)), "3h");
  EXPECT_EQ(HumanDuration(hours(3) + minutes(20)), "3h20m");
  EXPECT_EQ(HumanDuration(hours(8) + minutes(20)), "8h");
  EXPECT_EQ(HumanDuration(hours(47)), "47h");
  EXPECT_EQ(HumanDuration(hours(48)), "2d");
  EXPECT_EQ(HumanDuration(hours(51)), "2d3h");
  EXPECT_EQ(HumanDuration(hours(24 * 9)), "9d");
  EXPECT_EQ(HumanDuration(hours(24 * 365 * 2)), "2y");
  EXPECT_EQ(HumanDuration(hours(24 * (365 * 2 + 10))), "2y10d");
  EXPECT_EQ(HumanDuration(hours(24 * 365 * 9)), "9y");
}

TEST(AgeSince, ParsesRfc3339) {
  auto now = *ParseTimestamp("2024-03-01T12:00:00Z");
  JsonDoc d = Parse(
      R"({"t":"2024-03-01T11:55:00Z","u":"2024-03-01T11:59:15.5+00:00"})");
  EXPECT_EQ(AgeSince(Member(d, "t"), now), "5m");
  EXPECT_EQ(AgeSince(Member(d, "u"), now), "44s");
  EXPECT_EQ(AgeSince(nullptr, now), "<unknown>");
  EXPECT_FALSE(ParseTimestamp("yesterday"));
}

TEST(Validation, Dns1123AndConfigKeys) {
  EXPECT_TRUE(IsDns1123Label("web-1").empty());
  EXPECT_FALSE(IsDns1123Label("Web").empty());
  EXPECT_FALSE(IsDns1123Label("-a").empty());
  EXPECT_FALSE(IsDns1123Label(std::string(64, 'a')).empty());
  EXPECT_TRUE(IsDns1123Subdomain("a.b-c.d").empty());
  EXPECT_FALSE(IsDns1123Subdomain("a..b").empty());
  EXPECT_TRUE(IsConfigMapKey("http.addr").empty());
  EXPECT_TRUE(IsConfigMapKey(".dockerconfigjson").empty());
  EXPECT_FALSE(IsConfigMapKey("a/b").empty());
  EXPECT_FALSE(IsConfigMapKey("..").empty());
  EXPECT_TRUE(IsQualifiedName("app.kubernetes.io/name").empty());
  EXPECT_FALSE(IsQualifiedName("bad key").empty());
  EXPECT_TRUE(IsValidLabelValue("").empty());
  EXPECT_FALSE(IsValidLabelValue("-x").empty());
}

TEST(Quantity, CanonicalLikeQuantityString) {
  EXPECT_EQ(CanonicalQuantity("2Gi"), "2Gi");
  EXPECT_EQ(CanonicalQuantity("2048Mi"), "2Gi");
  EXPECT_EQ(CanonicalQuantity("1536Mi"), "1536Mi");
  EXPECT_EQ(CanonicalQuantity("0.5Gi"), "512Mi");
  EXPECT_EQ(CanonicalQuantity("0.5Ki"), "512");
  EXPECT_EQ(CanonicalQuantity("1000M"), "1G");
  EXPECT_EQ(CanonicalQuantity("5000000000"), "5G");
  EXPECT_EQ(CanonicalQuantity("1500M"), "1500M");
  EXPECT_EQ(CanonicalQuantity("0"), "0");
  // Not whole, exponents, nonsense: as written.
  EXPECT_EQ(CanonicalQuantity("250m"), "250m");
  EXPECT_EQ(CanonicalQuantity("1e3"), "1e3");
  EXPECT_EQ(CanonicalQuantity("lots"), "lots");
}

TEST(Quantity, ParsesSuffixes) {
  EXPECT_DOUBLE_EQ(double(*ParseQuantity("250m")), 0.25);
  EXPECT_DOUBLE_EQ(double(*ParseQuantity("64Mi")), 64.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(double(*ParseQuantity("1.5")), 1.5);
  EXPECT_DOUBLE_EQ(double(*ParseQuantity("2e3")), 2000);
  EXPECT_DOUBLE_EQ(double(*ParseQuantity("1G")), 1e9);
  EXPECT_FALSE(ParseQuantity("abc"));
  EXPECT_FALSE(ParseQuantity("1Qi"));
  EXPECT_FALSE(ParseQuantity(""));
}

TEST(Base64, RoundTripsAndRejects) {
  EXPECT_EQ(Base64Encode("django"), "ZGphbmdv");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(*Base64Decode("ZGphbmdv"), "django");
  EXPECT_EQ(*Base64Decode("YWI="), "ab");
  EXPECT_FALSE(Base64Decode("not base64!"));
  EXPECT_FALSE(Base64Decode("YWI"));
}

TEST(PullPolicy, LatestOrUntaggedIsAlways) {
  EXPECT_EQ(DefaultPullPolicy("nginx"), "Always");
  EXPECT_EQ(DefaultPullPolicy("nginx:latest"), "Always");
  EXPECT_EQ(DefaultPullPolicy("nginx:1.15.11"), "IfNotPresent");
  EXPECT_EQ(DefaultPullPolicy("registry:5000/app"), "Always");
  EXPECT_EQ(DefaultPullPolicy("registry:5000/app:v1"), "IfNotPresent");
  EXPECT_EQ(DefaultPullPolicy("app@sha256:abc"), "IfNotPresent");
}

TEST(ServiceNetwork, DefaultsAndInvalidSettings) {
  auto net = ParseServiceNetwork("{}");
  ASSERT_TRUE(net.ok());
  EXPECT_EQ(FormatIpv4(net->FirstIp()), "10.96.0.1");
  EXPECT_EQ(FormatIpv4(net->LastIp()), "10.111.255.254");
  EXPECT_EQ(net->port_first, 30000u);
  EXPECT_EQ(net->port_last, 32767u);

  auto bad_cidr =
      ParseServiceNetwork(R"({"serviceClusterIPRange":"10.0.0/8"})");
  ASSERT_FALSE(bad_cidr.ok());
  EXPECT_EQ(bad_cidr.status().code(), Status::Code::kInvalid);
  EXPECT_NE(bad_cidr.status().message().find("serviceClusterIPRange"),
            std::string::npos);
  auto bad_ports =
      ParseServiceNetwork(R"({"serviceNodePortRange":"32767-30000"})");
  ASSERT_FALSE(bad_ports.ok());
  EXPECT_NE(bad_ports.status().message().find("serviceNodePortRange"),
            std::string::npos);
}

TEST(PodSpecMergeKey, UsesPrefix) {
  EXPECT_EQ(
      PodSpecMergeKey("spec.template.spec.containers", "spec.template.spec"),
      "name");
  EXPECT_EQ(PodSpecMergeKey("spec.containers.ports", "spec"), "containerPort");
  EXPECT_EQ(PodSpecMergeKey("spec.initContainers.volumeMounts", "spec"),
            "mountPath");
  EXPECT_EQ(PodSpecMergeKey("spec.hostAliases", "spec"), "ip");
  EXPECT_FALSE(PodSpecMergeKey("spec.tolerations", "spec"));
  EXPECT_FALSE(PodSpecMergeKey("spec.containers", "spec.template.spec"));
}

}  // namespace
}  // namespace berth::core
