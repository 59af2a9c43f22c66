#include "kernel/api/server/watch_encoder.h"

#include <cstdio>

#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/version_conversion.h"

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

void WatchEncoder::AppendEvent(const store::SharedEvent& event,
                               std::string* out) {
  const store::Event& ev = event.event();
  if (!table_ && !version_.empty()) {
    std::string line = "{\"type\":\"";
    line.append(EventTypeName(ev.type)).append("\",\"object\":");
    line.append(*ConvertOut(kind_, version_, ev.object.data)).append("}\n");
    AppendChunk(line, out);
    return;
  }
  if (!table_) {
    out->append(event.Encoded([](const store::Event& e) {
      const std::string_view type = EventTypeName(e.type);
      std::string line;
      line.reserve(e.object.data->size() + type.size() + 24);
      line.append("{\"type\":\"").append(type).append("\",\"object\":");
      line.append(*e.object.data).append("}\n");
      std::string chunk;
      chunk.reserve(line.size() + 24);
      AppendChunk(line, &chunk);
      return chunk;
    }));
    return;
  }
  std::string line = "{\"type\":\"";
  line.append(EventTypeName(ev.type)).append("\",\"object\":");
  line.append(
      BuildTable(kind_, {ev.object.data}, include_, "", "", first_table_));
  first_table_ = false;
  line.append("}\n");
  AppendChunk(line, out);
}

std::string WatchEncoder::BookmarkLine(uint64_t revision) const {
  const KindInfo& info = kind_.Info();
  return "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + info.kind +
         "\",\"apiVersion\":\"" + ApiVersionOf(info, version_) +
         "\",\"metadata\":{\"resourceVersion\":\"" + std::to_string(revision) +
         "\"}}}\n";
}

}  // namespace berth::api
