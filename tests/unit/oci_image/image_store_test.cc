// The image store's local operations: importing OCI and docker archives,
// resolving to layer directories and the run config, removal that keeps
// what another reference still needs, and garbage collection by last use
// that never touches images in use.
#include "plugins/runtime/oci/image/image_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::oci {
namespace {

namespace fs = std::filesystem;
using berth::testing::BuildBusyboxImage;
using berth::testing::BuildOciImage;
using berth::testing::RunCommand;
using berth::testing::TempDir;

class ImageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (layer ownership)";
    if (access("/bin/busybox", X_OK) != 0) {
      GTEST_SKIP() << "busybox-static is not installed";
    }
    auto s = ImageStore::Open(dir_.path() + "/store");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  std::string Path(const std::string& name) { return dir_.path() + "/" + name; }

  // The busybox image as an OCI archive named `file` (tar or tar.gz).
  std::string BusyboxArchive(const std::string& file) {
    std::string err = BuildBusyboxImage(Path("bb-" + file), Path(file));
    EXPECT_EQ(err, "");
    return Path(file);
  }

  // A docker-save archive of a one-layer image (a file /hello with
  // `content`), tagged `tag`.
  std::string DockerArchive(const std::string& tag,
                            const std::string& content) {
    std::string src = Path("docker-src-" + content);
    fs::create_directories(src + "/layer");
    std::ofstream(src + "/layer/hello") << content;
    std::string oci = Path("docker-oci-" + content);
    EXPECT_EQ(BuildOciImage(oci, {"--layer", src + "/layer"}), "");
    // Rewrite the OCI layout the way `docker save` lays images out.
    std::string script =
        "set -e; cd " + oci +
        "; m=$(sed 's/.*\"digest\":\"sha256:\\([0-9a-f]*\\)\".*/\\1/' "
        "index.json);"
        "c=$(sed "
        "'s/.*\"config\":{[^}]*\"digest\":\"sha256:\\([0-9a-f]*\\)\".*/\\1/' "
        "blobs/sha256/$m);"
        "l=$(sed "
        "'s/.*\"layers\":\\[{[^}]*\"digest\":\"sha256:\\([0-9a-f]*\\)\".*/\\1/"
        "' blobs/sha256/$m);"
        "mkdir -p " +
        src + "/save/$l; cp blobs/sha256/$c " + src +
        "/save/$c.json;"
        "gzip -dc blobs/sha256/$l > " +
        src +
        "/save/$l/layer.tar;"
        "printf '[{\"Config\":\"%s.json\",\"RepoTags\":[\"" +
        tag + "\"],\"Layers\":[\"%s/layer.tar\"]}]' $c $l > " + src +
        "/save/manifest.json;"
        "echo '{}' > " +
        src +
        "/save/repositories;"
        "tar -cf " +
        Path("docker-" + content + ".tar") + " -C " + src + "/save .";
    auto r = RunCommand(script);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return Path("docker-" + content + ".tar");
  }

  TempDir dir_;
  std::unique_ptr<ImageStore> store_;
};

TEST_F(ImageStoreTest, ImportsOciArchiveAndResolvesLayersAndConfig) {
  for (const char* file : {"busybox.tar", "busybox.tar.gz"}) {
    auto images = store_->Import(BusyboxArchive(file));
    ASSERT_TRUE(images.ok()) << images.status().ToString();
    ASSERT_EQ(images->size(), 1u);
  }
  // The OCI ref name "latest" is a tag of the archive's name.
  auto img = store_->Resolve("busybox");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->info.repo_tags,
            std::vector<std::string>{"docker.io/library/busybox:latest"});
  EXPECT_EQ(img->run.cmd, std::vector<std::string>{"sh"});
  ASSERT_EQ(img->run.env.size(), 1u);
  EXPECT_EQ(img->run.env[0].rfind("PATH=", 0), 0u);
  ASSERT_EQ(img->layer_dirs.size(), 1u);
  const std::string& layer = img->layer_dirs[0];
  EXPECT_TRUE(fs::is_regular_file(layer + "/bin/busybox"));
  EXPECT_EQ(fs::read_symlink(layer + "/bin/sh"), "busybox");
  for (const char* applet : {"httpd", "cat", "sleep", "wget"}) {
    EXPECT_TRUE(fs::is_symlink(layer + "/bin/" + applet)) << applet;
  }
  std::ifstream passwd(layer + "/etc/passwd");
  std::string text((std::istreambuf_iterator<char>(passwd)), {});
  EXPECT_NE(text.find("root:x:0:0"), std::string::npos);
  EXPECT_NE(text.find("nobody:x:65534"), std::string::npos);
  // By id as well.
  auto by_id = store_->Resolve(img->info.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->layer_dirs, img->layer_dirs);
}

