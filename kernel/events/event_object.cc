#include "kernel/events/event_object.h"

#include <ctime>

#include "berth/json.h"

namespace berth::events {

std::string Rfc3339(Clock::time_point t) {
  std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewEventJson(const EventRecord& e, const Correlation& c) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "v1", a);
  SetString(d, "kind", "Event", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", c.name, a);
  SetString(meta, "namespace", c.ns, a);
  Json& involved = EnsureObject(d, "involvedObject", a);
  const ObjectReference& r = e.regarding;
  auto set_if = [&](Json& o, const char* key, const std::string& v) {
    if (!v.empty()) SetString(o, key, v, a);
  };
  set_if(involved, "kind", r.kind);
  set_if(involved, "namespace", r.ns);
  set_if(involved, "name", r.name);
  set_if(involved, "uid", r.uid);
  set_if(involved, "apiVersion", r.api_version);
  set_if(involved, "resourceVersion", r.resource_version);
  set_if(involved, "fieldPath", r.field_path);
  SetString(d, "reason", e.reason, a);
  SetString(d, "message", e.message, a);
  Json& source = EnsureObject(d, "source", a);
  set_if(source, "component", e.component);
  SetString(d, "firstTimestamp", Rfc3339(c.first_timestamp), a);
  SetString(d, "lastTimestamp", Rfc3339(c.last_timestamp), a);
  SetMember(d, "count", Json(c.count), a);
  SetString(d, "type", e.type, a);
  SetMember(d, "eventTime", Json(rapidjson::kNullType), a);
  SetString(d, "reportingComponent", e.component, a);
  SetString(d, "reportingInstance", "", a);
  return ToJson(d);
}

std::string RepeatPatchJson(const Correlation& c) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetMember(d, "count", Json(c.count), a);
  SetString(d, "lastTimestamp", Rfc3339(c.last_timestamp), a);
  return ToJson(d);
}

}  // namespace berth::events
