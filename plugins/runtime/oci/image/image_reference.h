// ImageReference: an image name parsed the way docker parses it —
// "busybox" is docker.io/library/busybox:latest, a first component with a
// dot or colon (or "localhost") is a registry host ("host:5000/app:v1"),
// "@sha256:..." pins a digest.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_IMAGE_REFERENCE_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_IMAGE_REFERENCE_H_

#include <string>

#include "berth/status.h"

namespace berth::oci {

struct ImageReference {
  std::string domain;      // "docker.io", "127.0.0.1:5000"
  std::string repository;  // "library/busybox"
  std::string tag;         // "latest" unless a digest alone was given
  std::string digest;      // "sha256:..." or ""

  // "docker.io/library/busybox" (no tag or digest).
  std::string Name() const { return domain + "/" + repository; }
  // Name plus "@digest" when pinned, else ":tag".
  std::string String() const {
    return digest.empty() ? Name() + ":" + tag : Name() + "@" + digest;
  }
  // The host to talk to ("registry-1.docker.io" for docker.io).
  std::string RegistryHost() const {
    return domain == "docker.io" ? "registry-1.docker.io" : domain;
  }
};

// Parses `text`. Invalid (naming the text) for empty names, upper-case
// repositories, bad tags or digests.
StatusOr<ImageReference> ParseImageReference(const std::string& text);

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_IMAGE_REFERENCE_H_
