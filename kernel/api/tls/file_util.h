// Small file helpers for the TLS module: whole-file reads and atomic,
// permission-controlled writes of key material and kubeconfigs.
//
// Thread safety: stateless; concurrent writers of the same path race and the
// last rename wins (each reader still sees one complete file).
#ifndef BERTH_KERNEL_API_TLS_FILE_UTIL_H_
#define BERTH_KERNEL_API_TLS_FILE_UTIL_H_

#include <sys/types.h>

#include <string>

#include "berth/status.h"

namespace berth::tls {

// The whole file. NotFound if it does not exist, Internal on other errors.
StatusOr<std::string> ReadFileToString(const std::string& path);

// Writes `data` to a temporary file created with `mode`, fsyncs it and renames
// it over `path`, so a crash never leaves a truncated key behind and a secret
// is never readable with looser permissions, even briefly. Creates missing
// parent directories. Internal on failure.
Status WriteFileAtomically(const std::string& path, const std::string& data,
                           mode_t mode);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_FILE_UTIL_H_
