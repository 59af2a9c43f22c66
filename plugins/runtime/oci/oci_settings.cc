#include "oci_settings.h"

#include "berth/json.h"
#include "shim_runtime.h"

namespace berth::runtime {
namespace {

Status Bad(const std::string& key, const std::string& why) {
  return Status::Invalid("oci: " + key + ": " + why);
}

}  // namespace

StatusOr<OciSettings> ParseOciSettings(const std::string& json,
                                       const std::string& data_dir) {
  auto doc = ParseJson(json.empty() ? "{}" : json);
  if (!doc.ok()) return Bad("settings", doc.status().message());
  OciSettings s;
  for (auto [key, field] :
       {std::pair{"root", &s.root}, std::pair{"imageRoot", &s.image_root},
        std::pair{"shimPath", &s.shim_path}}) {
    if (const Json* v = Member(*doc, key)) {
      if (!v->IsString() || v->GetStringLength() == 0) {
        return Bad(key, "must be a non-empty string");
      }
      *field = v->GetString();
    }
  }
  if (const Json* v = Member(*doc, "runtimes")) {
    if (!v->IsObject()) return Bad("runtimes", "must be a mapping");
    s.runtimes.clear();
    for (const auto& m : v->GetObject()) {
      if (!m.value.IsString()) {
        return Bad(std::string("runtimes.") + m.name.GetString(),
                   "must be a path");
      }
      s.runtimes[m.name.GetString()] = m.value.GetString();
    }
  }
  if (const Json* v = Member(*doc, "registries")) {
    if (!v->IsObject()) return Bad("registries", "must be a mapping");
    for (const auto& m : v->GetObject()) {
      std::string at = std::string("registries.") + m.name.GetString();
      if (!m.value.IsObject()) return Bad(at, "must be a mapping");
      oci::RegistryHostSettings h;
      if (const Json* i = Member(m.value, "insecure")) {
        if (!i->IsBool()) return Bad(at + ".insecure", "must be a boolean");
        h.insecure = i->GetBool();
      }
      if (const Json* p = Member(m.value, "plainHttp")) {
        if (!p->IsBool()) return Bad(at + ".plainHttp", "must be a boolean");
        h.plain_http = p->GetBool();
      }
      if (const Json* c = Member(m.value, "caFile")) {
        if (!c->IsString()) return Bad(at + ".caFile", "must be a path");
        h.ca_file = c->GetString();
      }
      s.registries[m.name.GetString()] = h;
    }
  }
  if (s.root.empty()) s.root = data_dir + "/runtime/oci";
  if (s.image_root.empty()) s.image_root = data_dir + "/images";
  if (s.shim_path.empty()) s.shim_path = DefaultShimPath();
  return s;
}

}  // namespace berth::runtime
