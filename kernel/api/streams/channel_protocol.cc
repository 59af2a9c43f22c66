#include "kernel/api/streams/channel_protocol.h"

#include "berth/json.h"

namespace berth::api::streams {

std::vector<std::string> SplitProtocols(std::string_view header) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= header.size()) {
    size_t comma = header.find(',', i);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = header.substr(i, comma - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
      item.remove_prefix(1);
    }
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
      item.remove_suffix(1);
    }
    if (!item.empty()) out.emplace_back(item);
    i = comma + 1;
  }
  return out;
}

std::optional<std::string> NegotiateProtocol(
    const std::vector<std::string>& offered,
    const std::vector<std::string>& supported) {
  for (const auto& s : supported) {
    for (const auto& o : offered) {
      if (o == s) return s;
    }
  }
  return std::nullopt;
}

std::string ExecStatusJson(const Status& status, int exit_code,
                           const std::vector<std::string>& command) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetMember(d, "metadata", Json(rapidjson::kObjectType), a);
  if (status.ok() && exit_code == 0) {
    SetString(d, "status", "Success", a);
    return ToJson(d);
  }
  SetString(d, "status", "Failure", a);
  Json details(rapidjson::kObjectType);
  Json causes(rapidjson::kArrayType);
  Json cause(rapidjson::kObjectType);
  if (status.ok()) {
    // kubelet's wording (remotecommand.ServeExec over a CRI exit error).
    std::string argv = "[";
    for (size_t i = 0; i < command.size(); ++i) {
      if (i) argv += ' ';
      argv += command[i];
    }
    argv += "]";
    SetString(d, "message",
              "command terminated with non-zero exit code: error executing "
              "command " +
                  argv + ", exit code " + std::to_string(exit_code),
              a);
    SetString(d, "reason", "NonZeroExitCode", a);
    SetString(cause, "reason", "ExitCode", a);
    SetString(cause, "message", std::to_string(exit_code), a);
  } else {
    const std::string message =
        "error executing command in container: " + status.message();
    SetString(d, "message", "Internal error occurred: " + message, a);
    SetString(d, "reason", "InternalError", a);
    SetString(cause, "message", message, a);
    d.AddMember("code", 500, a);
  }
  causes.PushBack(cause, a);
  SetMember(details, "causes", std::move(causes), a);
  SetMember(d, "details", std::move(details), a);
  return ToJson(d);
}

std::optional<std::pair<uint16_t, uint16_t>> ParseResize(
    std::string_view json) {
  JsonDoc d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return std::nullopt;
  const Json* w = Member(d, "Width");
  const Json* h = Member(d, "Height");
  if (!w || !h || !w->IsUint() || !h->IsUint()) return std::nullopt;
  if (w->GetUint() > 0xFFFF || h->GetUint() > 0xFFFF) return std::nullopt;
  return std::make_pair(static_cast<uint16_t>(w->GetUint()),
                        static_cast<uint16_t>(h->GetUint()));
}

}  // namespace berth::api::streams
