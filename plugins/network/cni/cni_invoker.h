// CniInvoker: runs one CNI plugin binary for one command, as the CNI spec
// (1.0.0, "Execution Protocol") says: the binary named by the plugin's
// `type` found in the bin dirs, CNI_COMMAND / CNI_CONTAINERID / CNI_NETNS /
// CNI_IFNAME / CNI_ARGS / CNI_PATH in its environment, the config on stdin,
// the result (or the error object) on stdout. Runs through the host's exec
// service, optionally inside the node's named network namespace.
//
// Thread safety: Exec may be called from any thread at once.
#ifndef BERTH_PLUGINS_NETWORK_CNI_CNI_INVOKER_H_
#define BERTH_PLUGINS_NETWORK_CNI_CNI_INVOKER_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "berth/process.h"
#include "berth/status.h"

namespace berth::cni {

// What the runtime tells every plugin of one attachment.
struct CniRuntime {
  std::string container_id;  // CNI_CONTAINERID
  std::string netns;         // CNI_NETNS (may be "" on DEL)
  std::string ifname;        // CNI_IFNAME
  // CNI_ARGS, joined as K=V;K=V.
  std::vector<std::pair<std::string, std::string>> args;
};

class CniInvoker {
 public:
  // `runner` must outlive the invoker. `netns_of_node` empty: plugins run
  // in the caller's network namespace.
  CniInvoker(ProcessRunner& runner, std::vector<std::string> bin_dirs,
             std::string netns_of_node, std::chrono::seconds timeout);

  // The path of plugin `type` in the first bin dir holding an executable
  // of that name; NotFound naming the type and the dirs.
  StatusOr<std::string> FindPlugin(const std::string& type) const;

  // Runs plugin `type` for `command` ("ADD", "DEL", "CHECK") with
  // `stdin_json`. Returns its stdout (ADD: the result). A plugin that
  // fails, times out or is missing gives a non-OK Status whose one-line
  // message carries the plugin's error (`msg`, `details`, `code` of the
  // error object on stdout, else its stderr, else its exit status); the
  // caller adds which pod and network it was.
  StatusOr<std::string> Exec(const std::string& command,
                             const std::string& type,
                             const std::string& stdin_json,
                             const CniRuntime& rt) const;

 private:
  ProcessRunner& runner_;
  const std::vector<std::string> bin_dirs_;
  const std::string netns_of_node_;
  const std::chrono::seconds timeout_;
};

// `text` on one line: newlines and tabs become spaces, runs of spaces one,
// ends trimmed.
std::string OneLine(std::string_view text);

}  // namespace berth::cni

#endif  // BERTH_PLUGINS_NETWORK_CNI_CNI_INVOKER_H_
