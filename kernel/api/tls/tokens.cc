#include "kernel/api/tls/tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <filesystem>

#include "kernel/api/tls/file_util.h"

namespace berth::tls {

namespace {

constexpr char kAdminUser[] = "admin";

std::array<unsigned char, 32> Sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(),
             nullptr);
  return digest;
}

// One CSV record (RFC 4180 quoting, as Go's encoding/csv reads it); spaces
// before a field are dropped like csv.Reader.TrimLeadingSpace does.
StatusOr<std::vector<std::string>> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields;
  size_t i = 0;
  while (true) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return Status::Invalid("unterminated quote");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') {
        return Status::Invalid("text after closing quote");
      }
    } else {
      while (i < line.size() && line[i] != ',') field += line[i++];
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return fields;
}

std::vector<std::string> SplitGroups(const std::string& groups) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= groups.size()) {
    size_t end = groups.find(',', start);
    if (end == std::string::npos) end = groups.size();
    std::string g = groups.substr(start, end - start);
    if (!g.empty()) out.push_back(std::move(g));
    start = end + 1;
  }
  return out;
}

StatusOr<std::string> RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return Status::Internal("cannot generate random token");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 0xf];
  }
  return token;
}

// Each line as its split fields, with its 1-based line number for errors.
StatusOr<std::vector<std::pair<int, std::vector<std::string>>>> ParseLines(
    const std::string& csv) {
  std::vector<std::pair<int, std::vector<std::string>>> out;
  size_t start = 0;
  int number = 0;
  while (start < csv.size()) {
    size_t end = csv.find('\n', start);
    if (end == std::string::npos) end = csv.size();
    std::string_view line(csv.data() + start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    StatusOr<std::vector<std::string>> fields = SplitCsvLine(line);
    if (!fields.ok()) {
      return Status::Invalid("token file line " + std::to_string(number) +
                             ": " + fields.status().message());
    }
    if (fields->size() < 3 || (*fields)[0].empty() || (*fields)[1].empty()) {
      return Status::Invalid("token file line " + std::to_string(number) +
                             ": want token,user,uid[,\"groups\"]");
    }
    out.emplace_back(number, std::move(fields).value());
  }
  return out;
}

}  // namespace

std::string TokenFilePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "tokens.csv").string();
}

StatusOr<std::string> EnsureAdminToken(const std::string& data_dir) {
  const std::string path = TokenFilePath(data_dir);
  StatusOr<std::string> existing = ReadFileToString(path);
  if (existing.ok()) {
    auto lines = ParseLines(*existing);
    if (!lines.ok())
      return Status::Invalid(path + ": " + lines.status().message());
    for (const auto& [number, fields] : *lines) {
      if (fields[1] == kAdminUser) return fields[0];
    }
    return Status::NotFound(path + " has no token for user admin");
  }
  if (!existing.status().IsNotFound()) return existing.status();
  StatusOr<std::string> token = RandomToken();
  if (!token.ok()) return token.status();
  Status s = WriteFileAtomically(
      path, *token + ",admin,admin,\"system:masters\"\n", 0600);
  if (!s.ok()) return s;
  return token;
}

StatusOr<TokenAuthenticator> TokenAuthenticator::LoadFile(
    const std::string& path) {
  StatusOr<std::string> csv = ReadFileToString(path);
  if (!csv.ok()) return csv.status();
  StatusOr<TokenAuthenticator> auth = Parse(*csv);
  if (!auth.ok()) return Status::Invalid(path + ": " + auth.status().message());
  return auth;
}

StatusOr<TokenAuthenticator> TokenAuthenticator::Parse(const std::string& csv) {
  auto lines = ParseLines(csv);
  if (!lines.ok()) return lines.status();
  TokenAuthenticator auth;
  for (const auto& [number, fields] : *lines) {
    Entry e;
    e.digest = Sha256(fields[0]);
    e.user.name = fields[1];
    e.user.uid = fields[2];
    if (fields.size() > 3) e.user.groups = SplitGroups(fields[3]);
    auth.entries_.push_back(std::move(e));
  }
  return auth;
}

StatusOr<UserInfo> TokenAuthenticator::Authenticate(
    std::string_view token) const {
  // Comparing fixed-size digests of every entry, without stopping at the
  // first match, keeps the time independent of the token and the file order.
  std::array<unsigned char, 32> digest = Sha256(token);
  const Entry* match = nullptr;
  for (const Entry& e : entries_) {
    bool equal =
        CRYPTO_memcmp(e.digest.data(), digest.data(), digest.size()) == 0;
    if (equal && match == nullptr) match = &e;
  }
  if (token.empty() || match == nullptr) {
    return Status::Unauthorized("Unauthorized");
  }
  return match->user;
}

}  // namespace berth::tls
