#include "cluster_dns.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "berth/json.h"

namespace berth::dns {
namespace {

const ResourceRef kServices{"", "v1", "services"};
const ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};
const ResourceRef kNodes{"", "v1", "nodes"};
constexpr const char* kNamespace = "kube-system";
constexpr const char* kServiceName = "kube-dns";

using common::ParseAll;
using common::Pointers;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The upstreams of the settings, else of resolv.conf, leaving out the
// cluster DNS address itself (a node whose resolv.conf names it would
// otherwise send queries round in a loop).
std::vector<SocketAddress> Upstreams(const DnsSettings& s, Host& host) {
  std::vector<std::string> names = s.upstreams;
  if (names.empty()) names = ResolvConfNameservers(ReadFile(s.resolv_conf));
  std::vector<SocketAddress> out;
  for (const auto& n : names) {
    if (!s.service_ip.empty() && n == s.service_ip) continue;
    auto a = ParseSocketAddress(n, 53);
    if (!a.ok()) {
      host.Log(kLogWarn, "dns", "upstream: " + a.status().message());
      continue;
    }
    out.push_back(*a);
  }
  return out;
}

std::string ServiceJson(const std::string& ip) {
  return R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" +
         std::string(kServiceName) + R"(","namespace":")" + kNamespace +
         R"(","labels":{"k8s-app":"kube-dns","kubernetes.io/name":"CoreDNS",)"
         R"("kubernetes.io/cluster-service":"true"}},"spec":{)"
         R"("trafficDistribution":"PreferSameNode","clusterIP":")" +
         ip +
         R"(","ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},)"
         R"({"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53}]}})";
}

// The parts of this node's slice that matter, as JSON (to compare with the
// cached one and to write).
std::string SliceBody(const std::string& address, const std::string& node,
                      int port) {
  const std::string family =
      address.find(':') == std::string::npos ? "IPv4" : "IPv6";
  const std::string p = std::to_string(port);
  return R"("addressType":")" + family + R"(","endpoints":[{"addresses":[")" +
         address + R"("],"conditions":{"ready":true},"nodeName":")" + node +
         R"("}],"ports":[{"name":"dns","port":)" + p +
         R"(,"protocol":"UDP"},{"name":"dns-tcp","port":)" + p +
         R"(,"protocol":"TCP"}])";
}

}  // namespace

ClusterDns::ClusterDns(Host& host, const DnsSettings& settings)
    : host_(host),
      settings_(settings),
      loop_({std::chrono::milliseconds(50), std::chrono::seconds(1)},
            [this] { return BuildZone() && SyncKubeDns(); }) {}

ClusterDns::~ClusterDns() { Stop(); }

void ClusterDns::Start() {
  forwarder_ = std::make_unique<UpstreamForwarder>(
      Upstreams(settings_, host_),
      std::chrono::milliseconds(settings_.upstream_timeout_ms));
  if (forwarder_->empty()) {
    host_.Log(kLogWarn, "dns",
              "no upstream resolvers: names outside the cluster get SERVFAIL");
  }
  cache_ = std::make_unique<ForwardCache>(settings_.cache_seconds);
  responder_ = std::make_unique<DnsResponder>([this] { return zone(); },
                                              forwarder_.get(), cache_.get());
  server_ = std::make_unique<DnsServer>(*responder_);
  Status s = server_->Start(settings_.bind_address, settings_.port);
  listening_ = s.ok();
  if (!listening_) {
    host_.Log(kLogError, "dns", "not serving: " + s.ToString());
  } else {
    host_.Log(kLogInfo, "dns",
              "serving " + settings_.zone + " on " + settings_.bind_address +
                  ":" + std::to_string(server_->port()) + " (udp, tcp)");
  }

  services_ = &host_.InformerFor(kServices);
  slices_ = &host_.InformerFor(kSlices);
  nodes_ = &host_.InformerFor(kNodes);
  loop_.Start({services_, slices_, nodes_});
}

void ClusterDns::Stop() {
  if (!services_) return;
  loop_.Stop();
  services_ = nullptr;
  server_->Stop();
  if (slice_written_) {
    Status s = host_.client().Delete(kSlices, kNamespace, SliceName());
    if (!s.ok() && s.code() != Status::Code::kNotFound) {
      host_.Log(kLogWarn, "dns",
                "deleting " + SliceName() + ": " + s.ToString());
    }
    slice_written_ = false;
  }
}

