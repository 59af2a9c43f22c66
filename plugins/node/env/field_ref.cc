#include "env/field_ref.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "quantity.h"

namespace berth::node {
namespace {

// Go's %q for the label and annotation values of a downwardAPI file.
std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

// fieldpath.FormatMap: sorted `k="v"` lines without a final newline.
std::string FormatMap(const Json* m) {
  std::map<std::string, std::string> sorted;
  if (m && m->IsObject()) {
    for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it) {
      if (it->value.IsString()) {
        sorted[it->name.GetString()] = it->value.GetString();
      }
    }
  }
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += "\n";
    out += k + "=" + GoQuote(v);
  }
  return out;
}

// "metadata.labels['app']" → {"labels", "app"}.
std::optional<std::pair<std::string, std::string>> Subscript(
    const std::string& path) {
  for (const char* field : {"labels", "annotations"}) {
    const std::string prefix = std::string("metadata.") + field + "['";
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() + 2 &&
        path.compare(path.size() - 2, 2, "']") == 0) {
      return std::make_pair(
          std::string(field),
          path.substr(prefix.size(), path.size() - prefix.size() - 2));
    }
  }
  return std::nullopt;
}

std::string QuantityText(const Json* v) {
  if (!v) return "";
  if (v->IsString()) return v->GetString();
  if (v->IsNumber()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v->GetDouble());
    return buf;
  }
  return "";
}

}  // namespace

StatusOr<std::string> ExtractFieldRef(const Json& pod,
                                      const std::string& field_path,
                                      const PodFacts& facts) {
  auto pod_ips = [&]() {
    std::vector<std::string> ips = facts.pod_ips;
    if (ips.empty()) {
      if (const Json* list = Find(pod, {"status", "podIPs"});
          list && list->IsArray()) {
        for (const auto& e : list->GetArray()) {
          std::string ip = GetString(e, {"ip"});
          if (!ip.empty()) ips.push_back(ip);
        }
      }
      if (ips.empty()) {
        std::string ip = GetString(pod, {"status", "podIP"});
        if (!ip.empty()) ips.push_back(ip);
      }
    }
    return ips;
  };
  if (field_path == "spec.nodeName") {
    std::string v = GetString(pod, {"spec", "nodeName"});
    return v.empty() ? facts.node_name : v;
  }
  if (field_path == "spec.serviceAccountName") {
    std::string v = GetString(pod, {"spec", "serviceAccountName"});
    return v.empty() ? facts.service_account_name : v;
  }
  if (field_path == "status.hostIP" || field_path == "status.hostIPs") {
    return facts.host_ip.empty() ? GetString(pod, {"status", "hostIP"})
                                 : facts.host_ip;
  }
  if (field_path == "status.podIP") {
    auto ips = pod_ips();
    return ips.empty() ? std::string() : ips[0];
  }
  if (field_path == "status.podIPs") {
    std::string out;
    for (const auto& ip : pod_ips()) out += (out.empty() ? "" : ",") + ip;
    return out;
  }
  if (field_path == "metadata.name" || field_path == "metadata.namespace" ||
      field_path == "metadata.uid") {
    return GetString(pod, {"metadata", field_path.substr(9)});
  }
  if (field_path == "metadata.labels") {
    return FormatMap(Find(pod, {"metadata", "labels"}));
  }
  if (field_path == "metadata.annotations") {
    return FormatMap(Find(pod, {"metadata", "annotations"}));
  }
  if (auto sub = Subscript(field_path)) {
    return GetString(pod, {"metadata", sub->first, sub->second});
  }
  return Status::Invalid("unsupported fieldPath: " + field_path);
}

StatusOr<std::string> ExtractResourceFieldRef(const Json& container,
                                              const Json& ref,
                                              const PodFacts& facts) {
  const std::string resource = GetString(ref, {"resource"});
  const auto dot = resource.find('.');
  const std::string kind = resource.substr(0, dot);  // limits / requests
  const std::string name =
      dot == std::string::npos ? "" : resource.substr(dot + 1);
  if ((kind != "limits" && kind != "requests") ||
      (name != "cpu" && name != "memory" && name != "ephemeral-storage" &&
       name.rfind("hugepages-", 0) != 0)) {
    return Status::Invalid("unsupported container resource : " + resource);
  }
  std::string divisor_text = QuantityText(Member(ref, "divisor"));
  if (divisor_text.empty()) divisor_text = "1";
  auto divisor = core::ParseQuantity(divisor_text);
  if (!divisor || *divisor <= 0) {
    return Status::Invalid("invalid divisor: " + divisor_text);
  }
  std::string value_text =
      QuantityText(Find(container, {"resources", kind, name}));
  if (value_text.empty() && kind == "limits") {
    auto it = facts.allocatable.find(name);
    if (it != facts.allocatable.end()) value_text = it->second;
  }
  if (value_text.empty()) value_text = "0";
  auto value = core::ParseQuantity(value_text);
  if (!value) return Status::Invalid("invalid quantity: " + value_text);
  long double units;
  if (name == "cpu") {
    // MilliValue() of each, as the kubelet divides them.
    units = std::ceil(std::ceil(*value * 1000) / std::ceil(*divisor * 1000));
  } else {
    units = std::ceil(std::ceil(*value) / std::ceil(*divisor));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(units));
  return std::string(buf);
}

const Json* FindContainer(const Json& pod, const std::string& name) {
  for (const char* list :
       {"containers", "initContainers", "ephemeralContainers"}) {
    const Json* cs = Find(pod, {"spec", list});
    if (!cs || !cs->IsArray()) continue;
    for (const auto& c : cs->GetArray()) {
      if (GetString(c, {"name"}) == name) return &c;
    }
  }
  return nullptr;
}

}  // namespace berth::node
