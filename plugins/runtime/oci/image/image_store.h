// ImageStore: the node's local OCI image store — a content-addressed blob
// store (sha256) shared by every pod, with each layer unpacked once into its
// own directory so a container's root filesystem is an overlay of layer
// directories, lowest first. Images come from registries (OCI distribution
// API, see registry_client.h) or from OCI / docker archives
// (`berth image import`). The node agent removes unused images, least
// recently used first, when the file system fills (FsUsage, Remove).
//
// On-disk layout under the root (stable: a restarted agent and the
// berth-image command open the same store):
//   blobs/sha256/<hex>       every blob (manifests, configs, gzip layers)
//   layers/<hex>/            one unpacked layer (whiteouts applied as
//                            overlayfs expects: char 0:0 devices and the
//                            trusted.overlay.opaque xattr), named by the
//                            layer's uncompressed diff_id
//   images/<name>.json       one record per image reference
//
// Thread safety: all methods may be called from many threads and from
// several processes at once; a pull of the same image by two callers
// downloads each blob once (a lock file per blob).
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_IMAGE_STORE_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_IMAGE_STORE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/runtime.h"
#include "berth/status.h"

namespace berth::oci {

// What the image's config says a container runs (OCI image config
// "config" object); the runtime applies pod overrides on top.
struct ImageRunConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=value"
  std::string working_dir;
  std::string user;  // "uid[:gid]" or a name, as in the config
};

struct ImageRecord {
  ImageInfo info;  // id "sha256:<config digest>", repo tags, repo digests
  ImageRunConfig run;
  // Unpacked layer directories, lowest (base) layer first; absolute paths.
  std::vector<std::string> layer_dirs;
  std::chrono::system_clock::time_point last_used;
};

// Settings of registries by host ("registry.local:5000").
struct RegistryHostSettings {
  // HTTPS without certificate verification, falling back to plain HTTP
  // when TLS fails (docker's "insecure registries").
  bool insecure = false;
  // Plain HTTP only, no TLS attempt (containerd's plain_http).
  bool plain_http = false;
  std::string ca_file;  // extra CA bundle for HTTPS
};

class ImageStore {
 public:
  // Opens (creating when missing) the store under `root`.
  static StatusOr<std::unique_ptr<ImageStore>> Open(const std::string& root);
  virtual ~ImageStore() = default;

  // Pulls `reference` ("busybox", "host:5000/app:v1", "repo@sha256:...";
  // bare names are docker.io/library/...) for linux/amd64, verifying every
  // digest, and unpacks its layers. Errors carry the registry's message and
  // name the image: NotFound (manifest unknown), Unauthorized (credentials
  // refused), Unavailable (registry unreachable), Invalid (digest mismatch).
  virtual StatusOr<ImageRecord> Pull(const std::string& reference,
                                     const std::optional<ImageAuth>& auth) = 0;
  // Loads every image of an OCI layout archive or a `docker save` archive
  // (tar, optionally gzip) at `path`. Returns the images it loaded.
  virtual StatusOr<std::vector<ImageRecord>> Import(
      const std::string& path) = 0;
  // The local image `reference` (a name, name@digest, or an image id:
  // "sha256:<hex>" or 12+ leading hex digits) names, or NotFound. Marks it
  // used now; unpacks its layers again if they went missing.
  virtual StatusOr<ImageRecord> Resolve(const std::string& reference) = 0;
  // One record per image (id), with every tag and repo digest naming it.
  virtual StatusOr<std::vector<ImageRecord>> List() = 0;
  // Removes the reference (an image id removes every reference to that
  // image); then the blobs and layers no remaining reference needs.
  // NotFound when absent. Waits for pulls and imports in progress.
  virtual Status Remove(const std::string& reference) = 0;
  // The size and free space of the file system under the root, and the
  // bytes the store takes (blobs plus unpacked layers). Internal when the
  // file system cannot be read.
  virtual StatusOr<ImageFsUsage> FsUsage() = 0;
  virtual void SetRegistryHosts(
      std::map<std::string, RegistryHostSettings> hosts) = 0;
};

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_IMAGE_STORE_H_
