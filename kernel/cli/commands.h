// The small `berth` subcommands besides `server`.
//
// Thread safety: each runs once from main.
#ifndef BERTH_KERNEL_CLI_COMMANDS_H_
#define BERTH_KERNEL_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace berth::cli {

// `berth kubeconfig [--data-dir DIR]`: prints DIR/admin.kubeconfig. Exit 1
// with one line when the server has not made it yet.
int RunKubeconfig(const std::vector<std::string>& args);

// `berth plugins list [--config FILE] [--plugin-dir DIR]`: loads the
// configured plugins as the server would and prints name, version, path,
// kinds and controllers of each. Exit 1 with the loader's line on failure.
int RunPlugins(const std::vector<std::string>& args);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_COMMANDS_H_
