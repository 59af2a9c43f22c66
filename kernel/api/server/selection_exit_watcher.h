// SelectionExitWatcher: a store::Watcher decorator for watches with a label
// or field selector. When an update moves an object out of the selection
// the store reports DELETED with the object as it was before the update
// (what the watcher last matched, as kube-apiserver sends it), but that
// object still carries its old resourceVersion; this decorator re-stamps it
// with the event's revision, so clients that resume from the last
// resourceVersion they saw do not go back in time.
//
// Thread safety: as the wrapped watcher.
#ifndef BERTH_KERNEL_API_SERVER_SELECTION_EXIT_WATCHER_H_
#define BERTH_KERNEL_API_SERVER_SELECTION_EXIT_WATCHER_H_

#include <memory>

#include "kernel/store/store.h"

namespace berth::api {

// Takes ownership of `inner`.
std::unique_ptr<store::Watcher> WrapSelectionExits(
    std::unique_ptr<store::Watcher> inner);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_SELECTION_EXIT_WATCHER_H_
