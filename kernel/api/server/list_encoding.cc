#include "kernel/api/server/list_encoding.h"

#include "kernel/api/server/version_conversion.h"

namespace berth::api {

std::string EncodeList(const KindInfo& info, const store::ListResult& list) {
  std::string out;
  size_t total = 128;
  for (const auto& o : list.items) total += o.data->size() + 1;
  out.reserve(total);
  out += "{\"kind\":\"" + info.kind + "List\",\"apiVersion\":\"" +
         info.ApiVersion() + "\",\"metadata\":{\"resourceVersion\":\"" +
         std::to_string(list.revision) + "\"";
  if (!list.continue_token.empty()) {
    out += ",\"continue\":\"" + list.continue_token + "\"";
  }
  out += "},\"items\":[";
  for (size_t i = 0; i < list.items.size(); ++i) {
    if (i) out += ',';
    out += *list.items[i].data;
  }
  out += "]}";
  return out;
}

std::string EncodeList(const Kind& kind, const store::ListResult& list,
                       const std::string& version) {
  if (!IsOtherVersion(kind.Info(), version)) {
    return EncodeList(kind.Info(), list);
  }
  KindInfo served = kind.Info();
  served.version = version;
  store::ListResult converted = list;
  for (auto& o : converted.items) o.data = ConvertOut(kind, version, o.data);
  return EncodeList(served, converted);
}

}  // namespace berth::api
