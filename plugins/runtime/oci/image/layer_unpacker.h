// Layer unpacking: an OCI/docker layer tar (gzip or uncompressed) read
// with libarchive into a directory an overlay mount can use as a lower
// layer. Files, directories, symlinks, hardlinks, modes, ownership, times
// and xattrs are kept; the layer format's whiteouts become overlayfs ones:
// ".wh.<name>" a character device 0:0 named <name>, ".wh..wh..opq" the
// xattr trusted.overlay.opaque=y on its directory. Entries that would land
// outside the directory ("..", through symlinks) are refused.
//
// Thread safety: thread-safe; callers keep two unpackers off one directory.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_LAYER_UNPACKER_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_LAYER_UNPACKER_H_

#include <cstdint>
#include <string>

#include "berth/status.h"

namespace berth::oci {

// Unpacks the layer at `archive_path` into the existing directory `dest`.
// Returns the bytes of regular files written. Invalid when the archive is
// corrupt or has an unsafe entry (dest is then partial: the caller
// removes it).
StatusOr<uint64_t> UnpackLayer(const std::string& archive_path,
                               const std::string& dest);

// "sha256:<hex>" of the layer's uncompressed tar stream (its diff_id).
StatusOr<std::string> LayerDiffId(const std::string& archive_path);

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_LAYER_UNPACKER_H_
