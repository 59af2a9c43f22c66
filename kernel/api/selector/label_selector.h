// LabelSelector: a parsed Kubernetes label selector ("app=web,tier in
// (a,b),!canary"), matched against an object's labels. Parsing, validation,
// error messages and the canonical string form follow
// k8s.io/apimachinery/pkg/labels so clients see the replies they expect.
//
// Thread safety: an immutable value once built; const methods may be called
// from any number of threads at once.
#ifndef BERTH_KERNEL_API_SELECTOR_LABEL_SELECTOR_H_
#define BERTH_KERNEL_API_SELECTOR_LABEL_SELECTOR_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::selector {

using Labels = std::map<std::string, std::string>;

enum class LabelOperator {
  kEquals,        // key=value
  kDoubleEquals,  // key==value
  kNotEquals,     // key!=value (also matches objects without the key)
  kIn,            // key in (a,b)
  kNotIn,         // key notin (a,b) (also matches objects without the key)
  kExists,        // key
  kDoesNotExist,  // !key
  kGreaterThan,   // key>3 (integer comparison; no match when not an integer)
  kLessThan,      // key<3
};

// One term of a selector. `values` holds what the operator compares with:
// one value for the equality and ordering operators, one or more for
// in/notin, none for exists/does-not-exist.
struct LabelRequirement {
  std::string key;
  LabelOperator op = LabelOperator::kExists;
  std::vector<std::string> values;

  bool Matches(const Labels& labels) const;
  // "x in (a,b)", "!y", "z=c"; values of in/notin are printed sorted.
  std::string String() const;
};

// Validates a requirement the way labels.NewRequirement does: key syntax,
// value syntax and value count for the operator. Fails with BadRequest
// carrying the Kubernetes field error text.
StatusOr<LabelRequirement> MakeLabelRequirement(
    std::string key, LabelOperator op, std::vector<std::string> values);

class LabelSelector {
 public:
  // The empty selector: matches every object.
  LabelSelector() = default;

  // Parses the `labelSelector` query syntax. "" yields the empty selector.
  // On failure returns BadRequest with the apimachinery message, e.g.
  // "unable to parse requirement: found '', expected: identifier".
  static StatusOr<LabelSelector> Parse(std::string_view text);

  // Builds a selector from a metav1.LabelSelector JSON value (matchLabels and
  // matchExpressions with In/NotIn/Exists/DoesNotExist), as
  // metav1.LabelSelectorAsSelector does: null selects nothing, {} selects
  // everything. Fails with BadRequest for an unknown operator, a malformed
  // value or an invalid key/value.
  static StatusOr<LabelSelector> FromJson(const Json& label_selector);

  // A selector requiring every pair of `labels` (a Service's or a
  // ReplicationController's map selector). Not validated. An empty map
  // selects everything.
  static LabelSelector FromMap(const Labels& labels);

  // The selector that matches no object (a nil metav1.LabelSelector).
  static LabelSelector Nothing();

  bool Matches(const Labels& labels) const;

  // True when the selector has no requirement and matches everything.
  bool Empty() const { return !nothing_ && requirements_.empty(); }

  // The canonical form, requirements sorted by key: "app=web,tier in (a,b)".
  // The nothing selector prints as "".
  std::string String() const;

  const std::vector<LabelRequirement>& requirements() const {
    return requirements_;
  }

 private:
  explicit LabelSelector(std::vector<LabelRequirement> requirements);

  std::vector<LabelRequirement> requirements_;  // sorted by key, stable
  bool nothing_ = false;
};

}  // namespace berth::selector

#endif  // BERTH_KERNEL_API_SELECTOR_LABEL_SELECTOR_H_
