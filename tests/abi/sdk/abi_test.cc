// Guards the plugin ABI: any change to an SDK header must come with a bump of
// BERTH_SDK_ABI_VERSION (which is part of the build key, so old plugins are
// refused instead of crashing) and a new recorded hash.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "berth/abi_version.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

const std::string kChangedMessage =
    "SDK headers changed: bump BERTH_SDK_ABI_VERSION in "
    "sdk/include/berth/abi_version.h and update tests/abi/sdk_headers.sha256";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// SHA-256 (hex) of the contents of dir/*.h concatenated in name order, as
// scripts/update-abi-hash.sh computes it.
std::string HeadersHash(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".h") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& name : names) {
    std::string content = ReadFile(dir / name);
    EVP_DigestUpdate(ctx, content.data(), content.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

// "" when the headers in `dir` match `record` ("<version> <hash>") or the
// version moved on; otherwise what the developer must do.
std::string CheckHeaders(const fs::path& dir, const std::string& record,
                         int abi_version) {
  std::istringstream in(record);
  int recorded_version = -1;
  std::string recorded_hash;
  if (!(in >> recorded_version >> recorded_hash)) {
    return "tests/abi/sdk_headers.sha256 is malformed: run "
           "scripts/update-abi-hash.sh";
  }
  if (HeadersHash(dir) == recorded_hash) return "";
  if (abi_version == recorded_version) return kChangedMessage;
  return "BERTH_SDK_ABI_VERSION is " + std::to_string(abi_version) +
         " but tests/abi/sdk_headers.sha256 records " +
         std::to_string(recorded_version) + ": run scripts/update-abi-hash.sh";
}

TEST(AbiTest, SdkHeadersMatchTheRecordedHash) {
  std::string record = ReadFile(BERTH_ABI_HASH_FILE);
  EXPECT_EQ(CheckHeaders(BERTH_SDK_HEADER_DIR, record, BERTH_SDK_ABI_VERSION),
            "");
}

class AbiCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("berth_abi_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "a.h") << "struct A { int x; };\n";
    std::ofstream(dir_ / "b.h") << "struct B { int y; };\n";
    record_ = "7 " + HeadersHash(dir_) + "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string record_;
};

TEST_F(AbiCheckTest, UnchangedHeadersPass) {
  EXPECT_EQ(CheckHeaders(dir_, record_, 7), "");
}

TEST_F(AbiCheckTest, ChangedHeaderWithoutVersionBumpFails) {
  std::ofstream(dir_ / "b.h") << "struct B { int y; int z; };\n";
  EXPECT_EQ(CheckHeaders(dir_, record_, 7), kChangedMessage);
}

TEST_F(AbiCheckTest, NewHeaderCounts) {
  std::ofstream(dir_ / "c.h") << "struct C {};\n";
  EXPECT_EQ(CheckHeaders(dir_, record_, 7), kChangedMessage);
}

TEST_F(AbiCheckTest, BumpedVersionAsksForANewRecord) {
  std::ofstream(dir_ / "b.h") << "struct B { long y; };\n";
  EXPECT_EQ(CheckHeaders(dir_, record_, 8),
            "BERTH_SDK_ABI_VERSION is 8 but tests/abi/sdk_headers.sha256 "
            "records 7: run scripts/update-abi-hash.sh");
}

TEST_F(AbiCheckTest, HashMatchesTheUpdateScriptsDefinition) {
  // sha256 of "struct A { int x; };\nstruct B { int y; };\n".
  EXPECT_EQ(HeadersHash(dir_),
            "4a9b470e524a964700b3c1582e08362b4f27682a60d4157a8cbb467bdf102e63");
}

}  // namespace
}  // namespace berth
