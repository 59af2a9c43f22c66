// `berth agent`: the node side of a cluster on a machine without the control
// plane. It loads the plugins of conf/agent.yaml (node, oci, cni…: the same
// .so files and loader as `berth server`) with a PluginHost whose client is a
// RemoteClient talking HTTPS to the API server of a kubeconfig, waits until
// that server answers, starts the plugins and runs until SIGINT or SIGTERM.
// It has no store, serves no API and no kinds: a plugin that registers
// kinds, admissions or scheduler plugins is refused (they only work inside
// `berth server`); controllers, runtimes, pod networks and connect handlers
// are kept.
//
// The agent hands its plugins two settings through the environment, since
// plugins only know their own `settings:` block: BERTH_DATA_DIR (its data
// dir; the node plugin keeps pods under <data dir>/node) and, with
// --node-name, BERTH_NODE_NAME.
//
// Thread safety: run once from main.
#ifndef BERTH_KERNEL_CLI_AGENT_COMMAND_H_
#define BERTH_KERNEL_CLI_AGENT_COMMAND_H_

#include <string>
#include <vector>

namespace berth::cli {

// Returns the process exit code: 0 after a signal, 1 when the flags, the
// kubeconfig, the config or a plugin is wrong (one line on stderr).
int RunAgent(const std::vector<std::string>& args);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_AGENT_COMMAND_H_
