#include "service_kind.h"

#include <set>

#include "age.h"
#include "test_util.h"

namespace berth::core {
namespace {

using ::testing::ElementsAre;

ServiceNetwork Network(const std::string& settings = "{}") {
  auto n = ParseServiceNetwork(settings);
  EXPECT_TRUE(n.ok());
  return *n;
}

JsonDoc Prepared(ServiceKind& kind, const std::string& text, Status* status) {
  JsonDoc d = Parse(text);
  kind.Default(d, d.GetAllocator());
  *status = kind.PrepareForCreate(d, d.GetAllocator());
  return d;
}

constexpr const char* kNodePort = R"({"metadata":{"name":"ps-nodeport"},
  "spec":{"type":"NodePort","selector":{"app":"web"},
    "ports":[{"port":80,"targetPort":8080,"nodePort":31111,"protocol":"TCP"}]}})";

TEST(ServiceKind, DefaultsLikeKubernetes) {
  ServiceKind svcs(Network(), nullptr);
  EXPECT_THAT(svcs.Info().short_names, ElementsAre("svc"));
  JsonDoc svc = Parse(R"({"metadata":{"name":"postgres-service"},
    "spec":{"selector":{"app":"postgres-container"},"ports":[{"port":5432}]}})");
  svcs.Default(svc, svc.GetAllocator());
  EXPECT_EQ(ToJson(svc["spec"]),
            R"({"selector":{"app":"postgres-container"},"ports":[{"port":5432,)"
            R"("protocol":"TCP","targetPort":5432}],"type":"ClusterIP",)"
            R"("sessionAffinity":"None","internalTrafficPolicy":"Cluster",)"
            R"("ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]})");
  EXPECT_EQ(ToJson(svc["status"]), R"({"loadBalancer":{}})");
  EXPECT_TRUE(svcs.Validate(svc, nullptr).empty());

  JsonDoc np = Parse(kNodePort);
  svcs.Default(np, np.GetAllocator());
  EXPECT_EQ(GetString(np, {"spec", "externalTrafficPolicy"}), "Cluster");
}

TEST(ServiceKind, AllocatesUniqueClusterIpsAndReleases) {
  ServiceKind svcs(Network(R"({"serviceClusterIPRange":"10.0.0.0/30"})"),
                   nullptr);
  const char* text =
      R"({"metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}})";
  Status s1, s2, s3;
  JsonDoc a = Prepared(svcs, text, &s1);
  JsonDoc b = Prepared(svcs, text, &s2);
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(GetString(a, {"spec", "clusterIP"}), "10.0.0.1");
  EXPECT_EQ(ToJson(a["spec"]["clusterIPs"]), R"(["10.0.0.1"])");
  EXPECT_EQ(GetString(b, {"spec", "clusterIP"}), "10.0.0.2");
  // A /30 has two usable addresses.
  Prepared(svcs, text, &s3);
  EXPECT_EQ(s3.code(), Status::Code::kInternal);

  svcs.AfterDelete(a);
  JsonDoc c = Prepared(svcs, text, &s3);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(GetString(c, {"spec", "clusterIP"}), "10.0.0.1");
}

TEST(ServiceKind, AllocationLeavesTheStaticBandForKubeDns) {
  // Kubernetes allocates from above the static band first, so the
  // kube-dns Service created later still gets 10.96.0.10.
  ServiceKind svcs(Network(), nullptr);
  const char* text =
      R"({"metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}})";
  for (int i = 0; i < 300; ++i) {
    Status s;
    JsonDoc d = Prepared(svcs, text, &s);
    ASSERT_TRUE(s.ok());
    EXPECT_NE(GetString(d, {"spec", "clusterIP"}).rfind("10.96.0.", 0), 0u)
        << GetString(d, {"spec", "clusterIP"});
  }
  Status s;
  JsonDoc dns = Prepared(svcs, R"({"metadata":{"name":"kube-dns"},
    "spec":{"clusterIP":"10.96.0.10","ports":[{"port":53}]}})",
                         &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(GetString(dns, {"spec", "clusterIP"}), "10.96.0.10");
}

