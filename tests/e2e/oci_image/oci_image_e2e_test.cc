// End-to-end: the image store against real registries (Debian's
// docker-registry, images pushed with skopeo) — plain HTTP, htpasswd basic
// auth, TLS with a private CA — and the real `berth image` command.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "plugins/runtime/oci/image/image_store.h"
#include "tests/support/oci_registry.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

namespace fs = std::filesystem;
using oci::ImageStore;
using oci::RegistryHostSettings;

// The config digest (image id) of the single image of an OCI layout.
std::string LayoutImageId(const std::string& dir) {
  auto r = RunCommand(
      "m=$(sed 's/.*\"digest\":\"sha256:\\([0-9a-f]*\\)\".*/\\1/' " + dir +
      "/index.json); sed "
      "'s/.*\"config\":{[^}]*\"digest\":\"\\(sha256:[0-9a-f]*\\)\".*/\\1/' " +
      dir + "/blobs/sha256/$m");
  return r.out.substr(0, 71);
}

class OciImageE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    missing_ = MissingRegistryTools();
    if (missing_.empty() && geteuid() != 0) missing_ = "needs root";
    if (!missing_.empty()) return;
    dir_ = new TempDir();
    const std::string& d = dir_->path();
    ASSERT_EQ(BuildBusyboxImage(d + "/busybox", d + "/busybox.tar"), "");
    // An arm64 image (different content) and an index of both.
    fs::create_directories(d + "/arm/layer");
    std::ofstream(d + "/arm/layer/arch") << "arm64";
    ASSERT_EQ(BuildOciImage(d + "/arm64",
                            {"--arch", "arm64", "--layer", d + "/arm/layer"}),
              "");
    ASSERT_EQ(BuildOciImage(d + "/multi", {"--index-of", d + "/arm64",
                                           "--index-of", d + "/busybox"}),
              "");
    // Two layers: the second deletes /a/gone and replaces /d's content.
    fs::create_directories(d + "/wh/l1/a");
    fs::create_directories(d + "/wh/l1/d");
    std::ofstream(d + "/wh/l1/a/gone") << "old";
    std::ofstream(d + "/wh/l1/a/kept") << "kept";
    std::ofstream(d + "/wh/l1/d/old") << "old";
    fs::create_directories(d + "/wh/l2/a");
    fs::create_directories(d + "/wh/l2/d");
    std::ofstream(d + "/wh/l2/a/.wh.gone");
    std::ofstream(d + "/wh/l2/d/.wh..wh..opq");
    std::ofstream(d + "/wh/l2/d/new") << "new";
    ASSERT_EQ(BuildOciImage(d + "/whiteout",
                            {"--layer", d + "/wh/l1", "--layer", d + "/wh/l2"}),
              "");

    plain_ = new RegistryServer(RegistryServer::Mode::kPlain);
    basic_ = new RegistryServer(RegistryServer::Mode::kBasicAuth);
    tls_ = new RegistryServer(RegistryServer::Mode::kTls);
    for (RegistryServer* r : {plain_, basic_, tls_}) {
      ASSERT_TRUE(r->Start()) << r->log();
      ASSERT_EQ(r->Push(d + "/busybox", "busybox"), "");
    }
    ASSERT_EQ(plain_->Push(d + "/multi", "multi"), "");
    ASSERT_EQ(plain_->Push(d + "/multi", "multi-docker", "latest",
                           /*docker_media_types=*/true),
              "");
    ASSERT_EQ(plain_->Push(d + "/whiteout", "whiteout"), "");
  }
  static void TearDownTestSuite() {
    delete plain_;
    delete basic_;
    delete tls_;
    delete dir_;
    plain_ = basic_ = tls_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!missing_.empty()) GTEST_SKIP() << missing_;
    auto s = ImageStore::Open(store_dir_.path() + "/images");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    // plain_ as docker's insecure registry (TLS tried, then HTTP), basic_
    // as plain HTTP only.
    RegistryHostSettings insecure, plain_http, tls;
    insecure.insecure = true;
    plain_http.plain_http = true;
    tls.ca_file = tls_->ca_file();
    store_->SetRegistryHosts({{plain_->host(), insecure},
                              {basic_->host(), plain_http},
                              {tls_->host(), tls}});
  }

  static inline std::string missing_;
  static inline TempDir* dir_ = nullptr;
  static inline RegistryServer* plain_ = nullptr;
  static inline RegistryServer* basic_ = nullptr;
  static inline RegistryServer* tls_ = nullptr;
  TempDir store_dir_;
  std::unique_ptr<ImageStore> store_;
};