TEST_F(ImageStoreTest, ImportsDockerSaveArchive) {
  auto images =
      store_->Import(DockerArchive("registry.local:5000/hello:v2", "hi"));
  ASSERT_TRUE(images.ok()) << images.status().ToString();
  ASSERT_EQ(images->size(), 1u);
  auto img = store_->Resolve("registry.local:5000/hello:v2");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  ASSERT_EQ(img->layer_dirs.size(), 1u);
  std::ifstream in(img->layer_dirs[0] + "/hello");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "hi");
}

TEST_F(ImageStoreTest, NotAnImageArchiveIsInvalid) {
  fs::create_directories(Path("x"));
  std::ofstream(Path("x/file")) << "x";
  ASSERT_EQ(RunCommand("tar -cf " + Path("x.tar") + " -C " + Path("x") + " .")
                .exit_code,
            0);
  auto r = store_->Import(Path("x.tar"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
}

TEST_F(ImageStoreTest, RemoveKeepsLayersAnotherReferenceUses) {
  ASSERT_TRUE(store_->Import(BusyboxArchive("busybox.tar")).ok());
  ASSERT_TRUE(store_->Import(BusyboxArchive("other.tar")).ok());
  auto img = store_->Resolve("busybox");
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(store_->List()->size(), 1u);  // one image, two tags
  EXPECT_EQ(store_->List()->front().info.repo_tags.size(), 2u);

  ASSERT_TRUE(store_->Remove("busybox:latest").ok());
  EXPECT_TRUE(store_->Resolve("busybox").status().IsNotFound());
  EXPECT_TRUE(fs::exists(img->layer_dirs[0] + "/bin/busybox"));
  auto other = store_->Resolve("other");
  ASSERT_TRUE(other.ok()) << other.status().ToString();

  ASSERT_TRUE(store_->Remove("other").ok());
  EXPECT_FALSE(fs::exists(img->layer_dirs[0]));
  EXPECT_TRUE(fs::is_empty(dir_.path() + "/store/blobs/sha256"));
  EXPECT_TRUE(store_->Remove("other").IsNotFound());
}

// What the node's image garbage collection reads: each image's last use
// (a Resolve when a container is made from it), and the file system's use.
TEST_F(ImageStoreTest, ListsLastUseAndFileSystemUse) {
  ASSERT_TRUE(store_->Import(DockerArchive("hello:1", "one")).ok());
  ASSERT_TRUE(store_->Import(DockerArchive("hello:2", "two")).ok());
  ASSERT_TRUE(store_->Resolve("hello:1").ok());  // hello:2 is now the oldest
  auto list = store_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  const ImageInfo* one = nullptr;
  const ImageInfo* two = nullptr;
  for (const auto& r : *list) {
    (r.info.repo_tags.front() == "docker.io/library/hello:1" ? one : two) =
        &r.info;
  }
  ASSERT_TRUE(one && two);
  EXPECT_GT(two->last_used.time_since_epoch().count(), 0);
  EXPECT_LT(two->last_used, one->last_used);

  // Blobs plus unpacked layer bytes (layers/<id>.size).
  uint64_t size = 0;
  for (const auto& e :
       fs::directory_iterator(dir_.path() + "/store/blobs/sha256")) {
    size += e.file_size();
  }
  for (const auto& e : fs::directory_iterator(dir_.path() + "/store/layers")) {
    if (e.path().extension() == ".size") {
      std::ifstream in(e.path());
      uint64_t n = 0;
      in >> n;
      size += n;
    }
  }
  auto usage = store_->FsUsage();
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  EXPECT_GT(usage->capacity_bytes, 0u);
  EXPECT_LE(usage->available_bytes, usage->capacity_bytes);
  EXPECT_EQ(usage->images_bytes, size);
  ASSERT_TRUE(store_->Remove("hello:2").ok());
  ASSERT_TRUE(store_->Remove("hello:1").ok());
  EXPECT_EQ(store_->FsUsage()->images_bytes, 0u);
}

}  // namespace
}  // namespace berth::oci
