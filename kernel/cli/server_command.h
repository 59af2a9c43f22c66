// `berth server`: starts a single-machine control plane — the embedded
// LevelDB store, the plugins of conf/berth.yaml, the HTTPS API with a
// generated PKI and admin kubeconfig, and the controllers — then serves
// until SIGINT or SIGTERM and shuts down in order.
//
// Thread safety: run once from main.
#ifndef BERTH_KERNEL_CLI_SERVER_COMMAND_H_
#define BERTH_KERNEL_CLI_SERVER_COMMAND_H_

#include <string>
#include <vector>

namespace berth::cli {

// Returns the process exit code.
int RunServer(const std::vector<std::string>& args);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_SERVER_COMMAND_H_
