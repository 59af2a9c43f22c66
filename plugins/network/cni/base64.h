// Base64: the standard, padded alphabet (RFC 4648 §4), matching Go's
// base64.StdEncoding, which libcni uses for the network config it keeps in
// a cached result (a copy of the core plugin's: plugins share no code).
//
// Thread safety: pure functions.
#ifndef BERTH_PLUGINS_NETWORK_CNI_BASE64_H_
#define BERTH_PLUGINS_NETWORK_CNI_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace berth::cni {

std::string Base64Encode(std::string_view data);

// The decoded bytes, or nullopt when `text` is not padded standard base64
// (carriage returns and newlines are skipped, as Go does).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace berth::cni

#endif  // BERTH_PLUGINS_NETWORK_CNI_BASE64_H_