TEST(ServiceKind, TheStaticBandIsUsedWhenTheRestIsFull) {
  // A /27: 30 usable addresses, the lowest 16 are the static band.
  ServiceKind svcs(Network(R"({"serviceClusterIPRange":"10.0.0.0/27"})"),
                   nullptr);
  const char* text =
      R"({"metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}})";
  std::set<std::string> ips;
  for (int i = 0; i < 30; ++i) {
    Status s;
    JsonDoc d = Prepared(svcs, text, &s);
    ASSERT_TRUE(s.ok()) << i;
    const std::string ip = GetString(d, {"spec", "clusterIP"});
    if (i == 0) {
      EXPECT_EQ(ip, "10.0.0.17");
    }
    if (i == 14) {
      EXPECT_EQ(ip, "10.0.0.1");
    }
    ips.insert(ip);
  }
  EXPECT_EQ(ips.size(), 30u);
}

TEST(ServiceKind, RequestedClusterIp) {
  ServiceKind svcs(Network(), nullptr);
  Status s;
  JsonDoc a = Prepared(svcs, R"({"metadata":{"name":"a"},
    "spec":{"clusterIP":"10.96.0.10","ports":[{"port":53}]}})",
                       &s);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(GetString(a, {"spec", "clusterIP"}), "10.96.0.10");

  Prepared(svcs, R"({"metadata":{"name":"b"},
    "spec":{"clusterIP":"10.96.0.10","ports":[{"port":53}]}})",
           &s);
  ASSERT_EQ(s.code(), Status::Code::kInvalid);
  ASSERT_EQ(s.causes().size(), 1u);
  EXPECT_EQ(s.causes()[0].field, "spec.clusterIPs");
  EXPECT_EQ(s.causes()[0].message,
            "Invalid value: [\"10.96.0.10\"]: failed to allocate IP "
            "10.96.0.10: provided IP is already allocated");

  Prepared(svcs, R"({"metadata":{"name":"c"},
    "spec":{"clusterIP":"192.168.0.1","ports":[{"port":53}]}})",
           &s);
  ASSERT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.causes()[0].message.find("is not in the valid range. The range "
                                       "of valid IPs is 10.96.0.0/12"),
            std::string::npos);

  JsonDoc headless = Prepared(svcs, R"({"metadata":{"name":"h"},
    "spec":{"clusterIP":"None"}})",
                              &s);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(ToJson(headless["spec"]["clusterIPs"]), R"(["None"])");
  EXPECT_TRUE(svcs.Validate(headless, nullptr).empty());
}

TEST(ServiceKind, NodePortHonouredAndConflicts) {
  ServiceKind svcs(Network(), nullptr);
  Status s;
  JsonDoc a = Prepared(svcs, kNodePort, &s);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(GetInt(a["spec"]["ports"][0], {"nodePort"}), 31111);
  EXPECT_EQ(ServicePortsString(a), "80:31111/TCP");

  Prepared(svcs, kNodePort, &s);
  ASSERT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.causes()[0].field, "spec.ports[0].nodePort");
  EXPECT_EQ(s.causes()[0].message,
            "Invalid value: 31111: provided port is already allocated");
  EXPECT_EQ(s.message(),
            "Service \"ps-nodeport\" is invalid: spec.ports[0].nodePort: "
            "Invalid value: 31111: provided port is already allocated");

  JsonDoc auto_port = Prepared(svcs, R"({"metadata":{"name":"b"},
    "spec":{"type":"NodePort","ports":[{"port":80}]}})",
                               &s);
  ASSERT_TRUE(s.ok());
  int64_t np = GetInt(auto_port["spec"]["ports"][0], {"nodePort"});
  EXPECT_GE(np, 30000);
  EXPECT_LE(np, 32767);
  EXPECT_NE(np, 31111);

  svcs.AfterDelete(a);
  Prepared(svcs, kNodePort, &s);
  EXPECT_TRUE(s.ok());

  Prepared(svcs, R"({"metadata":{"name":"c"},
    "spec":{"type":"NodePort","ports":[{"port":80,"nodePort":80}]}})",
           &s);
  ASSERT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.causes()[0].message,
            "Invalid value: 80: provided port is not in the valid range. The "
            "range of valid ports is 30000-32767");
}

