// ObjectMeta rules the apiserver applies to every kind: names, uids,
// timestamps, generateName, and the metadata fields a client may not set.
//
// Thread safety: pure functions; the random sources are thread-local.
#ifndef BERTH_KERNEL_API_SERVER_OBJECT_META_H_
#define BERTH_KERNEL_API_SERVER_OBJECT_META_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/status.h"

namespace berth::api {

// A random RFC 4122 version 4 UUID.
std::string NewUid();
// RFC 3339 with second precision in UTC: "2026-11-21T23:30:00Z".
std::string FormatTime(std::chrono::system_clock::time_point t);
std::string NowRfc3339();
// The time an RFC 3339 timestamp names, to the second (fractions and the
// zone suffix are ignored: the API writes UTC). nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseTime(
    const std::string& text);

// `prefix` + 5 random characters from Kubernetes' alphabet.
std::string GenerateName(const std::string& prefix);

// DNS-1123 subdomain check with Kubernetes' message, appended to `causes`
// under `field`.
void ValidateDnsSubdomain(const std::string& value, const std::string& field,
                          std::vector<FieldCause>* causes);

// Label keys and values, annotation size: metadata.labels / .annotations.
void ValidateMetadataMaps(const Json& metadata,
                          std::vector<FieldCause>* causes);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_OBJECT_META_H_
