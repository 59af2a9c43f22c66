// WatchEncoder: the wire form of one watch stream — a JSON line
// {"type":..., "object":...} per event (the object as stored, or as a
// meta.k8s.io Table row when the client asked for as=Table, with column
// definitions in the first one only), ERROR and BOOKMARK lines, and the
// HTTP/1.1 chunked framing around them, one chunk per event. The plain form
// of an event is the same for every stream, so it is encoded once per event
// (cached on the shared store event) and copied to each stream.
//
// Thread safety: an encoder belongs to one stream and is used by one thread
// at a time; the free functions are pure.
#ifndef BERTH_KERNEL_API_SERVER_WATCH_ENCODER_H_
#define BERTH_KERNEL_API_SERVER_WATCH_ENCODER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/kind.h"
#include "berth/status.h"
#include "kernel/api/server/table.h"
#include "kernel/store/store.h"

namespace berth::api {

// The chunk that ends a chunked body.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// Appends `data` to `out` as one HTTP chunk (nothing when `data` is empty:
// an empty chunk would end the body).
void AppendChunk(std::string_view data, std::string* out);

// {"type":"ERROR","object":<metav1.Status>}\n
std::string WatchErrorLine(const Status& status);

class WatchEncoder {
 public:
  // `kind` must outlive the encoder (kinds live as long as the server).
  // `version`: "" or one of the kind's also_served_versions, which the
  // stream's objects are converted to (then encoded for this stream only).
  WatchEncoder(const Kind& kind, bool table, IncludeObject include,
               std::string version = "")
      : kind_(kind),
        table_(table),
        include_(include),
        version_(std::move(version)) {}

  // Appends the event's line to `out` as one chunk.
  void AppendEvent(const store::SharedEvent& event, std::string* out);

  // A BOOKMARK line saying every event up to `revision` was sent.
  std::string BookmarkLine(uint64_t revision) const;

 private:
  const Kind& kind_;
  const bool table_;
  const IncludeObject include_;
  const std::string version_;
  bool first_table_ = true;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_WATCH_ENCODER_H_
