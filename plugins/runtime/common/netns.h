// Netns: persistent network namespaces for sandboxes — a fresh namespace
// bind-mounted on a file (as `ip netns add` does, so CNI plugins and the
// containers can join it by path), its removal, and running code inside
// one on a dedicated thread (setns changes only the calling thread, so the
// caller's own namespace is never touched).
//
// Thread safety: free functions; safe from any thread.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_NETNS_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_NETNS_H_

#include <functional>
#include <string>

#include "berth/status.h"

namespace berth::runtime {

// Creates a new network namespace (loopback up) and bind-mounts it on
// `path` (created). AlreadyExists when `path` already holds a namespace.
Status CreateNetns(const std::string& path);
// Unmounts and deletes `path`. Missing: OK.
Status RemoveNetns(const std::string& path);
// True when `path` is a mounted network namespace.
bool IsNetnsMounted(const std::string& path);
// Runs `fn` on a new thread that joined the namespace at `path` and waits
// for it. Internal when the namespace cannot be joined.
Status RunInNetns(const std::string& path, const std::function<void()>& fn);

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_NETNS_H_
