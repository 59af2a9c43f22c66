// hostPath type checks, exactly as the kubelet's hostpath volume plugin does
// them (pkg/volume/hostpath/host_path.go checkType), with its messages:
// "hostPath type check failed: /data is not a directory",
// "... is not a file", "... is not a socket file",
// "... is not a character device", "... is not a block device",
// "<type> is an invalid volume type". DirectoryOrCreate makes the directory
// (0755, with parents); FileOrCreate makes an empty 0644 file (not its
// parent).
//
// Thread safety: pure functions over the file system.
#ifndef BERTH_PLUGINS_NODE_VOLUMES_HOST_PATH_H_
#define BERTH_PLUGINS_NODE_VOLUMES_HOST_PATH_H_

#include <string>

#include "berth/status.h"

namespace berth::node {

// OK when `path` satisfies `type` ("" checks nothing). Invalid with the
// kubelet's message otherwise, or Internal when creating failed.
Status CheckHostPathType(const std::string& path, const std::string& type);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_VOLUMES_HOST_PATH_H_
