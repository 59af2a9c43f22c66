// Helpers for the TLS tests: a temporary data directory per test and small
// file/PEM accessors.
//
// Thread safety: each TempDir belongs to one test.
#ifndef BERTH_TESTS_UNIT_TLS_TEST_UTIL_H_
#define BERTH_TESTS_UNIT_TLS_TEST_UTIL_H_

#include <sys/stat.h>

#include <string>

#include "tests/support/temp_dir.h"

namespace berth::tls {

// A fresh directory, removed with its contents on destruction.
using ::berth::testing::TempDir;

// The file's contents; fails the current test (and returns "") if unreadable.
std::string ReadOrFail(const std::string& path);

// Permission bits of a file, or -1 if it does not exist.
int FileMode(const std::string& path);

}  // namespace berth::tls

#endif  // BERTH_TESTS_UNIT_TLS_TEST_UTIL_H_
