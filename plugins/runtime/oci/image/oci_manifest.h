// OCI manifests, indexes and image configs as the image store reads them:
// OCI image index / docker manifest list (a list of per-platform
// manifests), OCI image manifest / docker schema2 manifest (a config and
// layers), and the image config (what a container runs, the layers'
// diff_ids).
//
// Thread safety: values and pure functions.
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_OCI_MANIFEST_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_OCI_MANIFEST_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "berth/status.h"
#include "plugins/runtime/oci/image/image_store.h"

namespace berth::oci {

struct Descriptor {
  std::string media_type;
  std::string digest;
  uint64_t size = 0;
  std::string os, architecture, variant;  // index entries only
  std::map<std::string, std::string> annotations;
};

struct ParsedManifest {
  bool is_index = false;
  std::vector<Descriptor> manifests;  // when is_index
  Descriptor config;                  // otherwise
  std::vector<Descriptor> layers;
};

struct ImageConfig {
  ImageRunConfig run;
  std::string os, architecture;
  std::vector<std::string> diff_ids;
};

// Parses a manifest or index. `media_type` is the Content-Type the registry
// sent ("" for files: the body's mediaType, else its shape, decides).
// Invalid when it is neither or a digest in it is malformed.
StatusOr<ParsedManifest> ParseManifest(const std::string& body,
                                       const std::string& media_type = "");

// The index entry for os/architecture (the platform-less entry when the
// index has a single manifest). NotFound naming what the index offers.
StatusOr<Descriptor> PickPlatform(const ParsedManifest& index,
                                  const std::string& os = "linux",
                                  const std::string& architecture = "amd64");

// Parses an image config. Invalid when it is not JSON.
StatusOr<ImageConfig> ParseImageConfig(const std::string& body);

// An OCI image manifest JSON for a config and layers (used for imported
// docker archives, which carry none).
std::string MakeOciManifest(const Descriptor& config,
                            const std::vector<Descriptor>& layers);

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_OCI_MANIFEST_H_
