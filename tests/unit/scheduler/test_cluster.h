// A small cluster for scheduler plugin tests: pods and nodes written as
// JSON, parsed the way the runtime parses them, and a SchedulerHandle over
// them.
#ifndef BERTH_TESTS_UNIT_SCHEDULER_TEST_CLUSTER_H_
#define BERTH_TESTS_UNIT_SCHEDULER_TEST_CLUSTER_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/scheduler.h"
#include "framework/matching.h"
#include "framework/object_parser.h"
#include "tests/support/unavailable_client.h"

namespace berth::scheduler {

inline std::shared_ptr<PodInfo> Pod(const std::string& json) {
  auto d = ParseJson(json);
  EXPECT_TRUE(d.ok()) << json;
  return ParsePod(*d);
}

inline NodeInfo Node(const std::string& json) {
  auto d = ParseJson(json);
  EXPECT_TRUE(d.ok()) << json;
  return ParseNode(*d);
}

class TestCluster : public SchedulerHandle {
 public:
  // Adds a node "name" with labels, 4 cpu, 8Gi, 110 pods unless `json`
  // (a full Node) is given.
  NodeInfo& AddNode(const std::string& name,
                    const std::map<std::string, std::string>& labels = {}) {
    std::string l = "{";
    for (const auto& [k, v] : labels) {
      if (l.size() > 1) l += ",";
      l += "\"" + k + "\":\"" + v + "\"";
    }
    l += "}";
    return AddNodeJson(
        R"({"metadata":{"name":")" + name + R"(","labels":)" + l +
        R"(},"status":{"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"}}})");
  }
  NodeInfo& AddNodeJson(const std::string& json) {
    nodes_.push_back(std::make_unique<NodeInfo>(Node(json)));
    list_.push_back(nodes_.back().get());
    return *nodes_.back();
  }
  // Places a pod on node `node`.
  void Place(std::shared_ptr<PodInfo> pod, const std::string& node) {
    pod->node_name = node;
    for (auto& n : nodes_) {
      if (n->name == node) AddPod(pod, *n);
    }
  }
  NodeInfo& node(size_t i) { return *nodes_[i]; }

  Client& client() override { return client_; }
  const std::vector<const NodeInfo*>& Nodes() const override { return list_; }
  std::vector<const NodeInfo*> NodesWithAffinityPods() const override {
    std::vector<const NodeInfo*> out;
    for (auto* n : list_) {
      if (!n->pods_with_affinity.empty()) out.push_back(n);
    }
    return out;
  }
  std::vector<const NodeInfo*> NodesWithRequiredAntiAffinityPods()
      const override {
    std::vector<const NodeInfo*> out;
    for (auto* n : list_) {
      if (!n->pods_with_required_anti_affinity.empty()) out.push_back(n);
    }
    return out;
  }
  std::map<std::string, std::string> NamespaceLabels(
      const std::string& ns) const override {
    auto it = ns_labels.find(ns);
    return it == ns_labels.end() ? std::map<std::string, std::string>{}
                                 : it->second;
  }

  std::map<std::string, std::map<std::string, std::string>> ns_labels;

 private:
  testing::UnavailableClient client_;
  std::vector<std::unique_ptr<NodeInfo>> nodes_;
  std::vector<const NodeInfo*> list_;
};

// The plugin configured for `cluster` with `args`.
template <typename P>
std::shared_ptr<SchedulerPlugin> Make(TestCluster& cluster,
                                      const std::string& args = "{}") {
  auto made = P().New(cluster, args);
  EXPECT_TRUE(made.ok()) << made.status().message();
  return made.ok() ? *made : nullptr;
}

// Runs PreFilter then Filter for every node; returns one entry per node:
// "" when it fits, else the first reason.
inline std::vector<std::string> FilterAll(SchedulerPlugin& p,
                                          const PodInfo& pod,
                                          TestCluster& cluster) {
  CycleState state;
  std::vector<std::string> out;
  SchedulingStatus pre = p.PreFilter(state, pod);
  for (const NodeInfo* n : cluster.Nodes()) {
    if (pre.code() == SchedulingStatus::Code::kSkip) {
      out.push_back("");
      continue;
    }
    SchedulingStatus s = p.Filter(state, pod, *n);
    out.push_back(s.ok() ? "" : s.reasons().empty() ? "?" : s.reasons()[0]);
  }
  return out;
}

// PreScore, Score and NormalizeScore over every node.
inline std::vector<int64_t> ScoreAll(SchedulerPlugin& p, const PodInfo& pod,
                                     TestCluster& cluster) {
  CycleState state;
  std::vector<NodeScore> scores;
  SchedulingStatus pre = p.PreScore(state, pod, cluster.Nodes());
  for (const NodeInfo* n : cluster.Nodes()) {
    NodeScore s{n->name, 0};
    if (pre.code() != SchedulingStatus::Code::kSkip) {
      p.Score(state, pod, *n, s.score);
    }
    scores.push_back(s);
  }
  if (pre.code() != SchedulingStatus::Code::kSkip) {
    p.NormalizeScore(state, pod, scores);
  }
  std::vector<int64_t> out;
  for (const auto& s : scores) out.push_back(s.score);
  return out;
}

}  // namespace berth::scheduler

#endif  // BERTH_TESTS_UNIT_SCHEDULER_TEST_CLUSTER_H_
