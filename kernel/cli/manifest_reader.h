// Manifest reading for `berth apply -f` and `berth delete -f`: a file, every
// .yaml/.yml/.json file of a directory (not recursing, like kubectl), or
// stdin ("-"); multi-document YAML and JSON, with `kind: List` (and any
// *List with items) expanded into its items.
//
// Thread safety: stateless functions.
#ifndef BERTH_KERNEL_CLI_MANIFEST_READER_H_
#define BERTH_KERNEL_CLI_MANIFEST_READER_H_

#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::cli {

// The objects of one file, or why it could not be read.
struct ManifestFile {
  std::string source;  // the path as given, or "STDIN"
  Status status;       // BadRequest with a one-line message on a parse error
  std::vector<JsonDoc> objects;
};

// Reads `path` (file, directory or "-"). A path that does not exist yields
// one ManifestFile whose status is NotFound with kubectl's wording
// (`the path "x" does not exist`); a file that does not parse yields one
// with BadRequest `error parsing x: <the parser's line and reason>`, and its
// objects are empty: nothing from a broken file is applied.
std::vector<ManifestFile> ReadManifests(const std::string& path);

// Splits a text into objects the same way (for tests and stdin).
ManifestFile ParseManifest(const std::string& source, const std::string& text);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_MANIFEST_READER_H_
