// VolumeManager: the node side of a pod's volumes, as the kubelet's volume
// manager does it for the in-tree plugins that need no external storage.
// Each volume lives in <pods_root>/<uid>/volumes/<plugin>/<name>, plugin
// being kubelet's directory name (kubernetes.io~empty-dir,
// kubernetes.io~configmap, kubernetes.io~secret, kubernetes.io~downward-api,
// kubernetes.io~projected; hostPath uses the host path itself):
//   emptyDir     a directory; medium Memory: a tmpfs of sizeLimit mounted on
//                it when this process may mount (root), else a tmpfs Mount
//                per container (not shared between containers then).
//   hostPath     the path, checked by type exactly as the kubelet does
//                ("", DirectoryOrCreate, Directory, FileOrCreate, File,
//                Socket, CharDevice, BlockDevice).
//   configMap, secret, downwardAPI, projected
//                files written atomically (AtomicWriter: a ..<timestamp>
//                directory, the ..data symlink swapped by rename, one
//                top-level symlink per path) so a reader never sees half an
//                update; items, defaultMode, mode and optional honoured.
//                secret and projected volumes live on a tmpfs of their own
//                (as the kubelet keeps secrets off the disk) when this
//                process may mount.
//                projected serviceAccountToken sources hold a token for
//                the pod's ServiceAccount bound to the pod, from the
//                TokenRequest API (ServiceAccountTokens), replaced by
//                Refresh once 80% of its lifetime has passed; left out
//                when the server serves no TokenRequest API.
//   persistentVolumeClaim
//                the bound PersistentVolume's hostPath (type-checked) or
//                local path; other PV sources fail with Invalid.
// Other volume types (nfs, csi...) are not handled here: Prepare fails for
// them with Invalid naming the type.
//
// Errors are the text the kubelet puts in its FailedMount event, e.g.
// `MountVolume.SetUp failed for volume "cfg" : configmap "app" not found`.
//
// Thread safety: all methods may be called from several threads; calls for
// one pod uid are serialized inside.
#ifndef BERTH_PLUGINS_NODE_VOLUMES_VOLUME_MANAGER_H_
#define BERTH_PLUGINS_NODE_VOLUMES_VOLUME_MANAGER_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"
#include "berth/runtime.h"
#include "berth/status.h"
#include "env/expansion.h"
#include "env/pod_facts.h"
#include "volumes/service_account_tokens.h"

namespace berth::node {

class VolumeManager {
 public:
  struct Options {
    // Mount a tmpfs for emptyDir medium Memory on the host directory (shared
    // by the pod's containers, as the kubelet does), and under secret and
    // projected volumes. When false, or when the mount is refused (not
    // root), MountsFor returns a tmpfs Mount for memory emptyDirs instead
    // and secrets are written to the disk.
    bool mount_memory_volumes = true;
    // The clock that ages projected service account tokens.
    ServiceAccountTokens::Now now = ServiceAccountTokens::Clock::now;
  };

  // `client` must outlive the manager. `pods_root` is created on demand.
  VolumeManager(Client& client, std::string pods_root);
  VolumeManager(Client& client, std::string pods_root, Options options);
  ~VolumeManager();

  // Creates or updates every volume of `pod` (a Pod object). `facts` feed
  // downwardAPI files (node name, pod IPs, allocatable). Stops at the first
  // volume that fails and returns the kubelet's FailedMount message;
  // volumes set up before stay (a later call finishes the job).
  Status Prepare(const Json& pod, const PodFacts& facts = {});

  // The mounts of `container` (an element of the pod's containers,
  // initContainers or ephemeralContainers) from its volumeMounts: host
  // path (with subPath, or subPathExpr expanded against `env` — the
  // container's resolved environment — created as a directory when
  // missing, as the kubelet does), readOnly, mountPropagation. Call after
  // Prepare. Invalid when a mount names a volume the pod does not have, or
  // a subPath is absolute or climbs out of the volume with ".."; a
  // subPathExpr naming an unset or empty variable fails with the kubelet's
  // "missing value for VAR".
  StatusOr<std::vector<Mount>> MountsFor(const Json& pod, const Json& container,
                                         const EnvList& env = {}) const;

  // Rewrites configMap, secret, downwardAPI and projected volumes from the
  // current API objects, with a new service account token where the held
  // one is due (the agent calls it periodically, and when the
  // pod's labels or annotations change). A file set whose content did not
  // change is left alone. Errors as Prepare.
  Status Refresh(const Json& pod, const PodFacts& facts = {});

  // Removes <pods_root>/<uid> with everything under it, unmounting the
  // tmpfs volumes this manager mounted first, and forgets the pod's tokens.
  // Never follows a symlink or crosses into a mount it did not make. OK when
  // nothing is there.
  Status Cleanup(const std::string& uid);

  // <pods_root>/<uid>/volumes/<plugin>/<name> for a volume of that type.
  std::string VolumeDir(const std::string& uid, const std::string& plugin,
                        const std::string& name) const;

  // The kubelet's plugin directory name for a volume source key
  // ("configMap" → "kubernetes.io~configmap"); "" for one not handled here.
  static std::string PluginDirName(const std::string& source_key);

 private:
  Status SetUpVolume(const Json& pod, const Json& volume, const PodFacts& facts,
                     bool refresh_only);
  // The host path of the PV bound to claim `claim` in `ns`.
  StatusOr<std::string> ClaimPath(const std::string& ns,
                                  const std::string& claim);

  Client& client_;
  const std::string pods_root_;
  const Options options_;
  ServiceAccountTokens tokens_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> pod_locks_;
  // Host paths of prepared persistentVolumeClaim volumes: uid → name → path.
  std::map<std::string, std::map<std::string, std::string>> claim_paths_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_VOLUMES_VOLUME_MANAGER_H_
