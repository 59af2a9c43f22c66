#include "node_ipam_settings.h"

#include "berth/json.h"
#include "service_network.h"

namespace berth::core {

StatusOr<NodeIpamSettings> ParseNodeIpamSettings(
    const std::string& settings_json) {
  NodeIpamSettings out;
  auto doc = ParseJson(settings_json.empty() ? "{}" : settings_json);
  if (!doc.ok()) return Status::Invalid("settings: " + doc.status().message());
  if (!doc->IsObject()) return Status::Invalid("settings: must be an object");
  if (const Json* v = Member(*doc, "allocateNodeCIDRs")) {
    if (!v->IsBool()) {
      return Status::Invalid("allocateNodeCIDRs: must be true or false");
    }
    out.allocate = v->GetBool();
  }
  if (const Json* v = Member(*doc, "clusterCIDR")) {
    const std::string text = v->IsString() ? v->GetString() : "";
    auto bad = Status::Invalid("clusterCIDR: invalid value \"" + text +
                               "\": must be an IPv4 CIDR");
    const size_t slash = text.find('/');
    if (slash == std::string::npos) return bad;
    auto ip = ParseIpv4(std::string_view(text).substr(0, slash));
    const std::string bits = text.substr(slash + 1);
    if (!ip || bits.empty() || bits.size() > 2 ||
        bits.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(bits) > 32) {
      return bad;
    }
    out.cluster_cidr = text;
    out.prefix = std::stoi(bits);
    out.network =
        out.prefix == 0 ? 0 : *ip & (~uint32_t(0) << (32 - out.prefix));
  }
  if (const Json* v = Member(*doc, "nodeCIDRMaskSize")) {
    if (!v->IsInt()) {
      return Status::Invalid("nodeCIDRMaskSize: must be an integer");
    }
    out.node_mask_size = v->GetInt();
  }
  if (out.node_mask_size < out.prefix || out.node_mask_size > 30) {
    return Status::Invalid(
        "nodeCIDRMaskSize: " + std::to_string(out.node_mask_size) +
        " must be between the clusterCIDR's prefix (/" +
        std::to_string(out.prefix) + ") and 30");
  }
  if (out.node_mask_size - out.prefix > 16) {
    return Status::Invalid(
        "nodeCIDRMaskSize: may be at most 16 bits longer than the "
        "clusterCIDR's prefix (/" +
        std::to_string(out.prefix) + ")");
  }
  return out;
}

}  // namespace berth::core
