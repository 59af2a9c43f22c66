// The ImageStore implementation: image records over the blob store and the
// unpacked layers (layout in image_store.h).
//
// Locking: <root>/store.lock is held shared by operations that add or read
// images (Pull, Import, Resolve) and exclusively by those that delete
// (Remove), so a sweep never removes a blob or layer a concurrent pull in
// any process is still writing. Blobs and layers are written once under
// their own lock files (locks/).
#include "plugins/runtime/oci/image/image_store.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "berth/json.h"
#include "plugins/runtime/oci/image/blob_store.h"
#include "plugins/runtime/oci/image/file_lock.h"
#include "plugins/runtime/oci/image/image_reference.h"
#include "plugins/runtime/oci/image/layer_unpacker.h"
#include "plugins/runtime/oci/image/oci_manifest.h"
#include "plugins/runtime/oci/image/registry_client.h"
#include "plugins/runtime/oci/image/sha256.h"

namespace berth::oci {
namespace fs = std::filesystem;

namespace {

// One reference's record (images/<escaped reference>.json).
struct StoredRef {
  std::string reference;    // normalized: "docker.io/library/busybox:latest"
  std::string repo_digest;  // "name@sha256:..." or "" (imported)
  std::string index;        // the index digest when pulled through one
  std::string manifest;     // the image manifest digest
  int64_t last_used_ns = 0;
  // Derived from the blobs when loaded.
  ParsedManifest parsed;
  ImageConfig config;
};

std::string Escape(const std::string& ref) {
  std::string out;
  for (char c : ref) {
    if (c == '/') {
      out += "%2F";
    } else if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  return out;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string UniqueSuffix() {
  static std::atomic<uint64_t> counter{0};
  return std::to_string(getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp-" + UniqueSuffix();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return Status::Internal("cannot write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::Internal("cannot write " + path + ": " + ec.message());
  }
  return Status::Ok();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Extracts an archive (tar, optionally compressed) into `dest`, refusing
// entries outside it.
Status ExtractArchive(const std::string& path, const std::string& dest) {
  archive* in = archive_read_new();
  archive_read_support_filter_all(in);
  archive_read_support_format_tar(in);
  archive_read_support_format_gnutar(in);
  archive* out = archive_write_disk_new();
  archive_write_disk_set_options(
      out, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  Status st = Status::Ok();
  if (archive_read_open_filename(in, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    st = Status::Invalid("cannot read archive " + path + ": " +
                         (archive_error_string(in) ? archive_error_string(in)
                                                   : "unknown error"));
  }
  archive_entry* e = nullptr;
  while (st.ok()) {
    int r = archive_read_next_header(in, &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      st = Status::Invalid("corrupt archive " + path);
      break;
    }
    std::string name = archive_entry_pathname(e);
    while (name.rfind("./", 0) == 0) name = name.substr(2);
    if (name.empty() || name == "." || name.front() == '/' ||
        name.find("..") != std::string::npos) {
      if (name.empty() || name == ".") continue;
      st = Status::Invalid("archive " + path + " has an unsafe entry " + name);
      break;
    }
    archive_entry_set_pathname(e, (dest + "/" + name).c_str());
    if (archive_entry_hardlink(e)) {
      archive_entry_set_hardlink(
          e, (dest + "/" + archive_entry_hardlink(e)).c_str());
    }
    if (archive_write_header(out, e) < ARCHIVE_WARN) {
      st = Status::Invalid("cannot extract " + name + " of " + path);
      break;
    }
    const void* buf;
    size_t size;
    la_int64_t offset;
    while ((r = archive_read_data_block(in, &buf, &size, &offset)) ==
           ARCHIVE_OK) {
      archive_write_data_block(out, buf, size, offset);
    }
    if (r != ARCHIVE_EOF) st = Status::Invalid("corrupt archive " + path);
    archive_write_finish_entry(out);
  }
  archive_write_close(out);
  archive_write_free(out);
  archive_read_free(in);
  return st;
}

Status CopyFileTo(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    return Status::NotFound("cannot copy " + from + ": " + ec.message());
  }
  return Status::Ok();
}

bool IsGzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return magic[0] == 0x1f && magic[1] == 0x8b;
}

class ImageStoreImpl : public ImageStore {
 public:
  explicit ImageStoreImpl(std::string root)
      : root_(std::move(root)), blobs_(root_) {}

  Status Init() {
    Status st = blobs_.Init();
    if (!st.ok()) return st;
    std::error_code ec;
    fs::create_directories(root_ + "/layers", ec);
    if (!ec) fs::create_directories(root_ + "/images", ec);
    if (!ec) fs::create_directories(root_ + "/tmp", ec);
    if (ec)
      return Status::Internal("cannot create " + root_ + ": " + ec.message());
    return Status::Ok();
  }

  StatusOr<ImageRecord> Pull(const std::string& reference,
                             const std::optional<ImageAuth>& auth) override {
    auto ref = ParseImageReference(reference);
    if (!ref.ok()) return ref.status();
    auto lock = LockStore(FileLock::Mode::kShared);
    if (!lock.ok()) return lock.status();
    RegistryClient client(*ref, auth, HostSettings(ref->domain));
    auto top = client.GetManifest(ref->digest.empty() ? ref->tag : ref->digest);
    if (!top.ok()) return top.status();
    auto stored = blobs_.PutBytes(top->body);
    if (!stored.ok()) return stored.status();
    auto parsed = ParseManifest(top->body, top->media_type);
    if (!parsed.ok()) return Named(parsed.status(), ref->String());
    StoredRef rec;
    rec.reference = ref->String();
    rec.repo_digest = ref->Name() + "@" + top->digest;
    rec.manifest = top->digest;
    if (parsed->is_index) {
      auto pick = PickPlatform(*parsed);
      if (!pick.ok()) return Named(pick.status(), ref->String());
      auto m = client.GetManifest(pick->digest);
      if (!m.ok()) return m.status();
      if (auto s = blobs_.PutBytes(m->body); !s.ok()) return s.status();
      parsed = ParseManifest(m->body, m->media_type);
      if (!parsed.ok()) return Named(parsed.status(), ref->String());
      if (parsed->is_index) {
        return Status::Invalid("pulling image \"" + ref->String() +
                               "\": nested index");
      }
      rec.index = top->digest;
      rec.manifest = m->digest;
    }
    std::vector<Descriptor> blobs = parsed->layers;
    blobs.insert(blobs.begin(), parsed->config);
    for (const auto& d : blobs) {
      Status st = blobs_.Ensure(d.digest, [&](const std::string& tmp) {
        return client.DownloadBlob(d.digest, tmp);
      });
      if (!st.ok()) return Named(st, ref->String());
    }
    return Install(std::move(rec));
  }

  StatusOr<std::vector<ImageRecord>> Import(const std::string& path) override {
    auto lock = LockStore(FileLock::Mode::kShared);
    if (!lock.ok()) return lock.status();
    std::string dir = root_ + "/tmp/import-" + UniqueSuffix();
    std::error_code ec;
    fs::create_directories(dir, ec);
    struct Cleanup {
      std::string dir;
      ~Cleanup() {
        std::error_code ec;
        fs::remove_all(dir, ec);
      }
    } cleanup{dir};
    Status st = ExtractArchive(path, dir);
    if (!st.ok()) return st;
    std::string stem = fs::path(path).filename().string();
    for (const char* ext : {".tar.gz", ".tgz", ".tar"}) {
      std::string e = ext;
      if (stem.size() > e.size() &&
          stem.compare(stem.size() - e.size(), e.size(), e) == 0) {
        stem = stem.substr(0, stem.size() - e.size());
        break;
      }
    }
    std::transform(stem.begin(), stem.end(), stem.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (fs::exists(dir + "/manifest.json")) return ImportDocker(dir);
    if (fs::exists(dir + "/index.json")) return ImportOci(dir, stem);
    return Status::Invalid(path +
                           " is neither an OCI image layout archive (no "
                           "index.json) nor a docker archive (no "
                           "manifest.json)");
  }

  StatusOr<ImageRecord> Resolve(const std::string& reference) override {
    auto lock = LockStore(FileLock::Mode::kShared);
    if (!lock.ok()) return lock.status();
    auto refs = LoadAll();
    std::vector<StoredRef*> matched = Match(refs, reference);
    if (matched.empty()) {
      return Status::NotFound("image \"" + reference + "\" not present");
    }
    StoredRef* r = matched.front();
    r->last_used_ns = NowNs();
    if (Status st = SaveRef(*r); !st.ok()) return st;
    for (size_t i = 0; i < r->parsed.layers.size(); ++i) {
      Status st = EnsureLayer(r->parsed.layers[i], r->config.diff_ids[i]);
      if (!st.ok()) return st;
    }
    return Build(refs, r->parsed.config.digest);
  }

  StatusOr<std::vector<ImageRecord>> List() override {
    auto lock = LockStore(FileLock::Mode::kShared);
    if (!lock.ok()) return lock.status();
    auto refs = LoadAll();
    std::vector<ImageRecord> out;
    std::set<std::string> seen;
    for (const auto& r : refs) {
      if (seen.insert(r.parsed.config.digest).second) {
        out.push_back(Build(refs, r.parsed.config.digest));
      }
    }
    return out;
  }

  Status Remove(const std::string& reference) override {
    auto lock = LockStore(FileLock::Mode::kExclusive);
    if (!lock.ok()) return lock.status();
    auto refs = LoadAll();
    std::vector<StoredRef*> matched = Match(refs, reference);
    if (matched.empty()) {
      return Status::NotFound("image \"" + reference + "\" not present");
    }
    bool by_id = IsIdLike(reference);
    for (StoredRef* r : matched) {
      DeleteRef(*r);
      if (!by_id) break;  // a name removes only that name
    }
    Sweep();
    return Status::Ok();
  }

  StatusOr<ImageFsUsage> FsUsage() override {
    struct statvfs fs {};
    if (statvfs(root_.c_str(), &fs) != 0) {
      return Status::Internal("statvfs " + root_ + ": " + strerror(errno));
    }
    ImageFsUsage out;
    out.capacity_bytes = static_cast<uint64_t>(fs.f_blocks) * fs.f_frsize;
    out.available_bytes = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
    auto lock = LockStore(FileLock::Mode::kShared);
    if (!lock.ok()) return lock.status();
    out.images_bytes = StoreBytes();
    return out;
  }

  void SetRegistryHosts(
      std::map<std::string, RegistryHostSettings> hosts) override {
    std::lock_guard<std::mutex> g(mu_);
    hosts_ = std::move(hosts);
  }

 private:
  StatusOr<FileLock> LockStore(FileLock::Mode mode) {
    return FileLock::Acquire(root_ + "/store.lock", mode);
  }

  RegistryHostSettings HostSettings(const std::string& host) {
    std::lock_guard<std::mutex> g(mu_);
    auto it = hosts_.find(host);
    return it == hosts_.end() ? RegistryHostSettings{} : it->second;
  }

  static Status Named(const Status& st, const std::string& ref) {
    if (st.message().find(ref) != std::string::npos) return st;
    return Status(st.code(), "image \"" + ref + "\": " + st.message());
  }

  static bool IsIdLike(const std::string& s) {
    std::string hex = s.rfind("sha256:", 0) == 0 ? s.substr(7) : s;
    if (hex.size() < 12 || hex.size() > 64) return false;
    return std::all_of(hex.begin(), hex.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
  }

  // The references `what` names: an image id (full, "sha256:"-prefixed or
  // a prefix of at least 12 hex digits) matches every reference of that
  // image; a name matches its normalized reference or repo digest. Most
  // recently used first.
  std::vector<StoredRef*> Match(std::vector<StoredRef>& refs,
                                const std::string& what) {
    std::vector<StoredRef*> out;
    if (IsIdLike(what)) {
      std::string hex = what.rfind("sha256:", 0) == 0 ? what.substr(7) : what;
      for (auto& r : refs) {
        if (DigestHex(r.parsed.config.digest).rfind(hex, 0) == 0) {
          out.push_back(&r);
        }
      }
    }
    if (out.empty()) {
      auto ref = ParseImageReference(what);
      if (ref.ok()) {
        std::string s = ref->String();
        for (auto& r : refs) {
          if (r.reference == s || r.repo_digest == s) out.push_back(&r);
        }
      }
    }
    std::sort(out.begin(), out.end(), [](StoredRef* a, StoredRef* b) {
      return a->last_used_ns > b->last_used_ns;
    });
    return out;
  }

  std::string RefPath(const std::string& reference) const {
    return root_ + "/images/" + Escape(reference) + ".json";
  }

  Status SaveRef(const StoredRef& r) {
    JsonDoc doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    SetString(doc, "reference", r.reference, a);
    SetString(doc, "repoDigest", r.repo_digest, a);
    SetString(doc, "index", r.index, a);
    SetString(doc, "manifest", r.manifest, a);
    doc.AddMember("lastUsed", Json(static_cast<int64_t>(r.last_used_ns)), a);
    return WriteFileAtomic(RefPath(r.reference), ToJson(doc));
  }

  void DeleteRef(const StoredRef& r) {
    std::error_code ec;
    fs::remove(RefPath(r.reference), ec);
  }

  // Every readable record with its manifest and config; records whose
  // blobs are gone or corrupt are skipped (a later pull repairs them).
  std::vector<StoredRef> LoadAll() {
    std::vector<StoredRef> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root_ + "/images", ec)) {
      if (e.path().extension() != ".json") continue;
      auto doc = ParseJson(ReadFile(e.path().string()));
      if (!doc.ok()) continue;
      StoredRef r;
      r.reference = GetString(*doc, {"reference"});
      r.repo_digest = GetString(*doc, {"repoDigest"});
      r.index = GetString(*doc, {"index"});
      r.manifest = GetString(*doc, {"manifest"});
      r.last_used_ns = GetInt(*doc, {"lastUsed"});
      auto m = blobs_.Read(r.manifest);
      if (!m.ok()) continue;
      auto parsed = ParseManifest(*m);
      if (!parsed.ok() || parsed->is_index) continue;
      r.parsed = std::move(*parsed);
      auto c = blobs_.Read(r.parsed.config.digest);
      if (!c.ok()) continue;
      auto config = ParseImageConfig(*c);
      if (!config.ok() || config->diff_ids.size() != r.parsed.layers.size()) {
        continue;
      }
      r.config = std::move(*config);
      out.push_back(std::move(r));
    }
    return out;
  }

  std::string LayerDir(const std::string& diff_id) const {
    return root_ + "/layers/" + DigestHex(diff_id);
  }

  // Unpacks the layer blob `layer` into layers/<diff_id hex> unless done,
  // checking that its uncompressed content hashes to diff_id.
  Status EnsureLayer(const Descriptor& layer, const std::string& diff_id) {
    std::string dir = LayerDir(diff_id);
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return Status::Ok();
    auto lock = FileLock::Acquire(
        root_ + "/locks/layer-" + DigestHex(diff_id) + ".lock",
        FileLock::Mode::kExclusive);
    if (!lock.ok()) return lock.status();
    if (fs::is_directory(dir, ec)) return Status::Ok();
    std::string blob = blobs_.Path(layer.digest);
    auto actual = LayerDiffId(blob);
    if (!actual.ok()) return actual.status();
    if (*actual != diff_id) {
      return Status::Invalid("layer " + layer.digest +
                             " does not match its diff_id " + diff_id +
                             " (content is " + *actual + ")");
    }
    std::string tmp = root_ + "/layers/.tmp-" + UniqueSuffix();
    fs::create_directories(tmp, ec);
    auto bytes = UnpackLayer(blob, tmp);
    if (bytes.ok()) {
      Status st = WriteFileAtomic(dir + ".size", std::to_string(*bytes));
      if (!st.ok()) bytes = st;
    }
    if (bytes.ok()) {
      fs::rename(tmp, dir, ec);
      if (ec) bytes = Status::Internal("cannot place layer " + dir);
    }
    if (!bytes.ok()) {
      fs::remove_all(tmp, ec);
      return bytes.status();
    }
    return Status::Ok();
  }

  // Writes the record after unpacking its layers; returns the image.
  StatusOr<ImageRecord> Install(StoredRef rec) {
    auto m = blobs_.Read(rec.manifest);
    if (!m.ok()) return m.status();
    auto parsed = ParseManifest(*m);
    if (!parsed.ok()) return parsed.status();
    auto c = blobs_.Read(parsed->config.digest);
    if (!c.ok()) return c.status();
    auto config = ParseImageConfig(*c);
    if (!config.ok()) return config.status();
    if (config->diff_ids.size() != parsed->layers.size()) {
      return Status::Invalid(
          "image \"" + rec.reference +
          "\": " + std::to_string(parsed->layers.size()) + " layers but " +
          std::to_string(config->diff_ids.size()) + " diff_ids");
    }
    for (size_t i = 0; i < parsed->layers.size(); ++i) {
      Status st = EnsureLayer(parsed->layers[i], config->diff_ids[i]);
      if (!st.ok()) return Named(st, rec.reference);
    }
    rec.last_used_ns = NowNs();
    if (Status st = SaveRef(rec); !st.ok()) return st;
    auto refs = LoadAll();
    return Build(refs, parsed->config.digest);
  }

  // The image `id` (config digest) as its references describe it.
  ImageRecord Build(const std::vector<StoredRef>& refs, const std::string& id) {
    ImageRecord out;
    out.info.id = id;
    const StoredRef* any = nullptr;
    int64_t last = 0;
    for (const auto& r : refs) {
      if (r.parsed.config.digest != id) continue;
      any = &r;
      last = std::max(last, r.last_used_ns);
      if (r.reference.find('@') == std::string::npos) {
        out.info.repo_tags.push_back(r.reference);
      }
      if (!r.repo_digest.empty() &&
          std::find(out.info.repo_digests.begin(), out.info.repo_digests.end(),
                    r.repo_digest) == out.info.repo_digests.end()) {
        out.info.repo_digests.push_back(r.repo_digest);
      }
    }
    std::sort(out.info.repo_tags.begin(), out.info.repo_tags.end());
    if (!any) return out;
    out.info.size_bytes = any->parsed.config.size;
    for (const auto& l : any->parsed.layers) out.info.size_bytes += l.size;
    out.run = any->config.run;
    for (const auto& d : any->config.diff_ids) {
      out.layer_dirs.push_back(LayerDir(d));
    }
    out.last_used = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(last)));
    out.info.last_used = out.last_used;
    return out;
  }

  // Removes blobs and layers no record needs, and leftovers of crashed
  // writers. Call with the store lock held exclusively.
  void Sweep() {
    std::set<std::string> live_blobs, live_layers;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root_ + "/images", ec)) {
      auto doc = ParseJson(ReadFile(e.path().string()));
      if (!doc.ok()) continue;
      for (const char* k : {"index", "manifest"}) {
        std::string d = GetString(*doc, {k});
        if (!d.empty()) live_blobs.insert(d);
      }
    }
    for (const auto& r : LoadAll()) {
      live_blobs.insert(r.parsed.config.digest);
      for (const auto& l : r.parsed.layers) live_blobs.insert(l.digest);
      for (const auto& d : r.config.diff_ids) live_layers.insert(DigestHex(d));
    }
    for (const auto& d : blobs_.List()) {
      if (!live_blobs.count(d)) blobs_.Remove(d);
    }
    for (const auto& e : fs::directory_iterator(root_ + "/blobs/sha256", ec)) {
      if (e.path().filename().string().rfind(".tmp-", 0) == 0) {
        fs::remove(e.path(), ec);
      }
    }
    for (const auto& e : fs::directory_iterator(root_ + "/layers", ec)) {
      std::string name = e.path().filename().string();
      std::string hex = name.substr(0, name.find('.'));
      if (name.rfind(".tmp-", 0) == 0 || !live_layers.count(hex)) {
        fs::remove_all(e.path(), ec);
      }
    }
    for (const auto& e : fs::directory_iterator(root_ + "/tmp", ec)) {
      fs::remove_all(e.path(), ec);
    }
    // Blob and layer locks are taken only under the shared store lock, so
    // with it held exclusively nobody holds or waits for one.
    for (const auto& e : fs::directory_iterator(root_ + "/locks", ec)) {
      fs::remove(e.path(), ec);
    }
  }

