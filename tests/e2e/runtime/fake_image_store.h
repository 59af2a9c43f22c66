// FakeImageStore: an oci::ImageStore holding one image, "busybox", whose
// only layer is a directory made from the host's /bin/busybox (busybox-
// static) with a link per applet — exactly what an unpacked layer is — so
// the OCI runtime tests need no registry.
//
// Thread safety: immutable after construction.
#ifndef BERTH_TESTS_E2E_RUNTIME_FAKE_IMAGE_STORE_H_
#define BERTH_TESTS_E2E_RUNTIME_FAKE_IMAGE_STORE_H_

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "plugins/runtime/oci/image/image_store.h"

namespace berth::testing {

class FakeImageStore : public oci::ImageStore {
 public:
  // Builds the layer under `dir`. ok() is false without /bin/busybox.
  explicit FakeImageStore(const std::string& dir) {
    namespace fs = std::filesystem;
    if (!fs::exists("/bin/busybox")) return;
    std::string layer = dir + "/layer";
    for (const char* d :
         {"bin", "proc", "sys", "dev", "tmp", "etc", "www", "root"}) {
      fs::create_directories(layer + "/" + d);
    }
    fs::copy_file("/bin/busybox", layer + "/bin/busybox");
    for (const char* applet :
         {"sh", "echo", "cat", "sleep", "head", "tr", "wget", "httpd", "ls",
          "id", "hostname", "ps", "dd", "true", "false", "printf", "tty",
          "stty"}) {
      fs::create_symlink("busybox", layer + "/bin/" + applet);
    }
    std::ofstream(layer + "/etc/passwd")
        << "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n";
    std::ofstream(layer + "/etc/group") << "root:x:0:\nnogroup:x:65534:\n";
    std::ofstream(layer + "/www/index.html") << "hello from the pod\n";
    record_.info.id = "sha256:" + std::string(64, 'b');
    record_.info.repo_tags = {"busybox:latest"};
    record_.run.cmd = {"sh"};
    record_.run.env = {"PATH=/bin", "FROM_IMAGE=yes"};
    record_.layer_dirs = {layer};
    ok_ = true;
  }
  bool ok() const { return ok_; }
  oci::ImageRecord& record() { return record_; }

  StatusOr<oci::ImageRecord> Pull(const std::string& reference,
                                  const std::optional<ImageAuth>&) override {
    return Resolve(reference);
  }
  StatusOr<std::vector<oci::ImageRecord>> Import(const std::string&) override {
    return Status::MethodNotAllowed("fake");
  }
  StatusOr<oci::ImageRecord> Resolve(const std::string& reference) override {
    if (reference == "busybox" || reference == "busybox:latest") {
      return record_;
    }
    return Status::NotFound("image " + reference + " not present");
  }
  StatusOr<std::vector<oci::ImageRecord>> List() override {
    return std::vector<oci::ImageRecord>{record_};
  }
  Status Remove(const std::string& reference) override {
    return Status::NotFound(reference);
  }
  StatusOr<ImageFsUsage> FsUsage() override { return ImageFsUsage{}; }
  void SetRegistryHosts(
      std::map<std::string, oci::RegistryHostSettings>) override {}

 private:
  bool ok_ = false;
  oci::ImageRecord record_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_E2E_RUNTIME_FAKE_IMAGE_STORE_H_
