#include "kernel/api/server/patching.h"

#include "kernel/api/codec/yaml_codec.h"
#include "kernel/api/patch/json_merge_patch.h"
#include "kernel/api/patch/json_patch.h"
#include "kernel/api/patch/strategic_merge_patch.h"
#include "kernel/api/selector/label_selector.h"

namespace berth::api {

StatusOr<JsonDoc> ParsePatchBody(PatchType type, std::string_view body) {
  if (type == PatchType::kJson) {
    // A JSON patch is an array, which the object decoder refuses.
    auto doc = ParseJson(body);
    if (!doc.ok()) return doc.status();
    if (!doc->IsArray()) {
      return Status::BadRequest(
          "json: cannot unmarshal object into Go value of type "
          "jsonpatch.Patch");
    }
    return doc;
  }
  return codec::DecodeJsonOrYaml(body, type == PatchType::kApply);
}

Status ApplyPatch(const Kind& kind, PatchType type, const Json& patch,
                  JsonDoc& target) {
  auto& a = target.GetAllocator();
  auto merge_key = [&kind](const std::string& path) {
    return kind.MergeKey(path);
  };
  switch (type) {
    case PatchType::kJson:
      return patch::ApplyJsonPatch(patch, target, a);
    case PatchType::kMerge:
      patch::ApplyMergePatch(patch, target, a);
      return {};
    case PatchType::kStrategic:
      return patch::ApplyStrategicMergePatch(patch, target, a, merge_key);
    case PatchType::kApply: {
      // Field-wise merge of the applied configuration; server-managed
      // metadata in the applied body is ignored, as the apiserver does.
      JsonDoc applied;
      applied.CopyFrom(patch, applied.GetAllocator());
      if (Json* meta = Member(applied, "metadata")) {
        for (const char* f : {"managedFields", "uid", "creationTimestamp",
                              "generation", "resourceVersion"}) {
          meta->RemoveMember(f);
        }
      }
      return patch::ApplyStrategicMergePatch(applied, target, a, merge_key);
    }
  }
  return Status::BadRequest("unknown patch type");
}

std::string BuildScale(const Json& obj) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "kind", "Scale", a);
  SetString(d, "apiVersion", "autoscaling/v1", a);
  Json meta(rapidjson::kObjectType);
  for (const char* f :
       {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (const Json* v = Find(obj, {"metadata", f})) {
      SetMember(meta, f, Json(*v, a), a);
    }
  }
  SetMember(d, "metadata", std::move(meta), a);
  Json spec(rapidjson::kObjectType);
  spec.AddMember("replicas", GetInt(obj, {"spec", "replicas"}, 0), a);
  SetMember(d, "spec", std::move(spec), a);
  Json status(rapidjson::kObjectType);
  status.AddMember("replicas", GetInt(obj, {"status", "replicas"}, 0), a);
  if (const Json* sel = Find(obj, {"spec", "selector"})) {
    std::string text;
    if (Member(*sel, "matchLabels") || Member(*sel, "matchExpressions")) {
      auto s = selector::LabelSelector::FromJson(*sel);
      if (s.ok()) text = s->String();
    } else if (sel->IsObject()) {
      selector::Labels labels;
      for (auto& m : sel->GetObject()) {
        if (m.value.IsString())
          labels[m.name.GetString()] = m.value.GetString();
      }
      text = selector::LabelSelector::FromMap(labels).String();
    }
    if (!text.empty()) SetString(status, "selector", text, a);
  }
  SetMember(d, "status", std::move(status), a);
  return ToJson(d);
}

}  // namespace berth::api
