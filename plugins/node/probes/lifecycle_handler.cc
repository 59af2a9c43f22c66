#include "probes/lifecycle_handler.h"

#include <thread>

namespace berth::node {
namespace {

std::vector<std::string> StringList(const Json* v) {
  std::vector<std::string> out;
  if (!v || !v->IsArray()) return out;
  for (const auto& e : v->GetArray()) {
    if (e.IsString()) out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return out;
}

// Go's %v of a []string: "[sh -c exit 3]".
std::string GoList(const std::vector<std::string>& parts) {
  std::string out = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i ? " " : "") + parts[i];
  }
  return out + "]";
}

// Go's %q.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// format.Pod: "name_namespace(uid)".
std::string FormatPod(const Json& pod) {
  return GetString(pod, {"metadata", "name"}) + "_" +
         GetString(pod, {"metadata", "namespace"}) + "(" +
         GetString(pod, {"metadata", "uid"}) + ")";
}

}  // namespace

LifecycleHandlerRunner::LifecycleHandlerRunner(ContainerRuntime& runtime,
                                               SleepFn sleep)
    : runtime_(runtime), sleep_(std::move(sleep)) {
  if (!sleep_) {
    sleep_ = [](std::chrono::seconds d) {
      std::this_thread::sleep_for(d);
      return true;
    };
  }
}

Status LifecycleHandlerRunner::Run(const Json& handler, const Json& pod,
                                   const Json& container,
                                   const ProbeTarget& target) const {
  const std::string cname = GetString(container, {"name"});
  if (const Json* exec = Member(handler, "exec")) {
    const auto command = StringList(Member(*exec, "command"));
    // No timeout of its own (the kubelet passes 0); a year stands for it.
    ContainerRuntime& runtime = target.runtime ? *target.runtime : runtime_;
    auto result = runtime.ExecSync(target.container_id, command,
                                   std::chrono::hours(24 * 365));
    std::string error, output;
    if (!result.ok()) {
      error = result.status().message();
    } else {
      output = result->stdout_data + result->stderr_data;
      if (result->exit_code != 0) {
        std::string joined;
        for (const auto& c : command) joined += (joined.empty() ? "" : " ") + c;
        error = "command '" + joined + "' exited with " +
                std::to_string(result->exit_code) + ": " + result->stderr_data;
      }
    }
    if (error.empty()) return Status::Ok();
    return Status::Internal("Exec lifecycle hook (" + GoList(command) +
                            ") for Container \"" + cname + "\" in Pod \"" +
                            FormatPod(pod) + "\" failed - error: " + error +
                            ", message: " + Quote(output));
  }
  if (const Json* http = Member(handler, "httpGet")) {
    const std::string path = GetString(*http, {"path"});
    // The kubelet's hook client has no timeout of its own either; bound it
    // so a hook that never answers cannot hold the pod forever.
    auto request =
        BuildHttpGetRequest(*http, container, target, std::chrono::minutes(2));
    Status s = request.ok() ? DoHttpGet(*request).status() : request.status();
    if (s.ok()) return s;
    return Status::Internal(
        "HTTP lifecycle hook (" + path + ") for Container \"" + cname +
        "\" in Pod \"" + FormatPod(pod) + "\" failed - error: " + s.message());
  }
  if (const Json* sleep = Member(handler, "sleep")) {
    sleep_(std::chrono::seconds(GetInt(*sleep, {"seconds"}, 0)));
    return Status::Ok();
  }
  return Status::Invalid("lifecycle handler for Container \"" + cname +
                         "\" in Pod \"" + FormatPod(pod) +
                         "\" has no exec, httpGet or sleep action");
}

}  // namespace berth::node
