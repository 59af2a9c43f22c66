#include "cni_invoker.h"

#include <unistd.h>

#include "berth/json.h"

namespace berth::cni {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// The plugin's error object (spec: "Error" — code, msg, details) as one
// line, or "" when stdout holds none.
std::string ErrorObjectMessage(const std::string& out) {
  auto doc = ParseJson(out);
  if (!doc.ok() || !doc->IsObject()) return "";
  const std::string msg = GetString(*doc, {"msg"});
  if (msg.empty()) return "";
  std::string line = msg;
  const std::string details = GetString(*doc, {"details"});
  if (!details.empty() && details != msg) line += ": " + details;
  if (const Json* code = Member(*doc, "code"); code && code->IsInt()) {
    line += " (CNI error code " + std::to_string(code->GetInt()) + ")";
  }
  return OneLine(line);
}

}  // namespace

std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

CniInvoker::CniInvoker(ProcessRunner& runner, std::vector<std::string> bin_dirs,
                       std::string netns_of_node, std::chrono::seconds timeout)
    : runner_(runner),
      bin_dirs_(std::move(bin_dirs)),
      netns_of_node_(std::move(netns_of_node)),
      timeout_(timeout) {}

StatusOr<std::string> CniInvoker::FindPlugin(const std::string& type) const {
  for (const auto& dir : bin_dirs_) {
    const std::string path = dir + "/" + type;
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return Status::NotFound("plugin type \"" + type + "\" not found in " +
                          Join(bin_dirs_, ":"));
}

StatusOr<std::string> CniInvoker::Exec(const std::string& command,
                                       const std::string& type,
                                       const std::string& stdin_json,
                                       const CniRuntime& rt) const {
  auto path = FindPlugin(type);
  if (!path.ok()) return path.status();
  ProcessSpec spec;
  if (!netns_of_node_.empty()) {
    spec.argv = {"ip", "netns", "exec", netns_of_node_};
  }
  spec.argv.push_back(*path);
  std::string args;
  for (const auto& [k, v] : rt.args) {
    args += (args.empty() ? "" : ";") + k + "=" + v;
  }
  spec.env = {{"CNI_COMMAND", command}, {"CNI_CONTAINERID", rt.container_id},
              {"CNI_NETNS", rt.netns},  {"CNI_IFNAME", rt.ifname},
              {"CNI_ARGS", args},       {"CNI_PATH", Join(bin_dirs_, ":")}};
  spec.stdin_data = stdin_json;
  spec.timeout = timeout_;
  spec.max_output_bytes = 1 << 20;
  auto run = runner_.Run(spec);
  if (!run.ok()) {
    return Status(run.status().code(), OneLine(run.status().message()));
  }
  if (run->timed_out) {
    return Status::Timeout("plugin " + type + " " + command +
                           " did not finish in " +
                           std::to_string(timeout_.count()) + "s");
  }
  if (run->exit_code == 0) return run->stdout_data;
  std::string why = ErrorObjectMessage(run->stdout_data);
  if (why.empty()) why = OneLine(run->stderr_data);
  if (why.empty()) why = OneLine(run->stdout_data);
  if (why.empty()) {
    why = run->signal ? "killed by signal " + std::to_string(run->signal)
                      : "exit status " + std::to_string(run->exit_code);
  }
  return Status::Internal("plugin " + type + ": " + why);
}

}  // namespace berth::cni
