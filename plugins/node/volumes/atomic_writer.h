// AtomicWriter: publishes a set of files in a directory so that readers see
// either the whole old set or the whole new set, never a mix — the
// kubelet's pkg/volume/util/atomic_writer.go layout:
//   <dir>/..2026_01_02_15_04_05.123456789/<path>   the payload
//   <dir>/..data -> ..2026_01_02_15_04_05.123456789   swapped by rename(2)
//   <dir>/<first path element> -> ..data/<first path element>
// Files no longer in the payload disappear with the old timestamped
// directory; top-level symlinks no longer needed are removed.
//
// Thread safety: one writer per directory at a time (the caller serializes).
#ifndef BERTH_PLUGINS_NODE_VOLUMES_ATOMIC_WRITER_H_
#define BERTH_PLUGINS_NODE_VOLUMES_ATOMIC_WRITER_H_

#include <sys/types.h>

#include <map>
#include <string>

#include "berth/status.h"

namespace berth::node {

struct FileProjection {
  std::string data;
  mode_t mode = 0644;
};

// Payload keyed by relative path ("key", "dir/key"); paths must not be
// absolute, contain "..", or start with "..".
using Payload = std::map<std::string, FileProjection>;

// Publishes `payload` in `dir` (created when missing). Returns true in
// `changed` when something was written, false when the current content and
// modes already match. Invalid for a bad path; Internal with the errno text
// when the file system refuses.
Status WriteAtomically(const std::string& dir, const Payload& payload,
                       bool* changed = nullptr);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_VOLUMES_ATOMIC_WRITER_H_
