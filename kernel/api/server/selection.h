// Selection: turns a request's labelSelector and fieldSelector into a store
// predicate over an object's attributes, rejecting fields its kind cannot
// select on as the apiserver does ("field label not supported: x").
//
// Thread safety: pure function; the predicate is immutable and shareable.
#ifndef BERTH_KERNEL_API_SERVER_SELECTION_H_
#define BERTH_KERNEL_API_SERVER_SELECTION_H_

#include <string>

#include "berth/kind.h"
#include "berth/status.h"
#include "kernel/store/store.h"

namespace berth::api {

// An empty predicate when both selectors are empty. BadRequest for a
// malformed selector or an unsupported field.
StatusOr<store::Predicate> MakeSelectionPredicate(
    const Kind& kind, const std::string& label_selector,
    const std::string& field_selector);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_SELECTION_H_
