#include "greeting_kind.h"

#include <ctime>

namespace greeting {

namespace {

// kubectl's age style: 45s, 12m, 5h, 3d.
std::string Age(const std::string& created,
                std::chrono::system_clock::time_point now) {
  std::tm tm{};
  if (!strptime(created.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return "<unknown>";
  auto then = std::chrono::system_clock::from_time_t(timegm(&tm));
  long long s =
      std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  if (s < 0) s = 0;
  if (s < 120) return std::to_string(s) + "s";
  if (s < 3 * 3600) return std::to_string(s / 60) + "m";
  if (s < 48 * 3600) return std::to_string(s / 3600) + "h";
  return std::to_string(s / 86400) + "d";
}

berth::Json Str(const std::string& s, berth::JsonAlloc& alloc) {
  return berth::Json(s.c_str(), static_cast<rapidjson::SizeType>(s.size()),
                     alloc);
}

}  // namespace

GreetingKind::GreetingKind() {
  info_.group = "example.berth.io";
  info_.version = "v1";
  info_.kind = "Greeting";
  info_.plural = "greetings";
  info_.singular = "greeting";
  info_.namespaced = true;
  info_.short_names = {"gr"};
  info_.status_subresource = true;
  info_.schema_name = "io.berth.example.v1.Greeting";
}

std::vector<berth::FieldCause> GreetingKind::Validate(
    const berth::Json& obj, const berth::Json* old) const {
  if (berth::GetString(obj, {"spec", "name"}).empty()) {
    return {berth::field::Required("spec.name")};
  }
  return {};
}

std::vector<berth::PrinterColumn> GreetingKind::Columns() const {
  return {{"Name", "string", "name", "Name of the greeting.", 0},
          {"Message", "string", "", "The greeting the controller wrote.", 0},
          {"Age", "date", "", "Time since creation.", 0}};
}

void GreetingKind::Cells(const berth::Json& obj,
                         std::chrono::system_clock::time_point now,
                         berth::Json& cells, berth::JsonAlloc& alloc) const {
  cells.PushBack(Str(berth::GetString(obj, {"metadata", "name"}), alloc),
                 alloc);
  cells.PushBack(Str(berth::GetString(obj, {"status", "message"}), alloc),
                 alloc);
  cells.PushBack(
      Str(Age(berth::GetString(obj, {"metadata", "creationTimestamp"}), now),
          alloc),
      alloc);
}

std::string GreetingKind::OpenApiSchemas() const {
  return R"({"io.berth.example.v1.Greeting":{
  "type":"object",
  "description":"A greeting; the controller writes status.message.",
  "properties":{
    "apiVersion":{"type":"string"},
    "kind":{"type":"string"},
    "metadata":{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    "spec":{"type":"object","required":["name"],
      "properties":{"name":{"type":"string","description":"Who to greet."}}},
    "status":{"type":"object",
      "properties":{"message":{"type":"string","description":"The greeting."}}}},
  "x-kubernetes-group-version-kind":[
    {"group":"example.berth.io","kind":"Greeting","version":"v1"}]}})";
}

}  // namespace greeting
