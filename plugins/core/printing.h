// Printing: the pieces every core kind's Table output shares — the Name and
// Age column definitions as kubectl's server-side printers declare them, and
// appending cells to a Table row.
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_CORE_PRINTING_H_
#define BERTH_PLUGINS_CORE_PRINTING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::core {

PrinterColumn NameColumn();
PrinterColumn AgeColumn();
PrinterColumn StringColumn(std::string name, std::string description,
                           int priority = 0);

void AppendCell(Json& cells, std::string_view value, JsonAlloc& alloc);
void AppendCell(Json& cells, int64_t value, JsonAlloc& alloc);

// labels.FormatLabels: "k1=v1,k2=v2" sorted by key, "<none>" when empty.
std::string FormatLabels(const Json* labels);

// A JSON boolean as "true"/"false" (absent is "false"), for field selectors.
std::string BoolField(const Json* v);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_PRINTING_H_
