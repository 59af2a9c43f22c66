#include "tests/unit/tls/test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "kernel/api/tls/file_util.h"

namespace berth::tls {

TempDir::TempDir() {
  char tmpl[] = "/tmp/berth_tls_test_XXXXXX";
  const char* dir = mkdtemp(tmpl);
  EXPECT_NE(dir, nullptr);
  path_ = dir ? dir : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

std::string ReadOrFail(const std::string& path) {
  StatusOr<std::string> data = ReadFileToString(path);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : "";
}

int FileMode(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace berth::tls
