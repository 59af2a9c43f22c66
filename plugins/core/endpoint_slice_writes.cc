#include "endpoint_slice_writes.h"

#include "canonical_json.h"
#include "endpoint_pods.h"
#include "service_objects.h"
#include "validation.h"

namespace berth::core {
namespace {

// getEndpointSlicePrefix: generated names stay within 63 characters.
constexpr size_t kMaxPrefix = 58;

bool ControlledBy(const Json& slice, const std::string& uid,
                  const std::string& kind) {
  const Json* refs = Find(slice, {"metadata", "ownerReferences"});
  if (!refs || !refs->IsArray()) return false;
  for (const auto& r : refs->GetArray()) {
    if (Str(Member(r, "uid")) == uid && Str(Member(r, "kind")) == kind) {
      return true;
    }
  }
  return false;
}

Json ControllerRefs(const Json& owner, const std::string& kind, JsonAlloc& a) {
  Json ref(rapidjson::kObjectType);
  SetString(ref, "apiVersion", "v1", a);
  SetString(ref, "kind", kind, a);
  SetString(ref, "name", GetString(owner, {"metadata", "name"}), a);
  SetString(ref, "uid", GetString(owner, {"metadata", "uid"}), a);
  SetMember(ref, "controller", Json(true), a);
  SetMember(ref, "blockOwnerDeletion", Json(true), a);
  Json refs(rapidjson::kArrayType);
  refs.PushBack(std::move(ref), a);
  return refs;
}

// Fills a slice object's labels, annotations, ports and endpoints.
Status FillSlice(Json& slice, const PlannedSlice& planned,
                 const SliceHeader& header, JsonAlloc& a) {
  Json& meta = EnsureObject(slice, "metadata", a);
  Json l;
  l.CopyFrom(*header.labels, a);
  SetMember(meta, "labels", std::move(l), a);
  Json& annotations = EnsureObject(meta, "annotations", a);
  if (header.trigger_time.empty()) {
    annotations.RemoveMember(kTriggerTimeAnnotation);
  } else {
    SetString(annotations, kTriggerTimeAnnotation, header.trigger_time, a);
  }
  if (annotations.MemberCount() == 0) meta.RemoveMember("annotations");
  SetString(slice, "addressType", "IPv4", a);
  auto ports = ParseJson(planned.ports);
  if (!ports.ok()) return Status::Internal(ports.status().message());
  if (ports->IsArray() && !ports->Empty()) {
    Json p;
    p.CopyFrom(*ports, a);
    SetMember(slice, "ports", std::move(p), a);
  } else {
    slice.RemoveMember("ports");
  }
  Json endpoints(rapidjson::kArrayType);
  for (const auto& ep : planned.endpoints) {
    auto parsed = ParseJson(ep.json);
    if (!parsed.ok()) return Status::Internal(parsed.status().message());
    Json e;
    e.CopyFrom(*parsed, a);
    endpoints.PushBack(std::move(e), a);
  }
  SetMember(slice, "endpoints", std::move(endpoints), a);
  return Status::Ok();
}

}  // namespace

std::vector<ExistingSlice> ReadOwnedSlices(
    const std::vector<const Json*>& items, const Json& owner,
    const std::string& owner_kind, const std::string& labels_key,
    std::map<std::string, const Json*>* by_name,
    std::vector<std::string>* stale) {
  const std::string uid = GetString(owner, {"metadata", "uid"});
  std::vector<ExistingSlice> existing;
  for (const Json* slice : items) {
    const std::string slice_name = GetString(*slice, {"metadata", "name"});
    if (!ControlledBy(*slice, uid, owner_kind) ||
        Str(Member(*slice, "addressType")) != "IPv4") {
      stale->push_back(slice_name);
      continue;
    }
    ExistingSlice e;
    e.name = slice_name;
    e.ports = PortsKey(Member(*slice, "ports"));
    if (const Json* eps = Member(*slice, "endpoints"); eps && eps->IsArray()) {
      for (const auto& ep : eps->GetArray()) {
        e.endpoints.push_back({EndpointKey(ep), CanonicalJson(ep)});
      }
    }
    const Json* have = Find(*slice, {"metadata", "labels"});
    e.labels_current = have && CanonicalJson(*have) == labels_key;
    existing.push_back(std::move(e));
    (*by_name)[slice_name] = slice;
  }
  return existing;
}

Status WriteSlicePlan(Client& client, const SliceHeader& header,
                      const SlicePlan& plan,
                      const std::map<std::string, const Json*>& by_name) {
  for (const auto& planned : plan.create) {
    JsonDoc slice;
    auto& sa = slice.GetAllocator();
    slice.SetObject();
    SetString(slice, "apiVersion", "discovery.k8s.io/v1", sa);
    SetString(slice, "kind", "EndpointSlice", sa);
    Json& meta = EnsureObject(slice, "metadata", sa);
    SetString(meta, "generateName", header.name.substr(0, kMaxPrefix - 1) + "-",
              sa);
    SetString(meta, "namespace", header.ns, sa);
    SetMember(meta, "ownerReferences",
              ControllerRefs(*header.owner, header.owner_kind, sa), sa);
    if (Status s = FillSlice(slice, planned, header, sa); !s.ok()) return s;
    auto created =
        client.Create(kEndpointSlicesResource, header.ns, ToJson(slice));
    if (!created.ok()) return created.status();
  }
  for (const auto& planned : plan.update) {
    JsonDoc slice;
    auto& sa = slice.GetAllocator();
    slice.CopyFrom(*by_name.at(planned.name), sa);
    if (Status s = FillSlice(slice, planned, header, sa); !s.ok()) return s;
    auto updated =
        client.Update(kEndpointSlicesResource, header.ns, ToJson(slice));
    if (!updated.ok()) return updated.status();
  }
  for (const auto& n : plan.remove) {
    Status s = client.Delete(kEndpointSlicesResource, header.ns, n);
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return Status::Ok();
}

}  // namespace berth::core
