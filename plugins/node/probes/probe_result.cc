#include "probes/probe_result.h"

namespace berth::node {

const char* ProbeTypeName(ProbeType type) {
  switch (type) {
    case ProbeType::kLiveness:
      return "Liveness";
    case ProbeType::kReadiness:
      return "Readiness";
    case ProbeType::kStartup:
      return "Startup";
  }
  return "Unknown";
}

ProbeEvent EventFor(ProbeType type, const ProbeOutcome& outcome) {
  const std::string name = ProbeTypeName(type);
  switch (outcome.result) {
    case ProbeResult::kSuccess:
      if (!outcome.warning) return {};
      return {"Warning", "ProbeWarning",
              name + " probe warning: " + outcome.output};
    case ProbeResult::kFailure:
      return {"Warning", "Unhealthy",
              name + " probe failed: " + outcome.output};
    case ProbeResult::kUnknown:
      return {"Warning", "Unhealthy",
              name + " probe errored: " + outcome.output};
  }
  return {};
}

}  // namespace berth::node