TEST(ServiceKind, ValidationMessages) {
  ServiceKind svcs(Network(), nullptr);
  JsonDoc svc = Parse(R"({"metadata":{"name":"x"},"spec":{"type":"Magic",
    "selector":{"app":"-bad"},
    "ports":[{"name":"a","port":0,"protocol":"HTTP"},
             {"port":80,"nodePort":30001}]}})");
  EXPECT_THAT(
      Describe(svcs.Validate(svc, nullptr)),
      ElementsAre(
          "spec.type: Unsupported value: \"Magic\": supported values: "
          "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
          "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, "
          "inclusive",
          "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported "
          "values: \"SCTP\", \"TCP\", \"UDP\"",
          "spec.ports[1].name: Required value",
          "spec.ports[1].protocol: Unsupported value: \"\": supported "
          "values: \"SCTP\", \"TCP\", \"UDP\"",
          "spec.selector: Invalid value: \"-bad\": a valid label must be an "
          "empty string or consist of alphanumeric characters, '-', '_' or "
          "'.', and must start and end with an alphanumeric character (e.g. "
          "'MyValue',  or 'my_value',  or '12345', regex used for validation "
          "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));

  JsonDoc no_ports =
      Parse(R"({"metadata":{"name":"x"},"spec":{"type":"ClusterIP"}})");
  EXPECT_THAT(Describe(svcs.Validate(no_ports, nullptr)),
              ElementsAre("spec.ports: Required value"));
  JsonDoc cluster_np =
      Parse(R"({"metadata":{"name":"x"},"spec":{"type":"ClusterIP",
    "ports":[{"port":80,"protocol":"TCP","nodePort":30001}]}})");
  EXPECT_THAT(Describe(svcs.Validate(cluster_np, nullptr)),
              ElementsAre("spec.ports[0].nodePort: Forbidden: may not be used "
                          "when `type` is 'ClusterIP'"));
}

TEST(ServiceKind, PortsStringsAndCells) {
  ServiceKind svcs(Network(), nullptr);
  JsonDoc svc = Parse(R"({"metadata":{"name":"web",
      "creationTimestamp":"2024-03-01T11:00:00Z"},
    "spec":{"type":"ClusterIP","clusterIP":"10.96.0.5","clusterIPs":["10.96.0.5"],
      "selector":{"tier":"fe","app":"web"},
      "ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}})");
  EXPECT_EQ(ServicePortsString(svc), "80/TCP,53/UDP");
  JsonDoc cells;
  cells.SetArray();
  svcs.Cells(svc, *ParseTimestamp("2024-03-01T12:00:00Z"), cells,
             cells.GetAllocator());
  EXPECT_EQ(
      ToJson(cells),
      R"(["web","ClusterIP","10.96.0.5","<none>","80/TCP,53/UDP","60m","app=web,tier=fe"])");
  JsonDoc lb = Parse(R"({"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer",
    "ports":[]}})");
  cells.SetArray();
  svcs.Cells(lb, *ParseTimestamp("2024-03-01T12:00:00Z"), cells,
             cells.GetAllocator());
  EXPECT_EQ(
      ToJson(cells),
      R"(["lb","LoadBalancer","<none>","<pending>","<none>","<unknown>","<none>"])");
  EXPECT_EQ(svcs.MergeKey("spec.ports"), "port");
}

// A client holding one stored Service, as after a server restart.
class ListingClient : public Client {
 public:
  std::vector<ServedResource> ServerResources() override { return {}; }
  StatusOr<std::string> Get(const ResourceRef&, const std::string&,
                            const std::string&) override {
    return Status::NotFound("");
  }
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions&) override {
    ++lists;
    return std::string(R"({"items":[{"metadata":{"name":"old"},"spec":{
      "type":"NodePort","clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1"],
      "ports":[{"port":80,"nodePort":31111}]}}]})");
  }
  StatusOr<std::string> Create(const ResourceRef&, const std::string&,
                               const std::string&) override {
    return Status::Internal("");
  }
  StatusOr<std::string> Update(const ResourceRef&, const std::string&,
                               const std::string&,
                               const std::string&) override {
    return Status::Internal("");
  }
  StatusOr<std::string> MergePatch(const ResourceRef&, const std::string&,
                                   const std::string&, const std::string&,
                                   const std::string&) override {
    return Status::Internal("");
  }
  Status Delete(const ResourceRef&, const std::string&, const std::string&,
                const DeleteOptions&) override {
    return Status::Internal("");
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Internal("");
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Internal("");
  }
  int lists = 0;
};

TEST(ServiceKind, RebuildsAllocationsFromStoreOnce) {
  ListingClient client;
  ServiceKind svcs(Network(), &client);
  Status s;
  Prepared(svcs, kNodePort, &s);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  JsonDoc b = Prepared(svcs, R"({"metadata":{"name":"b"},
    "spec":{"ports":[{"port":80}]}})",
                       &s);
  ASSERT_TRUE(s.ok());
  EXPECT_NE(GetString(b, {"spec", "clusterIP"}), "10.96.0.1");
  EXPECT_EQ(client.lists, 1);
}

}  // namespace
}  // namespace berth::core
