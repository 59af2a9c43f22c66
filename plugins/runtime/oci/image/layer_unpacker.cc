#include "plugins/runtime/oci/image/layer_unpacker.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "plugins/runtime/oci/image/sha256.h"

namespace berth::oci {
namespace fs = std::filesystem;

namespace {

constexpr char kWhiteoutPrefix[] = ".wh.";
constexpr char kOpaqueMarker[] = ".wh..wh..opq";

struct ReaderDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriterDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
using Reader = std::unique_ptr<archive, ReaderDeleter>;
using Writer = std::unique_ptr<archive, WriterDeleter>;

// Entry names are relative; "./a/b" and "/a/b" both mean "a/b". Returns ""
// for the root itself and "\x01" for names escaping it.
std::string CleanName(const char* raw) {
  std::string out;
  for (const auto& part : fs::path(raw ? raw : "")) {
    std::string p = part.string();
    if (p.empty() || p == "." || p == "/") continue;
    if (p == "..") return "\x01";
    if (!out.empty()) out += "/";
    out += p;
  }
  return out;
}

// True when a directory on the way to `rel` (inside root) is a symlink: a
// hardlink made through it could reach a file outside the layer.
bool ThroughSymlink(const std::string& root, const std::string& rel) {
  std::string path = root;
  fs::path parent = fs::path(rel).parent_path();
  for (const auto& part : parent) {
    path += "/" + part.string();
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return true;
  }
  return false;
}

Status ArchiveError(archive* a, const std::string& what) {
  const char* msg = archive_error_string(a);
  return Status::Invalid(what + ": " + (msg ? msg : "unknown error"));
}

}  // namespace

StatusOr<uint64_t> UnpackLayer(const std::string& archive_path,
                               const std::string& dest) {
  Reader in(archive_read_new());
  archive_read_support_filter_all(in.get());
  archive_read_support_format_tar(in.get());
  archive_read_support_format_gnutar(in.get());
  if (archive_read_open_filename(in.get(), archive_path.c_str(), 1 << 16) !=
      ARCHIVE_OK) {
    return ArchiveError(in.get(), "cannot open layer " + archive_path);
  }
  Writer out(archive_write_disk_new());
  archive_write_disk_set_options(
      out.get(), ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM |
                     ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR |
                     ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                     ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  archive_write_disk_set_standard_lookup(out.get());

  std::vector<std::string> whiteouts;    // relative paths to mask
  std::vector<std::string> opaque_dirs;  // relative dirs ("" = root)
  uint64_t bytes = 0;
  archive_entry* entry = nullptr;
  while (true) {
    int r = archive_read_next_header(in.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      return ArchiveError(in.get(), "corrupt layer " + archive_path);
    }
    std::string name = CleanName(archive_entry_pathname(entry));
    if (name == "\x01") {
      return Status::Invalid("layer " + archive_path +
                             " has an entry outside "
                             "its root: " +
                             archive_entry_pathname(entry));
    }
    fs::path rel(name);
    std::string base = rel.filename().string();
    std::string parent = rel.parent_path().string();
    if (base == kOpaqueMarker) {
      opaque_dirs.push_back(parent);
      continue;
    }
    if (base.rfind(kWhiteoutPrefix, 0) == 0) {
      std::string target = base.substr(sizeof(kWhiteoutPrefix) - 1);
      whiteouts.push_back(parent.empty() ? target : parent + "/" + target);
      continue;
    }
    if (name.empty()) {
      // The layer's root directory: keep dest itself, apply its mode.
      archive_entry_set_pathname(entry, dest.c_str());
    } else {
      archive_entry_set_pathname(entry, (dest + "/" + name).c_str());
    }
    if (const char* link = archive_entry_hardlink(entry)) {
      std::string target = CleanName(link);
      if (target == "\x01" || target.empty()) {
        return Status::Invalid("layer " + archive_path +
                               " has a hardlink outside its root: " + link);
      }
      if (ThroughSymlink(dest, target)) {
        return Status::Invalid("layer " + archive_path +
                               " has a hardlink through a symlink: " + link);
      }
      archive_entry_set_hardlink(entry, (dest + "/" + target).c_str());
    }
    if (archive_write_header(out.get(), entry) < ARCHIVE_WARN) {
      return ArchiveError(
          out.get(), "cannot unpack " + name + " of layer " + archive_path);
    }
    if (archive_entry_size(entry) > 0 &&
        archive_entry_filetype(entry) == AE_IFREG) {
      const void* buf;
      size_t size;
      la_int64_t offset;
      while ((r = archive_read_data_block(in.get(), &buf, &size, &offset)) ==
             ARCHIVE_OK) {
        if (archive_write_data_block(out.get(), buf, size, offset) <
            ARCHIVE_WARN) {
          return ArchiveError(out.get(), "cannot write " + name);
        }
        bytes += size;
      }
      if (r != ARCHIVE_EOF) {
        return ArchiveError(in.get(), "corrupt layer " + archive_path);
      }
    }
    if (archive_write_finish_entry(out.get()) < ARCHIVE_WARN) {
      return ArchiveError(out.get(), "cannot finish " + name);
    }
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) {
    return ArchiveError(out.get(), "cannot finish layer " + archive_path);
  }

  // Overlayfs whiteouts, after the entries so their directories exist.
  std::error_code ec;
  for (const auto& rel : whiteouts) {
    std::string path = dest + "/" + rel;
    fs::create_directories(fs::path(path).parent_path(), ec);
    fs::remove_all(path, ec);
    if (mknod(path.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0) {
      return Status::Internal("cannot make whiteout " + path + ": " +
                              std::strerror(errno));
    }
  }
  for (const auto& rel : opaque_dirs) {
    std::string path = rel.empty() ? dest : dest + "/" + rel;
    fs::create_directories(path, ec);
    if (setxattr(path.c_str(), "trusted.overlay.opaque", "y", 1, 0) != 0) {
      return Status::Internal("cannot mark " + path +
                              " opaque: " + std::strerror(errno));
    }
  }
  return bytes;
}

StatusOr<std::string> LayerDiffId(const std::string& archive_path) {
  Reader in(archive_read_new());
  archive_read_support_filter_all(in.get());
  archive_read_support_format_raw(in.get());
  if (archive_read_open_filename(in.get(), archive_path.c_str(), 1 << 16) !=
      ARCHIVE_OK) {
    return ArchiveError(in.get(), "cannot open layer " + archive_path);
  }
  archive_entry* entry = nullptr;
  if (archive_read_next_header(in.get(), &entry) != ARCHIVE_OK) {
    return ArchiveError(in.get(), "corrupt layer " + archive_path);
  }
  Sha256 h;
  char buf[1 << 16];
  la_ssize_t n;
  while ((n = archive_read_data(in.get(), buf, sizeof(buf))) > 0) {
    h.Update(buf, static_cast<size_t>(n));
  }
  if (n < 0) return ArchiveError(in.get(), "corrupt layer " + archive_path);
  return "sha256:" + h.FinishHex();
}

}  // namespace berth::oci
