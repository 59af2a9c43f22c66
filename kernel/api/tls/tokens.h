// Static bearer tokens: DATA_DIR/tokens.csv in the Kubernetes static token
// file format (kube-apiserver --token-auth-file), one credential a line:
//   token,user,uid,"group1,group2"
// The groups column is optional; blank lines are skipped.
//
// Thread safety: a TokenAuthenticator is immutable after Load/Parse, so
// Authenticate may be called from any number of threads at once.
#ifndef BERTH_KERNEL_API_TLS_TOKENS_H_
#define BERTH_KERNEL_API_TLS_TOKENS_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "berth/status.h"
#include "kernel/api/tls/user_info.h"

namespace berth::tls {

// DATA_DIR/tokens.csv.
std::string TokenFilePath(const std::string& data_dir);

// The admin token: when tokens.csv is missing, creates it (mode 0600) with one
// random 256-bit token for user "admin", uid "admin", group system:masters.
// Otherwise returns the token of the file's first "admin" line, or NotFound
// if it has none. Internal/Invalid when the file cannot be written or parsed.
StatusOr<std::string> EnsureAdminToken(const std::string& data_dir);

class TokenAuthenticator {
 public:
  // An authenticator that accepts no token.
  TokenAuthenticator() = default;

  // Reads a token file. NotFound if it is missing, Invalid (naming the line)
  // if a line has fewer than three columns or an empty token or user.
  static StatusOr<TokenAuthenticator> LoadFile(const std::string& path);
  static StatusOr<TokenAuthenticator> Parse(const std::string& csv);

  // The user `token` belongs to (groups as listed in the file), or
  // Unauthorized("Unauthorized"). Takes the same time whichever entry
  // matches, so response timing does not leak token prefixes.
  StatusOr<UserInfo> Authenticate(std::string_view token) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::array<unsigned char, 32> digest;  // SHA-256 of the token
    UserInfo user;
  };
  std::vector<Entry> entries_;
};

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_TOKENS_H_