  // Bytes of blobs plus unpacked layers.
  uint64_t StoreBytes() {
    uint64_t total = 0;
    for (const auto& d : blobs_.List()) total += blobs_.Size(d);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root_ + "/layers", ec)) {
      if (e.path().extension() == ".size") {
        total +=
            std::strtoull(ReadFile(e.path().string()).c_str(), nullptr, 10);
      }
    }
    return total;
  }

  // Stores the file `path` as blob `digest` (verified).
  Status PutFile(const std::string& path, const std::string& digest) {
    return blobs_.Ensure(
        digest, [&](const std::string& tmp) { return CopyFileTo(path, tmp); });
  }

  StatusOr<std::vector<ImageRecord>> ImportOci(const std::string& dir,
                                               const std::string& stem) {
    auto blob_path = [&](const std::string& digest) {
      return dir + "/blobs/sha256/" + DigestHex(digest);
    };
    auto index = ParseManifest(ReadFile(dir + "/index.json"), kOciIndex);
    if (!index.ok()) return index.status();
    std::vector<ImageRecord> out;
    for (const auto& top : index->manifests) {
      if (Status st = PutFile(blob_path(top.digest), top.digest); !st.ok()) {
        return st;
      }
      auto body = blobs_.Read(top.digest);
      if (!body.ok()) return body.status();
      auto parsed = ParseManifest(*body, top.media_type);
      if (!parsed.ok()) return parsed.status();
      StoredRef rec;
      rec.manifest = top.digest;
      if (parsed->is_index) {
        auto pick = PickPlatform(*parsed);
        if (!pick.ok()) return pick.status();
        if (Status st = PutFile(blob_path(pick->digest), pick->digest);
            !st.ok()) {
          return st;
        }
        auto m = blobs_.Read(pick->digest);
        if (!m.ok()) return m.status();
        parsed = ParseManifest(*m, pick->media_type);
        if (!parsed.ok()) return parsed.status();
        rec.index = top.digest;
        rec.manifest = pick->digest;
      }
      std::vector<Descriptor> blobs = parsed->layers;
      blobs.push_back(parsed->config);
      for (const auto& d : blobs) {
        if (Status st = PutFile(blob_path(d.digest), d.digest); !st.ok()) {
          return st;
        }
      }
      // The name: containerd's full name annotation, else the OCI ref
      // name (a full reference, or a tag of the archive's file name).
      std::string name;
      if (auto it = top.annotations.find("io.containerd.image.name");
          it != top.annotations.end()) {
        name = it->second;
      } else if (auto it2 =
                     top.annotations.find("org.opencontainers.image.ref.name");
                 it2 != top.annotations.end()) {
        name = it2->second;
        if (name.find_first_of(":/") == std::string::npos) {
          name = stem + ":" + name;
        }
      } else {
        name = stem + "@" + top.digest;
      }
      auto ref = ParseImageReference(name);
      if (!ref.ok()) return ref.status();
      rec.reference = ref->String();
      auto img = Install(std::move(rec));
      if (!img.ok()) return img.status();
      out.push_back(std::move(*img));
    }
    return out;
  }

  StatusOr<std::vector<ImageRecord>> ImportDocker(const std::string& dir) {
    auto doc = ParseJson(ReadFile(dir + "/manifest.json"));
    if (!doc.ok() || !doc->IsArray()) {
      return Status::Invalid("docker archive manifest.json is not a list");
    }
    std::vector<ImageRecord> out;
    for (const auto& entry : doc->GetArray()) {
      std::string config_path = dir + "/" + GetString(entry, {"Config"});
      auto config_hex = Sha256File(config_path);
      if (!config_hex.ok()) return config_hex.status();
      Descriptor config;
      config.media_type = "application/vnd.oci.image.config.v1+json";
      config.digest = "sha256:" + *config_hex;
      config.size = fs::file_size(config_path);
      if (Status st = PutFile(config_path, config.digest); !st.ok()) return st;
      std::vector<Descriptor> layers;
      const Json* lv = Member(entry, "Layers");
      if (!lv || !lv->IsArray()) {
        return Status::Invalid("docker archive entry without Layers");
      }
      for (const auto& l : lv->GetArray()) {
        if (!l.IsString()) continue;
        std::string path = dir + "/" + l.GetString();
        auto hex = Sha256File(path);
        if (!hex.ok()) return hex.status();
        Descriptor d;
        d.media_type = IsGzip(path)
                           ? "application/vnd.oci.image.layer.v1.tar+gzip"
                           : "application/vnd.oci.image.layer.v1.tar";
        d.digest = "sha256:" + *hex;
        d.size = fs::file_size(path);
        if (Status st = PutFile(path, d.digest); !st.ok()) return st;
        layers.push_back(std::move(d));
      }
      auto manifest = blobs_.PutBytes(MakeOciManifest(config, layers));
      if (!manifest.ok()) return manifest.status();
      std::vector<std::string> names;
      if (const Json* tags = Member(entry, "RepoTags");
          tags && tags->IsArray()) {
        for (const auto& t : tags->GetArray()) {
          if (t.IsString()) names.push_back(t.GetString());
        }
      }
      if (names.empty()) names.push_back("import@" + *manifest);
      for (const auto& n : names) {
        auto ref = ParseImageReference(n);
        if (!ref.ok()) return ref.status();
        StoredRef rec;
        rec.reference = ref->String();
        rec.manifest = *manifest;
        auto img = Install(std::move(rec));
        if (!img.ok()) return img.status();
        if (&n == &names.back()) out.push_back(std::move(*img));
      }
    }
    return out;
  }

  const std::string root_;
  BlobStore blobs_;
  std::mutex mu_;
  std::map<std::string, RegistryHostSettings> hosts_;
};

}  // namespace

StatusOr<std::unique_ptr<ImageStore>> ImageStore::Open(
    const std::string& root) {
  auto store = std::make_unique<ImageStoreImpl>(root);
  if (Status st = store->Init(); !st.ok()) return st;
  return std::unique_ptr<ImageStore>(std::move(store));
}

}  // namespace berth::oci
