// EndpointSliceWrites: what the endpointslice and endpointslicemirroring
// controllers share once they know the endpoints a name should have —
// reading back the slices a controller manages (and spotting those of an
// earlier owner of the same name), and writing a SlicePlan: creates and
// updates first, so a Service never has fewer endpoints than it should
// between the writes, then deletions.
//
// Thread safety: pure functions over a thread-safe Client.
#ifndef BERTH_PLUGINS_CORE_ENDPOINT_SLICE_WRITES_H_
#define BERTH_PLUGINS_CORE_ENDPOINT_SLICE_WRITES_H_

#include <map>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"
#include "endpoint_slice_plan.h"

namespace berth::core {

// The managed slices of `items` that `owner` (its uid and `owner_kind`)
// controls, as the plan reads them; the names of the others (an earlier
// owner's, or not IPv4) go to `stale`. `by_name` maps each kept slice's
// name to its object (pointers into `items`' document).
std::vector<ExistingSlice> ReadOwnedSlices(
    const std::vector<const Json*>& items, const Json& owner,
    const std::string& owner_kind, const std::string& labels_key,
    std::map<std::string, const Json*>* by_name,
    std::vector<std::string>* stale);

// What every slice written for one owner carries.
struct SliceHeader {
  std::string ns;
  std::string name;  // new slices are named "<name>-<random>"
  const Json* owner = nullptr;
  std::string owner_kind;  // "Service", "Endpoints"
  const Json* labels = nullptr;
  std::string trigger_time;  // last-change-trigger-time; "" for none
};

// Writes `plan`. The client's error on the first write that fails.
Status WriteSlicePlan(Client& client, const SliceHeader& header,
                      const SlicePlan& plan,
                      const std::map<std::string, const Json*>& by_name);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_ENDPOINT_SLICE_WRITES_H_
