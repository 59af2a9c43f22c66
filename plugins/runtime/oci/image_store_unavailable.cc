// ImageStore::Open while the image store library is not built in this tree
// (plugins/runtime/oci/image has only its interface): the oci plugin then
// loads and runs no images. Compiled only in that case (see CMakeLists.txt).
#include "plugins/runtime/oci/image/image_store.h"

namespace berth::oci {

StatusOr<std::unique_ptr<ImageStore>> ImageStore::Open(
    const std::string& root) {
  return Status::Unavailable("the image store is not built into this Berth");
}

}  // namespace berth::oci
