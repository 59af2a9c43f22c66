#include "kernel/api/server/list_encoding.h"

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

}  // namespace berth::api
