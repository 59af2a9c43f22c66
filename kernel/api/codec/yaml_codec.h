// YAML and JSON text <-> JSON documents, with the semantics Kubernetes gives
// them: YAML is read the way sigs.k8s.io/yaml reads it (go-yaml v2, YAML 1.1
// scalar typing, then converted to JSON), and YAML is written the way
// `kubectl get -o yaml` writes it (block style, keys in go-yaml's order).
//
// Resolution of unquoted scalars, as go-yaml v2 does it for untyped values:
//   true/True/TRUE/yes/Yes/YES/y/Y/on/On/ON      -> true
//   false/False/FALSE/no/No/NO/n/N/off/Off/OFF   -> false
//   empty, ~, null/Null/NULL                     -> null
//   integers (decimal, 0x.., 0o.., 0b.., 0755 octal, `_` separators) -> number
//   floats (1.5, 1e3, .5)                        -> number
//   anything else, including timestamps          -> string
// Quoted and block (| >) scalars, and `!!str`-tagged ones, are strings. Map
// keys are always strings: a key that resolves to a bool or number is written
// in its canonical form ("true", "16" for 0x10). Merge keys (<<) are
// supported; a repeated key keeps its last value.
//
// Thread safety: all functions are pure; safe to call concurrently.
#ifndef BERTH_KERNEL_API_CODEC_YAML_CODEC_H_
#define BERTH_KERNEL_API_CODEC_YAML_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::codec {

// Parses a stream of YAML documents separated by `---`. Documents that are
// empty (or only comments, or null) are skipped, so a stream may yield none.
// On a syntax error returns BadRequest naming the 1-based line and column:
//   "error converting YAML to JSON: yaml: line 7, column 5: illegal map value"
// Also BadRequest for values JSON cannot hold (.inf, .nan, non-scalar keys)
// and for documents nested or aliased beyond sane limits.
StatusOr<std::vector<JsonDoc>> YamlToJsonDocuments(std::string_view text);

// Renders a JSON value as one YAML document, as `kubectl get -o yaml` would:
// two-space block style, sequences not indented under their key, object keys
// sorted in go-yaml's natural order, strings quoted whenever the plain form
// would read back as something else. The result ends with a newline and
// reads back through YamlToJsonDocuments to an equal value.
std::string JsonToYaml(const Json& value);

// Decodes one request body. JSON (is_yaml false) errors are BadRequest in
// Kubernetes' wording with the position added, e.g.
//   "couldn't get version/kind; json parse error: invalid character '}'
//    looking for beginning of object key string (line 3, column 1)"
// YAML bodies must hold exactly one document. Either way the body must be an
// object; otherwise BadRequest.
StatusOr<JsonDoc> DecodeJsonOrYaml(std::string_view body, bool is_yaml);

}  // namespace berth::codec

#endif  // BERTH_KERNEL_API_CODEC_YAML_CODEC_H_
