// TablePrinter: prints meta.k8s.io/v1 Table replies the way `kubectl get`
// does: upper-case headers, columns aligned by Go's tabwriter rules
// (minimum width 6, three spaces of padding, the last column unpadded),
// priority > 0 columns only when wide, and a NAMESPACE column first when
// listing across namespaces.
//
// Thread safety: a value type; one thread at a time.
#ifndef BERTH_KERNEL_CLI_TABLE_PRINTER_H_
#define BERTH_KERNEL_CLI_TABLE_PRINTER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "berth/json.h"

namespace berth::cli {

class TablePrinter {
 public:
  // `name_prefix` ("pod/") goes before each Name cell, as kubectl shows
  // names when several types are listed at once.
  TablePrinter(bool with_namespace, bool wide, std::string name_prefix = "")
      : with_namespace_(with_namespace),
        wide_(wide),
        name_prefix_(std::move(name_prefix)) {}

  // Adds the rows of one Table. The first Table's column definitions give
  // the header; later ones (one per named object) only add rows.
  void Add(const Json& table);

  size_t rows() const { return rows_.size(); }

  // The aligned text, header first; "" when there are no rows.
  std::string Render() const;

 private:
  bool with_namespace_;
  bool wide_;
  std::string name_prefix_;
  size_t name_column_ = SIZE_MAX;  // index into cells of the Name column
  bool have_columns_ = false;
  std::vector<size_t> shown_;  // indexes of the columns printed
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_TABLE_PRINTER_H_
