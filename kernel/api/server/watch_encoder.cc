#include "kernel/api/server/watch_encoder.h"

#include <cstdio>

#include "kernel/api/server/api_errors.h"

namespace berth::api {
namespace {

const char* EventTypeName(store::Event::Type t) {
  switch (t) {
    case store::Event::Type::kAdded:
      return "ADDED";
    case store::Event::Type::kModified:
      return "MODIFIED";
    case store::Event::Type::kDeleted:
      return "DELETED";
  }
  return "ERROR";
}

}  // namespace

void AppendChunk(std::string_view data, std::string* out) {
  if (data.empty()) return;
  char size[24];
  int n = std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  out->append(size, static_cast<size_t>(n));
  out->append(data);
  out->append("\r\n");
}

std::string WatchErrorLine(const Status& status) {
  return "{\"type\":\"ERROR\",\"object\":" + StatusBody(status) + "}\n";
}

void WatchEncoder::AppendEvents(const std::vector<store::Event>& events,
                                std::string* out) {
  for (const auto& ev : events) {
    out->append("{\"type\":\"");
    out->append(EventTypeName(ev.type));
    out->append("\",\"object\":");
    if (table_) {
      out->append(
          BuildTable(kind_, {ev.object.data}, include_, "", "", first_table_));
      first_table_ = false;
    } else {
      out->append(*ev.object.data);
    }
    out->append("}\n");
  }
}

std::string WatchEncoder::BookmarkLine(uint64_t revision) const {
  const KindInfo& info = kind_.Info();
  return "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + info.kind +
         "\",\"apiVersion\":\"" + info.ApiVersion() +
         "\",\"metadata\":{\"resourceVersion\":\"" + std::to_string(revision) +
         "\"}}}\n";
}

}  // namespace berth::api
