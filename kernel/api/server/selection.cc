#include "kernel/api/server/selection.h"

#include <algorithm>
#include <memory>

#include "kernel/api/selector/field_selector.h"
#include "kernel/api/selector/label_selector.h"

namespace berth::api {

StatusOr<store::Predicate> MakeSelectionPredicate(
    const Kind& kind, const std::string& label_selector,
    const std::string& field_selector) {
  auto labels = selector::LabelSelector::Parse(label_selector);
  if (!labels.ok()) return labels.status();
  auto fields = selector::FieldSelector::Parse(field_selector);
  if (!fields.ok()) return fields.status();
  std::vector<std::string> supported = kind.SelectableFields();
  supported.push_back("metadata.name");
  supported.push_back("metadata.namespace");
  for (const auto& f : fields->FieldNames()) {
    if (std::find(supported.begin(), supported.end(), f) == supported.end()) {
      return Status::BadRequest("field label not supported: " + f);
    }
  }
  if (labels->Empty() && fields->Empty()) return store::Predicate();
  auto l = std::make_shared<selector::LabelSelector>(std::move(labels).value());
  auto f = std::make_shared<selector::FieldSelector>(std::move(fields).value());
  return store::Predicate([l, f](const store::Object& o) {
    static const store::Attrs kEmpty;
    const store::Attrs& attrs = o.attrs ? *o.attrs : kEmpty;
    return l->Matches(attrs.labels) && f->Matches(attrs.fields);
  });
}

}  // namespace berth::api
