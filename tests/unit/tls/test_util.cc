#include "tests/unit/tls/test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "kernel/api/tls/file_util.h"

namespace berth::tls {

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