TEST_F(OciImageE2eTest, PullsFromPlainRegistry) {
  auto img = store_->Pull(plain_->host() + "/busybox", std::nullopt);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->info.id, LayoutImageId(dir_->path() + "/busybox"));
  EXPECT_EQ(img->info.repo_tags,
            std::vector<std::string>{plain_->host() + "/busybox:latest"});
  ASSERT_EQ(img->info.repo_digests.size(), 1u);
  EXPECT_EQ(
      img->info.repo_digests[0].rfind(plain_->host() + "/busybox@sha256:", 0),
      0u);
  EXPECT_EQ(img->run.cmd, std::vector<std::string>{"sh"});
  ASSERT_EQ(img->layer_dirs.size(), 1u);
  EXPECT_TRUE(fs::is_regular_file(img->layer_dirs[0] + "/bin/busybox"));
  // Resolve finds it afterwards, by name and by id.
  EXPECT_TRUE(store_->Resolve(plain_->host() + "/busybox:latest").ok());
  EXPECT_TRUE(store_->Resolve(img->info.id).ok());
  // The same layer from an archive is not unpacked again.
  struct stat before, after;
  ASSERT_EQ(stat(img->layer_dirs[0].c_str(), &before), 0);
  auto imported = store_->Import(dir_->path() + "/busybox.tar");
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->front().layer_dirs, img->layer_dirs);
  ASSERT_EQ(stat(img->layer_dirs[0].c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
}

TEST_F(OciImageE2eTest, PullsByDigest) {
  auto tagged = store_->Pull(plain_->host() + "/busybox", std::nullopt);
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  std::string pinned = tagged->info.repo_digests.at(0);
  ASSERT_TRUE(store_->Remove(plain_->host() + "/busybox").ok());

  auto img = store_->Pull(pinned, std::nullopt);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->info.id, tagged->info.id);
  EXPECT_TRUE(img->info.repo_tags.empty());
  EXPECT_EQ(img->info.repo_digests, std::vector<std::string>{pinned});
  EXPECT_TRUE(store_->Resolve(pinned).ok());

  std::string unknown =
      plain_->host() + "/busybox@sha256:" + std::string(64, '0');
  auto missing = store_->Pull(unknown, std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
}

TEST_F(OciImageE2eTest, ConcurrentPullsFromTwoProcessesBothSucceed) {
  std::string pull = BerthBinary() + " image pull --plain-http " +
                     basic_->host() + "/busybox --username " +
                     RegistryServer::kUser + " --password " +
                     RegistryServer::kPassword + " --root " +
                     store_dir_.path() + "/procs >/dev/null";
  auto r = RunCommand(pull + " & p1=$!; " + pull +
                      " & p2=$!; wait $p1; a=$?; wait $p2; b=$?; echo $a$b");
  EXPECT_EQ(r.out, "00\n") << r.err;
  auto ls = RunCommand(BerthBinary() + " image ls --root " + store_dir_.path() +
                       "/procs");
  EXPECT_NE(ls.out.find(basic_->host() + "/busybox"), std::string::npos)
      << ls.out;
}

TEST_F(OciImageE2eTest, ConcurrentPullsOfOneImageBothSucceed) {
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          store_->Pull(plain_->host() + "/busybox", std::nullopt).status();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& st : results) EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(store_->List()->size(), 1u);
}

TEST_F(OciImageE2eTest, PullsWithBasicAuth) {
  auto img = store_->Pull(
      basic_->host() + "/busybox:latest",
      ImageAuth{RegistryServer::kUser, RegistryServer::kPassword, ""});
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->info.id, LayoutImageId(dir_->path() + "/busybox"));
}

