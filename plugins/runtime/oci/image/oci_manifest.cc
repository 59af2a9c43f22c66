#include "plugins/runtime/oci/image/oci_manifest.h"

#include "berth/json.h"
#include "plugins/runtime/oci/image/registry_client.h"
#include "plugins/runtime/oci/image/sha256.h"

namespace berth::oci {
namespace {

StatusOr<Descriptor> ParseDescriptor(const Json& v) {
  Descriptor d;
  d.media_type = GetString(v, {"mediaType"});
  d.digest = GetString(v, {"digest"});
  d.size = static_cast<uint64_t>(GetInt(v, {"size"}));
  d.os = GetString(v, {"platform", "os"});
  d.architecture = GetString(v, {"platform", "architecture"});
  d.variant = GetString(v, {"platform", "variant"});
  if (const Json* a = Member(v, "annotations"); a && a->IsObject()) {
    for (auto it = a->MemberBegin(); it != a->MemberEnd(); ++it) {
      if (it->value.IsString()) {
        d.annotations[it->name.GetString()] = it->value.GetString();
      }
    }
  }
  if (!IsSha256Digest(d.digest)) {
    return Status::Invalid("unsupported digest \"" + d.digest + "\"");
  }
  return d;
}

std::vector<std::string> Strings(const Json* v) {
  std::vector<std::string> out;
  if (!v || !v->IsArray()) return out;
  for (const auto& s : v->GetArray()) {
    if (s.IsString()) out.emplace_back(s.GetString(), s.GetStringLength());
  }
  return out;
}

}  // namespace

StatusOr<ParsedManifest> ParseManifest(const std::string& body,
                                       const std::string& media_type) {
  auto doc = ParseJson(body);
  if (!doc.ok()) return Status::Invalid("manifest is not JSON");
  std::string type = media_type;
  if (type.empty() || type == "application/json" ||
      type == "application/octet-stream") {
    type = GetString(*doc, {"mediaType"});
  }
  ParsedManifest m;
  const Json* manifests = Member(*doc, "manifests");
  m.is_index = type == kOciIndex || type == kDockerList ||
               (type.empty() && manifests && manifests->IsArray());
  if (m.is_index) {
    if (!manifests || !manifests->IsArray()) {
      return Status::Invalid("index without manifests");
    }
    for (const auto& e : manifests->GetArray()) {
      auto d = ParseDescriptor(e);
      if (!d.ok()) return d.status();
      m.manifests.push_back(std::move(*d));
    }
    return m;
  }
  if (!type.empty() && type != kOciManifest && type != kDockerManifest) {
    return Status::Invalid("unsupported manifest type \"" + type + "\"");
  }
  const Json* config = Member(*doc, "config");
  const Json* layers = Member(*doc, "layers");
  if (!config || !layers || !layers->IsArray()) {
    return Status::Invalid("manifest without config or layers");
  }
  auto c = ParseDescriptor(*config);
  if (!c.ok()) return c.status();
  m.config = std::move(*c);
  for (const auto& e : layers->GetArray()) {
    auto d = ParseDescriptor(e);
    if (!d.ok()) return d.status();
    m.layers.push_back(std::move(*d));
  }
  return m;
}

StatusOr<Descriptor> PickPlatform(const ParsedManifest& index,
                                  const std::string& os,
                                  const std::string& architecture) {
  std::string offered;
  for (const auto& d : index.manifests) {
    if (d.os == os && d.architecture == architecture) return d;
    if (!offered.empty()) offered += ", ";
    offered += d.os + "/" + d.architecture;
  }
  if (index.manifests.size() == 1 && index.manifests[0].os.empty()) {
    return index.manifests[0];
  }
  return Status::NotFound("no " + os + "/" + architecture +
                          " image in the index (it has " +
                          (offered.empty() ? "none" : offered) + ")");
}

StatusOr<ImageConfig> ParseImageConfig(const std::string& body) {
  auto doc = ParseJson(body);
  if (!doc.ok() || !doc->IsObject()) {
    return Status::Invalid("image config is not JSON");
  }
  ImageConfig c;
  c.os = GetString(*doc, {"os"});
  c.architecture = GetString(*doc, {"architecture"});
  c.diff_ids = Strings(Find(*doc, {"rootfs", "diff_ids"}));
  c.run.entrypoint = Strings(Find(*doc, {"config", "Entrypoint"}));
  c.run.cmd = Strings(Find(*doc, {"config", "Cmd"}));
  c.run.env = Strings(Find(*doc, {"config", "Env"}));
  c.run.working_dir = GetString(*doc, {"config", "WorkingDir"});
  c.run.user = GetString(*doc, {"config", "User"});
  for (const auto& d : c.diff_ids) {
    if (!IsSha256Digest(d)) {
      return Status::Invalid("unsupported diff_id \"" + d + "\"");
    }
  }
  return c;
}

std::string MakeOciManifest(const Descriptor& config,
                            const std::vector<Descriptor>& layers) {
  JsonDoc doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  auto desc = [&](const Descriptor& d) {
    Json v(rapidjson::kObjectType);
    SetString(v, "mediaType", d.media_type, a);
    SetString(v, "digest", d.digest, a);
    v.AddMember("size", Json(static_cast<uint64_t>(d.size)), a);
    return v;
  };
  doc.AddMember("schemaVersion", 2, a);
  SetString(doc, "mediaType", kOciManifest, a);
  doc.AddMember("config", desc(config), a);
  Json arr(rapidjson::kArrayType);
  for (const auto& l : layers) arr.PushBack(desc(l), a);
  doc.AddMember("layers", arr, a);
  return ToJson(doc);
}

}  // namespace berth::oci
