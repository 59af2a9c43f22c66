// Helpers shared by the patch tests: parse a literal and compare documents
// semantically (member order ignored, array order kept).
#ifndef BERTH_TESTS_UNIT_PATCH_TEST_JSON_H_
#define BERTH_TESTS_UNIT_PATCH_TEST_JSON_H_

#include <gtest/gtest.h>

#include <string>

#include "berth/json.h"

namespace berth::patch {

inline JsonDoc ParseOrDie(const std::string& text) {
  JsonDoc d;
  d.Parse(text.c_str(), text.size());
  EXPECT_FALSE(d.HasParseError()) << "bad test JSON: " << text;
  return d;
}

inline ::testing::AssertionResult JsonEquals(const Json& actual,
                                             const std::string& expected) {
  JsonDoc want = ParseOrDie(expected);
  if (actual == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << ToJson(actual) << "\nwant " << ToJson(want);
}

}  // namespace berth::patch

#endif  // BERTH_TESTS_UNIT_PATCH_TEST_JSON_H_