TEST_F(OciImageE2eTest, WrongPasswordIsUnauthorizedWithRegistryMessage) {
  std::string ref = basic_->host() + "/busybox:latest";
  auto img = store_->Pull(ref, ImageAuth{RegistryServer::kUser, "wrong", ""});
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), Status::Code::kUnauthorized)
      << img.status().ToString();
  // docker-registry's own words, and the image.
  EXPECT_NE(img.status().message().find("authentication required"),
            std::string::npos)
      << img.status().message();
  EXPECT_NE(img.status().message().find(ref), std::string::npos);
  auto anonymous = store_->Pull(ref, std::nullopt);
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.status().code(), Status::Code::kUnauthorized);
}

TEST_F(OciImageE2eTest, PullsOverTlsTrustingTheCaFileOrInsecure) {
  auto img = store_->Pull(tls_->host() + "/busybox", std::nullopt);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  // Without the CA the certificate is not trusted.
  store_->SetRegistryHosts({});
  auto untrusted = store_->Pull(tls_->host() + "/busybox", std::nullopt);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.status().code(), Status::Code::kUnavailable)
      << untrusted.status().ToString();
  // Marked insecure, HTTPS is used without verification.
  RegistryHostSettings insecure;
  insecure.insecure = true;
  store_->SetRegistryHosts({{tls_->host(), insecure}});
  auto unverified = store_->Pull(tls_->host() + "/busybox", std::nullopt);
  EXPECT_TRUE(unverified.ok()) << unverified.status().ToString();
}

TEST_F(OciImageE2eTest, MissingTagOrRepositoryIsNotFound) {
  std::string ref = plain_->host() + "/busybox:nope";
  auto img = store_->Pull(ref, std::nullopt);
  ASSERT_FALSE(img.ok());
  EXPECT_TRUE(img.status().IsNotFound()) << img.status().ToString();
  EXPECT_NE(img.status().message().find("manifest unknown"), std::string::npos)
      << img.status().message();
  EXPECT_NE(img.status().message().find(ref), std::string::npos);
  auto repo = store_->Pull(plain_->host() + "/nosuchrepo", std::nullopt);
  ASSERT_FALSE(repo.ok());
  EXPECT_TRUE(repo.status().IsNotFound()) << repo.status().ToString();
}

TEST_F(OciImageE2eTest, UnreachableRegistryIsUnavailable) {
  auto gone = std::make_unique<RegistryServer>();
  ASSERT_TRUE(gone->Start());
  std::string host = gone->host();
  gone.reset();  // stopped: nothing listens on host now
  RegistryHostSettings insecure;
  insecure.insecure = true;
  store_->SetRegistryHosts({{host, insecure}});
  auto img = store_->Pull(host + "/busybox", std::nullopt);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), Status::Code::kUnavailable)
      << img.status().ToString();
}

TEST_F(OciImageE2eTest, IndexPullChoosesLinuxAmd64) {
  auto img = store_->Pull(plain_->host() + "/multi:latest", std::nullopt);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->info.id, LayoutImageId(dir_->path() + "/busybox"));
  EXPECT_NE(img->info.id, LayoutImageId(dir_->path() + "/arm64"));
  EXPECT_TRUE(fs::exists(img->layer_dirs[0] + "/bin/busybox"));
  EXPECT_FALSE(fs::exists(img->layer_dirs[0] + "/arch"));
}

TEST_F(OciImageE2eTest, DockerManifestListPullChoosesLinuxAmd64) {
  auto img = store_->Pull(plain_->host() + "/multi-docker", std::nullopt);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->info.id, LayoutImageId(dir_->path() + "/busybox"));
  EXPECT_TRUE(fs::exists(img->layer_dirs[0] + "/bin/busybox"));
}

