// The `berth` command: one binary for the server and its tools.
#include <iostream>
#include <string>
#include <vector>

#include "kernel/cli/agent_command.h"
#include "kernel/cli/commands.h"
#include "kernel/cli/extensions.h"
#include "kernel/cli/resource_commands.h"
#include "kernel/cli/server_command.h"

namespace {

const char kUsage[] =
    "usage: berth <command> [flags]\n"
    "\n"
    "commands:\n"
    "  server      run a single-machine control plane\n"
    "              --data-dir DIR (default ~/.berth) --port N (default 6443)\n"
    "              --bind-address A --config FILE --plugin-dir DIR\n"
    "              --watch-window-events N (watch history, default 100000)\n"
    "              --tls-san A[,B...] (extra serving certificate names)\n"
    "              --advertise-address A (the `kubernetes` Service's\n"
    "              endpoint; default the bind address or the host's IPv4)\n"
    "              --kubelet-port N (serve this process's node streams to\n"
    "              API servers on N, as a kubelet does; off by default)\n"
    "  agent       run the node plugins (conf/agent.yaml) against a remote\n"
    "              API server: --kubeconfig FILE [--config FILE]\n"
    "              [--data-dir DIR (default ~/.berth/agent)] [--node-name N]\n"
    "              [--plugin-dir DIR] [--kubelet-port N|0|off (default\n"
    "              10250; pod streams for the API server)] [--bind-address A]\n"
    "              or, instead of --kubeconfig, join with a bootstrap token:\n"
    "              --server URL --token T --ca-cert-hash sha256:H (the line\n"
    "              `berth token create --print-join-command` prints)\n"
    "  kubeconfig  print the admin kubeconfig of a data dir (--data-dir DIR)\n"
    "  plugins     list the plugins a config loads (plugins list [--config "
    "F])\n"
    "\n"
    "  apply       apply -f FILE|DIR|- [-n NS]: create or update objects\n"
    "              (server-side apply; prints created/configured/unchanged)\n"
    "  get         get RESOURCE [NAME...] | RESOURCE/NAME [-n NS] [-A]\n"
    "              [-l SELECTOR] [-o yaml|json|name|wide]\n"
    "              [--show-managed-fields]\n"
    "  delete      delete -f FILE | RESOURCE NAME... [-n NS] [--wait=false]\n"
    "\n"
    "apply, get and delete use --kubeconfig FILE, else $KUBECONFIG, else\n"
    "<data dir>/admin.kubeconfig ($BERTH_DATA_DIR or ~/.berth).\n"
    "\n"
    "Any other word runs the extension berth-<word> found next to berth or\n"
    "on $PATH with the remaining args (`berth foo x` runs berth-foo x).\n";

void PrintUsage() {
  std::cout << kUsage;
  auto found = berth::cli::ListExtensions();
  if (found.empty()) return;
  std::cout << "\nextensions:\n";
  for (const auto& word : found) std::cout << "  " << word << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" ||
      args[0] == "-h") {
    PrintUsage();
    return args.empty() ? 2 : 0;
  }
  std::string cmd = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "server") return berth::cli::RunServer(rest);
  if (cmd == "agent") return berth::cli::RunAgent(rest);
  if (cmd == "kubeconfig") return berth::cli::RunKubeconfig(rest);
  if (cmd == "plugins") return berth::cli::RunPlugins(rest);
  if (cmd == "apply") return berth::cli::RunApply(rest);
  if (cmd == "get") return berth::cli::RunGet(rest);
  if (cmd == "delete") return berth::cli::RunDelete(rest);
  if (auto ext = berth::cli::FindExtension(cmd)) {
    return berth::cli::ExecExtension(*ext, rest);
  }
  std::cerr << "berth: unknown command \"" << cmd << "\"\n" << kUsage;
  return 2;
}
