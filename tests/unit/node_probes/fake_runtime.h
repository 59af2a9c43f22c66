// A ContainerRuntime for the probe tests: ExecSync answers from a script
// and records what it was asked; everything else is refused.
//
// Thread safety: ExecSync is synchronized; the script is set up before.
#ifndef BERTH_TESTS_UNIT_NODE_PROBES_FAKE_RUNTIME_H_
#define BERTH_TESTS_UNIT_NODE_PROBES_FAKE_RUNTIME_H_

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "berth/runtime.h"

namespace berth::node {

class FakeRuntime : public ContainerRuntime {
 public:
  std::string Name() const override { return "fake"; }
  std::string Version() const override { return "fake 0"; }
  StatusOr<std::string> RunPodSandbox(const PodSandboxConfig&) override {
    return Unused();
  }
  Status StopPodSandbox(const std::string&) override { return Unused(); }
  Status RemovePodSandbox(const std::string&) override { return Unused(); }
  StatusOr<PodSandboxStatus> SandboxStatus(const std::string&) override {
    return Unused();
  }
  StatusOr<std::vector<PodSandboxStatus>> ListPodSandboxes() override {
    return Unused();
  }
  StatusOr<std::string> CreateContainer(const std::string&,
                                        const ContainerConfig&,
                                        const PodSandboxConfig&) override {
    return Unused();
  }
  Status StartContainer(const std::string&) override { return Unused(); }
  Status StopContainer(const std::string&, std::chrono::seconds) override {
    return Unused();
  }
  Status RemoveContainer(const std::string&) override { return Unused(); }
  StatusOr<ContainerStatus> GetContainerStatus(const std::string&) override {
    return Unused();
  }
  StatusOr<std::vector<ContainerStatus>> ListContainers() override {
    return Unused();
  }
  StatusOr<int> Exec(const std::string&, const std::vector<std::string>&,
                     ExecStreams&) override {
    return Unused();
  }
  Status PortForward(const std::string&, PortForwardStream&) override {
    return Unused();
  }

  StatusOr<ExecSyncResult> ExecSync(const std::string& container_id,
                                    const std::vector<std::string>& cmd,
                                    std::chrono::seconds timeout) override {
    std::lock_guard<std::mutex> l(mu_);
    calls.push_back(container_id + ": " + Join(cmd));
    timeouts.push_back(timeout);
    if (script.empty()) return ExecSyncResult{};
    ExecSyncResult r = script.front();
    script.pop_front();
    return r;
  }

  // Exit codes (and output) the next ExecSync calls return; empty: 0.
  std::deque<ExecSyncResult> script;
  std::vector<std::string> calls;
  std::vector<std::chrono::seconds> timeouts;

 private:
  static Status Unused() { return Status::Internal("not used by the test"); }
  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
  }
  std::mutex mu_;
};

}  // namespace berth::node

#endif  // BERTH_TESTS_UNIT_NODE_PROBES_FAKE_RUNTIME_H_
