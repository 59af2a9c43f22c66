// Small helpers shared by the core plugin tests.
#ifndef BERTH_TESTS_UNIT_CORE_TEST_UTIL_H_
#define BERTH_TESTS_UNIT_CORE_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::core {

inline JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

// "field: message" for each cause, to compare in one assertion.
inline std::vector<std::string> Describe(const std::vector<FieldCause>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.field + ": " + c.message);
  return out;
}

}  // namespace berth::core

#endif  // BERTH_TESTS_UNIT_CORE_TEST_UTIL_H_
