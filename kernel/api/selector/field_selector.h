// FieldSelector: a parsed Kubernetes field selector ("metadata.name=web,
// status.phase!=Running"), matched against the selectable fields of an
// object. Syntax, escaping (`\,` `\=` `\\` in values) and error messages
// follow k8s.io/apimachinery/pkg/fields.
//
// Thread safety: an immutable value once built; const methods may be called
// from any number of threads at once.
#ifndef BERTH_KERNEL_API_SELECTOR_FIELD_SELECTOR_H_
#define BERTH_KERNEL_API_SELECTOR_FIELD_SELECTOR_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/status.h"

namespace berth::selector {

using Fields = std::map<std::string, std::string>;

struct FieldRequirement {
  std::string field;
  bool equals = true;  // false: `!=`
  std::string value;   // unescaped
};

class FieldSelector {
 public:
  // The empty selector: matches every object.
  FieldSelector() = default;

  // Parses the `fieldSelector` query syntax; "" yields the empty selector.
  // On failure returns BadRequest with the apimachinery message, e.g.
  // "invalid selector: 'a'; can't understand 'a'".
  static StatusOr<FieldSelector> Parse(std::string_view text);

  // True when every term holds. A field absent from `fields` has value "".
  bool Matches(const Fields& fields) const;

  bool Empty() const { return terms_.empty(); }

  // The distinct field names the terms use, sorted, so the caller can reject
  // fields its kind does not support ("field label not supported: x").
  std::vector<std::string> FieldNames() const;

  // The value `field` must equal for the selector to match, when a term
  // requires it (`field=v`); lets callers use an index (spec.nodeName).
  std::optional<std::string> RequiresExactMatch(std::string_view field) const;

  // Canonical form, terms sorted as parsed, values escaped again.
  std::string String() const;

  const std::vector<FieldRequirement>& terms() const { return terms_; }

 private:
  std::vector<FieldRequirement> terms_;
};

}  // namespace berth::selector

#endif  // BERTH_KERNEL_API_SELECTOR_FIELD_SELECTOR_H_
