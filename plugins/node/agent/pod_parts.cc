#include "pod_parts.h"

namespace berth::node {
namespace {

class NoVolumes : public PodVolumes {
 public:
  StatusOr<std::map<std::string, std::vector<Mount>>> Prepare(
      const Json&, const PodFacts&) override {
    return std::map<std::string, std::vector<Mount>>{};
  }
  Status Cleanup(const std::string&) override { return {}; }
};

class LiteralEnv : public EnvResolver {
 public:
  StatusOr<EnvList> Resolve(const Json&, const Json& container,
                            const PodFacts&) override {
    EnvList out;
    const Json* env = Member(container, "env");
    if (!env || !env->IsArray()) return out;
    for (const auto& e : env->GetArray()) {
      out.emplace_back(GetString(e, {"name"}), GetString(e, {"value"}));
    }
    return out;
  }
};

class ReadyWhenRunning : public PodProbes {
 public:
  void ContainerStarted(const Json&, const std::string&,
                        const ProbeTarget&) override {}
  bool Ready(const std::string&, const std::string&) override { return true; }
  bool Started(const std::string&, const std::string&) override { return true; }
  void RemovePod(const std::string&) override {}
};

}  // namespace

std::unique_ptr<PodVolumes> MakeNoVolumes() {
  return std::make_unique<NoVolumes>();
}
std::unique_ptr<EnvResolver> MakeLiteralEnv() {
  return std::make_unique<LiteralEnv>();
}
std::unique_ptr<PodProbes> MakeReadyWhenRunning() {
  return std::make_unique<ReadyWhenRunning>();
}

}  // namespace berth::node
