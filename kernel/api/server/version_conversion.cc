#include "kernel/api/server/version_conversion.h"

namespace berth::api {

bool IsOtherVersion(const KindInfo& info, const std::string& version) {
  return !version.empty() && version != info.version;
}

std::string ApiVersionOf(const KindInfo& info, const std::string& version) {
  const std::string& v = version.empty() ? info.version : version;
  return info.group.empty() ? v : info.group + "/" + v;
}

Status ConvertIn(const Kind& kind, const std::string& version, Json& obj,
                 JsonAlloc& alloc) {
  const KindInfo& info = kind.Info();
  if (!IsOtherVersion(info, version) || !obj.IsObject()) return {};
  const std::string expected = ApiVersionOf(info, version);
  const std::string sent = GetString(obj, {"apiVersion"});
  if (!sent.empty() && sent != expected) {
    return Status::BadRequest("the API version in the data (" + sent +
                              ") does not match the expected API version (" +
                              expected + ")");
  }
  kind.ConvertFromVersion(version, obj, alloc);
  SetString(obj, "apiVersion", info.ApiVersion(), alloc);
  return {};
}

void ConvertOut(const Kind& kind, const std::string& version, Json& obj,
                JsonAlloc& alloc) {
  const KindInfo& info = kind.Info();
  if (!IsOtherVersion(info, version) || !obj.IsObject()) return;
  kind.ConvertToVersion(version, obj, alloc);
  SetString(obj, "apiVersion", ApiVersionOf(info, version), alloc);
}

std::shared_ptr<const std::string> ConvertOut(
    const Kind& kind, const std::string& version,
    std::shared_ptr<const std::string> data) {
  if (!IsOtherVersion(kind.Info(), version) || !data) return data;
  JsonDoc d;
  d.Parse(data->data(), data->size());
  if (d.HasParseError() || !d.IsObject()) return data;
  ConvertOut(kind, version, d, d.GetAllocator());
  return std::make_shared<const std::string>(ToJson(d));
}

}  // namespace berth::api
