// RegistryClient: a client of one repository on an OCI distribution API
// registry (docker-registry, Docker Hub, ...), over Poco HTTP or HTTPS.
// It negotiates authentication the way docker does: an anonymous request,
// then on 401 the WWW-Authenticate challenge — Bearer (a token from the
// realm for "repository:<repo>:pull", with basic credentials when given)
// or Basic (the credentials themselves). Blob downloads follow redirects.
// Registry errors ({"errors":[{"code","message"}]}) become Status values
// carrying the registry's message and the image name: MANIFEST_UNKNOWN,
// NAME_UNKNOWN, BLOB_UNKNOWN -> NotFound; UNAUTHORIZED, DENIED ->
// Unauthorized; a registry that cannot be reached -> Unavailable. An
// insecure host is tried over HTTPS without verification, then plain HTTP.
//
// Thread safety: one thread per client (it caches the token).
#ifndef BERTH_PLUGINS_RUNTIME_OCI_IMAGE_REGISTRY_CLIENT_H_
#define BERTH_PLUGINS_RUNTIME_OCI_IMAGE_REGISTRY_CLIENT_H_

#include <map>
#include <optional>
#include <string>

#include "berth/runtime.h"
#include "berth/status.h"
#include "plugins/runtime/oci/image/image_reference.h"
#include "plugins/runtime/oci/image/image_store.h"

namespace berth::oci {

// The media types a client accepts for manifests.
inline constexpr char kOciIndex[] = "application/vnd.oci.image.index.v1+json";
inline constexpr char kOciManifest[] =
    "application/vnd.oci.image.manifest.v1+json";
inline constexpr char kDockerList[] =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr char kDockerManifest[] =
    "application/vnd.docker.distribution.manifest.v2+json";

struct FetchedManifest {
  std::string media_type;
  std::string body;
  std::string digest;  // "sha256:" of body
};

class RegistryClient {
 public:
  RegistryClient(ImageReference ref, std::optional<ImageAuth> auth,
                 RegistryHostSettings settings);

  // The manifest (or index) `tag_or_digest` names. When a digest is given
  // the body must hash to it (Invalid otherwise).
  StatusOr<FetchedManifest> GetManifest(const std::string& tag_or_digest);
  // Downloads blob `digest` to `path` (the caller verifies the content).
  Status DownloadBlob(const std::string& digest, const std::string& path);

 private:
  struct Response {
    int status = 0;
    std::string content_type;
    std::string body;  // the whole body unless streamed to a file
    std::string www_authenticate;
    std::string location;
  };
  // GET `url` (absolute); the body goes to `file` when non-empty and the
  // status is 200. `authorization` is the Authorization header or "".
  StatusOr<Response> Get(const std::string& url, const std::string& accept,
                         const std::string& file,
                         const std::string& authorization);
  // GET of a registry path with auth negotiation and redirects.
  StatusOr<Response> RegistryGet(const std::string& path,
                                 const std::string& accept,
                                 const std::string& file);
  Status Authenticate(const std::string& challenge);
  Status ErrorFrom(const Response& r) const;

  ImageReference ref_;
  std::optional<ImageAuth> auth_;
  RegistryHostSettings settings_;
  std::string base_url_;  // "https://host:port" (or http://)
  bool scheme_settled_ = false;
  int timeout_seconds_ = 60;   // per connect, send and receive
  std::string authorization_;  // the Authorization header value, or ""
};

}  // namespace berth::oci

#endif  // BERTH_PLUGINS_RUNTIME_OCI_IMAGE_REGISTRY_CLIENT_H_