std::shared_ptr<const ClusterZone> ClusterDns::zone() const {
  std::lock_guard<std::mutex> lock(mu_);
  return zone_;
}

bool ClusterDns::BuildZone() {
  if (!services_->HasSynced() || !slices_->HasSynced()) return false;
  auto services = services_->List("");
  auto slices = slices_->List("");
  if (!services.ok() || !slices.ok()) return false;
  const std::vector<JsonDoc> svc_docs = ParseAll(*services);
  const std::vector<JsonDoc> slice_docs = ParseAll(*slices);
  ZoneConfig config;
  config.zone = settings_.zone;
  config.ttl = settings_.ttl;
  auto zone = std::make_shared<const ClusterZone>(config, Pointers(svc_docs),
                                                  Pointers(slice_docs));
  std::lock_guard<std::mutex> lock(mu_);
  zone_ = std::move(zone);
  return true;
}

std::string ClusterDns::SliceName() const {
  return std::string(kServiceName) + "-" + settings_.node_name;
}

std::string ClusterDns::AdvertiseAddress() const {
  if (!settings_.advertise_address.empty()) return settings_.advertise_address;
  auto node = nodes_->Get("", settings_.node_name);
  if (!node.ok()) return "";
  auto doc = ParseJson(**node);
  if (!doc.ok()) return "";
  const Json* addresses = Find(*doc, {"status", "addresses"});
  if (!addresses || !addresses->IsArray()) return "";
  for (const auto& a : addresses->GetArray()) {
    if (GetString(a, {"type"}) == "InternalIP")
      return GetString(a, {"address"});
  }
  return "";
}

bool ClusterDns::SyncKubeDns() {
  if (settings_.service_ip.empty()) return true;
  Client& client = host_.client();
  auto svc = services_->Get(kNamespace, kServiceName);
  if (!svc.ok()) {
    auto created =
        client.Create(kServices, kNamespace, ServiceJson(settings_.service_ip));
    if (!created.ok() &&
        created.status().code() != Status::Code::kAlreadyExists) {
      host_.Log(
          kLogWarn, "dns",
          "creating kube-system/kube-dns: " + created.status().ToString());
      return false;
    }
  } else if (auto doc = ParseJson(**svc); doc.ok()) {
    const std::string ip = GetString(*doc, {"spec", "clusterIP"});
    std::string warning;
    if (ip != settings_.service_ip) {
      warning = "kube-system/kube-dns has ClusterIP " + ip + ", not " +
                settings_.service_ip + "; pods' resolv.conf may not reach it";
    }
    if (warning != service_warning_ && !warning.empty()) {
      host_.Log(kLogWarn, "dns", warning);
    }
    service_warning_ = warning;
  }

  if (!nodes_->HasSynced()) return false;
  const std::string address = listening_ ? AdvertiseAddress() : "";
  if (address.empty()) return true;  // no node here yet: nothing to serve
  const std::string body =
      SliceBody(address, settings_.node_name, server_->port());
  const std::string name = SliceName();
  auto cached = slices_->Get(kNamespace, name);
  std::string resource_version;
  if (cached.ok()) {
    auto doc = ParseJson(**cached);
    if (doc.ok()) {
      auto want = ParseJson("{" + body + "}");
      const Json* endpoints = Find(*doc, {"endpoints"});
      const Json* ports = Find(*doc, {"ports"});
      if (want.ok() && endpoints && ports &&
          ToJson(*endpoints) == ToJson((*want)["endpoints"]) &&
          ToJson(*ports) == ToJson((*want)["ports"])) {
        slice_written_ = true;
        return true;
      }
      resource_version = GetString(*doc, {"metadata", "resourceVersion"});
    }
  }
  const std::string object =
      R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",)"
      R"("metadata":{"name":")" +
      name + R"(","namespace":")" + kNamespace +
      (resource_version.empty()
           ? std::string()
           : R"(","resourceVersion":")" + resource_version) +
      R"(","labels":{"kubernetes.io/service-name":")" + kServiceName +
      R"(","endpointslice.kubernetes.io/managed-by":")" + kManagedBy +
      R"("}},)" + body + "}";
  auto written = resource_version.empty()
                     ? client.Create(kSlices, kNamespace, object)
                     : client.Update(kSlices, kNamespace, object);
  if (!written.ok()) {
    host_.Log(kLogWarn, "dns",
              "writing " + name + ": " + written.status().ToString());
    return false;
  }
  slice_written_ = true;
  return true;
}

}  // namespace berth::dns