TEST_F(OciImageE2eTest, WhiteoutsAndOpaqueDirsHideLowerLayers) {
  auto img = store_->Pull(plain_->host() + "/whiteout", std::nullopt);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  ASSERT_EQ(img->layer_dirs.size(), 2u);
  struct stat st;
  ASSERT_EQ(lstat((img->layer_dirs[1] + "/a/gone").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  // What a container sees: the layers mounted as overlayfs lower dirs
  // (top first), in a private mount namespace so nothing outlives the test.
  std::string mnt = store_dir_.path() + "/mnt";
  fs::create_directories(mnt);
  auto r =
      RunCommand("unshare -m sh -c 'mount -t overlay overlay -o lowerdir=" +
                 img->layer_dirs[1] + ":" + img->layer_dirs[0] + " " + mnt +
                 " && cd " + mnt + " && ls a d'");
  if (r.exit_code != 0 && r.err.find("mount") != std::string::npos) {
    GTEST_SKIP() << "overlay mounts unavailable: " << r.err;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a:\nkept\n\nd:\nnew\n");
}

TEST_F(OciImageE2eTest, BerthImageCommandImportsListsPullsAndRemoves) {
  std::string root = " --root " + store_dir_.path() + "/cli";
  auto imp = RunCommand(BerthBinary() + " image import " + dir_->path() +
                        "/busybox.tar" + root);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_NE(imp.out.find("docker.io/library/busybox:latest"), std::string::npos)
      << imp.out;
  auto pull = RunCommand(BerthBinary() + " image pull --insecure " +
                         plain_->host() + "/busybox:latest" + root);
  ASSERT_EQ(pull.exit_code, 0) << pull.err;

  std::string id = LayoutImageId(dir_->path() + "/busybox").substr(7, 12);
  auto ls = RunCommand(BerthBinary() + " image ls" + root);
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::istringstream lines(ls.out);
  std::string header, row1, row2, extra;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_FALSE(std::getline(lines, extra)) << ls.out;
  EXPECT_EQ(header.rfind("IMAGE", 0), 0u) << ls.out;
  EXPECT_NE(header.find("TAG"), std::string::npos);
  EXPECT_NE(header.find("IMAGE ID"), std::string::npos);
  EXPECT_NE(header.find("SIZE"), std::string::npos);
  EXPECT_EQ(row1.rfind(plain_->host() + "/busybox ", 0), 0u) << ls.out;
  EXPECT_EQ(row2.rfind("docker.io/library/busybox ", 0), 0u) << ls.out;
  for (const auto& row : {row1, row2}) {
    EXPECT_NE(row.find(" latest "), std::string::npos) << row;
    EXPECT_NE(row.find(" " + id + " "), std::string::npos) << row;
    EXPECT_NE(row.find("MB"), std::string::npos) << row;
  }

  auto rm = RunCommand(BerthBinary() + " image rm busybox" + root);
  ASSERT_EQ(rm.exit_code, 0) << rm.err;
  auto after = RunCommand(BerthBinary() + " image ls" + root);
  EXPECT_EQ(after.out.find("docker.io/library/busybox"), std::string::npos)
      << after.out;
  EXPECT_NE(after.out.find(plain_->host() + "/busybox"), std::string::npos);
  auto again = RunCommand(BerthBinary() + " image rm busybox" + root);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("not present"), std::string::npos) << again.err;

  auto missing = RunCommand(BerthBinary() + " image pull --insecure " +
                            plain_->host() + "/busybox:nope" + root);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("manifest unknown"), std::string::npos)
      << missing.err;
}

TEST_F(OciImageE2eTest, BerthImageDefaultsToTheDataDirsImages) {
  std::string data = store_dir_.path() + "/data";
  auto imp = RunCommand(
      BerthBinary() + " image import " + dir_->path() + "/busybox.tar",
      {{"BERTH_DATA_DIR", data}});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_TRUE(fs::is_directory(data + "/images/blobs/sha256"));
  auto ls = RunCommand(BerthBinary() + " image ls --data-dir " + data);
  EXPECT_NE(ls.out.find("docker.io/library/busybox"), std::string::npos)
      << ls.out;
}

}  // namespace
}  // namespace berth::testing
