#include "pod_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "tests/unit/core/test_util.h"

namespace berth::workloads {
namespace {

using core::Parse;

std::string Pod(const std::string& name, const std::string& node,
                const std::string& phase, bool ready,
                const std::string& ready_at = "2024-01-01T00:00:00Z",
                const std::string& created = "2024-01-01T00:00:00Z",
                int restarts = 0) {
  return R"({"metadata":{"name":")" + name + R"(","creationTimestamp":")" +
         created + R"("},"spec":{"nodeName":")" + node +
         R"("},"status":{"phase":")" + phase +
         R"(","conditions":[{"type":"Ready","status":")" +
         (ready ? "True" : "False") + R"(","lastTransitionTime":")" + ready_at +
         R"("}],"containerStatuses":[{"restartCount":)" +
         std::to_string(restarts) + "}]}}";
}

TEST(PodState, CheapestPodsAreDeletedFirst) {
  std::vector<JsonDoc> pods;
  pods.push_back(Parse(Pod("old-ready", "n1", "Running", true,
                           "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")));
  pods.push_back(Parse(Pod("new-ready", "n1", "Running", true,
                           "2024-01-01T00:10:00Z", "2024-01-01T00:09:00Z")));
  pods.push_back(Parse(Pod("not-ready", "n1", "Running", false)));
  pods.push_back(Parse(Pod("pending", "n1", "Pending", false)));
  pods.push_back(Parse(Pod("unscheduled", "", "Pending", false)));
  pods.push_back(Parse(Pod("crashy", "n1", "Running", true,
                           "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 5)));
  std::vector<const JsonDoc*> order;
  for (const auto& p : pods) order.push_back(&p);
  std::sort(order.begin(), order.end(), [](const JsonDoc* a, const JsonDoc* b) {
    return DeletesFirst(*a, *b);
  });
  std::vector<std::string> names;
  for (const auto* p : order) {
    names.push_back(GetString(*p, {"metadata", "name"}));
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"unscheduled", "pending", "not-ready",
                                      "new-ready", "crashy", "old-ready"}));
}

TEST(PodState, AvailableAfterMinReadySeconds) {
  JsonDoc pod = Parse(Pod("p", "n1", "Running", true, "2024-01-01T00:00:00Z"));
  auto at = [](int secs) {
    return std::chrono::system_clock::from_time_t(1704067200 + secs);
  };
  EXPECT_TRUE(IsPodAvailable(pod, 0, at(0)));
  EXPECT_FALSE(IsPodAvailable(pod, 5, at(4)));
  EXPECT_TRUE(IsPodAvailable(pod, 5, at(5)));
  JsonDoc not_ready = Parse(Pod("p", "n1", "Running", false));
  EXPECT_FALSE(IsPodAvailable(not_ready, 0, at(100)));
}

TEST(PodState, FinishedAndDeletingPodsAreNotActive) {
  EXPECT_TRUE(IsPodActive(Parse(Pod("p", "n1", "Running", true))));
  EXPECT_FALSE(IsPodActive(Parse(Pod("p", "n1", "Succeeded", false))));
  EXPECT_FALSE(IsPodActive(Parse(Pod("p", "n1", "Failed", false))));
  EXPECT_FALSE(IsPodActive(Parse(
      R"({"metadata":{"deletionTimestamp":"2024-01-01T00:00:00Z"},"status":{"phase":"Running"}})")));
}

}  // namespace
}  // namespace berth::workloads
