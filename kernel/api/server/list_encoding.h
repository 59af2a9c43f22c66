// List encoding: the JSON body of a list reply ({"kind":"PodList",...,
// "items":[...]}) assembled from the stored objects' bytes without parsing
// them, shared by REST replies and the in-process client.
//
// Thread safety: pure function.
#ifndef BERTH_KERNEL_API_SERVER_LIST_ENCODING_H_
#define BERTH_KERNEL_API_SERVER_LIST_ENCODING_H_

#include <string>

#include "berth/kind.h"
#include "kernel/store/store.h"

namespace berth::api {

// The `<Kind>List` body with the list's revision and continue token.
std::string EncodeList(const KindInfo& info, const store::ListResult& list);
// The same in `version`, one of the kind's also_served_versions (every item
// converted, see version_conversion.h), or in the kind's own for "".
std::string EncodeList(const Kind& kind, const store::ListResult& list,
                       const std::string& version);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_LIST_ENCODING_H_
