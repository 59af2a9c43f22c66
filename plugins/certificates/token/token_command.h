// `berth token create|list|delete`: bootstrap tokens (bootstrap_token.h)
// for joining machines, as `kubeadm token` manages them. Run on the server
// machine as admin: --kubeconfig FILE, else --data-dir DIR's
// admin.kubeconfig, else the usual CliConnection choice.
//
// Thread safety: runs once from main.
#ifndef BERTH_PLUGINS_CERTIFICATES_TOKEN_TOKEN_COMMAND_H_
#define BERTH_PLUGINS_CERTIFICATES_TOKEN_TOKEN_COMMAND_H_

#include <string>
#include <vector>

namespace berth::certificates {

// create [--ttl 24h] [--description TEXT] [--groups G1,G2]
//        [--print-join-command [--server URL]]: prints the token (or the
//        `berth agent` line joining with it).
// list: TOKEN TTL EXPIRES USAGES DESCRIPTION EXTRA GROUPS, as kubeadm.
// delete ID|TOKEN...: prints "bootstrap token "<id>" deleted".
// join --server URL --token T --node-name N --out FILE
//      (--ca-cert-hash H | --discovery-token-unsafe-skip-ca-verification)
//      [--timeout 5m]: the machine's side, as `kubeadm join` discovers and
//      bootstraps: writes the node's kubeconfig at FILE (node_bootstrap.h);
//      exits kJoinUnavailableExit when the server cannot be reached, so a
//      caller may retry.
// Exit 0 on success, 1 with one line on stderr on failure, 2 on misuse.
constexpr int kJoinUnavailableExit = 3;

int RunToken(const std::vector<std::string>& args);

}  // namespace berth::certificates

#endif  // BERTH_PLUGINS_CERTIFICATES_TOKEN_TOKEN_COMMAND_H_
