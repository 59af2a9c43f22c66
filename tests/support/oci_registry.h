// Test fixtures for OCI images and registries, for every test that needs a
// real image or a real registry:
//  - BuildOciImage runs tests/support/oci/make-oci-image.sh: an OCI image
//    layout dir (and optionally a tar / tar.gz archive of it) with a
//    deterministic digest; BuildBusyboxImage makes the standard test image
//    (Debian's static /bin/busybox with applet symlinks — sh, httpd, cat,
//    sleep, wget, ... —, /etc/passwd with root and nobody, Cmd ["sh"],
//    Env PATH).
//  - RegistryServer runs Debian's `docker-registry serve` on a free
//    loopback port with filesystem storage in a temp dir: plain HTTP, with
//    htpasswd basic auth, or with TLS (a self-signed certificate for
//    127.0.0.1 made with openssl; ca_file() trusts it). Push copies an OCI
//    layout into it with skopeo (all platforms of an index).
//
// Thread safety: one test thread per instance.
#ifndef BERTH_TESTS_SUPPORT_OCI_REGISTRY_H_
#define BERTH_TESTS_SUPPORT_OCI_REGISTRY_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace berth::testing {

// Why the image/registry tools are unusable ("" when docker-registry,
// skopeo, htpasswd, openssl and /bin/busybox are all there).
std::string MissingRegistryTools();

// Runs make-oci-image.sh OUT_DIR args... (see the script for the flags:
// --busybox, --layer DIR, --arch A, --tag T, --cmd C, --index-of DIR,
// --archive FILE). Returns "" on success, else the script's output.
std::string BuildOciImage(const std::string& out_dir,
                          const std::vector<std::string>& args);
// The busybox test image as an OCI layout at out_dir (tag "latest"), and
// as an archive when `archive` is not empty. "" on success.
std::string BuildBusyboxImage(const std::string& out_dir,
                              const std::string& archive = "");

class RegistryServer {
 public:
  enum class Mode { kPlain, kBasicAuth, kTls };
  static constexpr char kUser[] = "berth";
  static constexpr char kPassword[] = "s3cret-pw";

  // With `netns`, the registry runs inside network namespace
  // /var/run/netns/<netns> (a test "node"), on port 5000 + mode (5000
  // plain, 5001 basic auth, 5002 TLS) of its loopback,
  // and Push runs there too.
  explicit RegistryServer(Mode mode = Mode::kPlain, std::string netns = "");
  ~RegistryServer();  // kills the registry and removes its storage
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  // Starts the registry and waits until it answers. False (see log())
  // when it does not within 20 s.
  bool Start();
  // "127.0.0.1:<port>".
  const std::string& host() const { return host_; }
  // The self-signed certificate (kTls), usable as a CA bundle.
  std::string ca_file() const { return dir_.path() + "/cert.pem"; }
  // skopeo copy --all oci:<oci_dir>:<tag> docker://host/<repo>:<tag>;
  // with docker_media_types the registry gets docker schema2 manifests and
  // manifest lists (skopeo --format v2s2) instead of OCI ones. "" on
  // success, else skopeo's output.
  std::string Push(const std::string& oci_dir, const std::string& repo,
                   const std::string& tag = "latest",
                   bool docker_media_types = false);
  std::string log() const;

 private:
  Mode mode_;
  TempDir dir_;
  pid_t pid_ = -1;
  std::string host_;
  std::string netns_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_OCI_REGISTRY_H_
