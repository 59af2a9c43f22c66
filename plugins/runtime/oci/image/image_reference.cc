#include "plugins/runtime/oci/image/image_reference.h"

#include <cctype>

#include "plugins/runtime/oci/image/sha256.h"

namespace berth::oci {
namespace {

bool ValidRepository(const std::string& repo) {
  if (repo.empty() || repo.front() == '/' || repo.back() == '/') return false;
  for (char c : repo) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return repo.find("//") == std::string::npos;
}

bool ValidTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 128 || tag.front() == '.' ||
      tag.front() == '-') {
    return false;
  }
  for (char c : tag) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

StatusOr<ImageReference> ParseImageReference(const std::string& text) {
  auto invalid = [&](const std::string& why) {
    return Status::Invalid("invalid image reference \"" + text + "\": " + why);
  };
  ImageReference ref;
  std::string rest = text;
  if (size_t at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (!IsSha256Digest(ref.digest)) return invalid("bad digest");
  }
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos &&
      (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (!ValidTag(ref.tag)) return invalid("bad tag");
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  size_t first = rest.find('/');
  std::string head = rest.substr(0, first);
  if (first != std::string::npos &&
      (head.find('.') != std::string::npos ||
       head.find(':') != std::string::npos || head == "localhost")) {
    ref.domain = head;
    ref.repository = rest.substr(first + 1);
  } else {
    ref.domain = "docker.io";
    ref.repository = rest;
  }
  if (ref.domain == "index.docker.io") ref.domain = "docker.io";
  if (ref.domain == "docker.io" &&
      ref.repository.find('/') == std::string::npos) {
    ref.repository = "library/" + ref.repository;
  }
  if (!ValidRepository(ref.repository)) return invalid("bad repository name");
  return ref;
}

}  // namespace berth::oci
