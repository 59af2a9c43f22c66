// TempDir: a fresh directory under the system temp dir for one test,
// removed with everything in it when the TempDir goes. Header-only so unit
// tests use it without linking the process-running test support.
//
// Thread safety: one owner.
#ifndef BERTH_TESTS_SUPPORT_TEMP_DIR_H_
#define BERTH_TESTS_SUPPORT_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace berth::testing {

class TempDir {
 public:
  // path() is "" when the directory could not be made.
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "berth-test-XXXXXX").string();
    const char* p = mkdtemp(tmpl.data());
    path_ = p ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_TEMP_DIR_H_
