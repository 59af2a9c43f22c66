// Table: the meta.k8s.io/v1 Table replies `kubectl get` asks for, built from
// a kind's printer columns (or the generic Name / Created At pair), with
// each row's object as PartialObjectMetadata, the full object, or none, as
// the includeObject parameter says.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SERVER_TABLE_H_
#define BERTH_KERNEL_API_SERVER_TABLE_H_

#include <memory>
#include <string>
#include <vector>

#include "berth/kind.h"

namespace berth::api {

enum class IncludeObject { kNone, kMetadata, kObject };

// Parses the includeObject parameter ("" means Metadata).
IncludeObject ParseIncludeObject(const std::string& value);

// A Table for `objects` (encoded JSON). `resource_version` and
// `continue_token` fill the list metadata; `with_columns` false omits the
// column definitions (later watch events).
std::string BuildTable(
    const Kind& kind,
    const std::vector<std::shared_ptr<const std::string>>& objects,
    IncludeObject include, const std::string& resource_version,
    const std::string& continue_token, bool with_columns = true);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_TABLE_H_
