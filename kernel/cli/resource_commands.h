// The kubectl-like `berth` subcommands for the YAML workflow on a machine
// without kubectl: apply -f, get, delete. They talk to the server over
// HTTPS with the kubeconfig CliConnection picks, print what kubectl prints
// for the same request, and return the process exit code: 0 when everything
// succeeded, 1 when anything failed (the rest is still done), 2 for usage
// errors.
//
// Thread safety: each runs once from main.
#ifndef BERTH_KERNEL_CLI_RESOURCE_COMMANDS_H_
#define BERTH_KERNEL_CLI_RESOURCE_COMMANDS_H_

#include <string>
#include <vector>

namespace berth::cli {

// `berth apply -f FILE|DIR|- [-n NS]`: server-side apply (field manager
// "berth", force) of every object; prints "<kind>/<name> created",
// "configured" or "unchanged".
int RunApply(const std::vector<std::string>& args);

// `berth get RESOURCE [NAME...] | RESOURCE/NAME... [-n NS] [-A]
// [-l SELECTOR] [-o yaml|json|name|wide]`.
int RunGet(const std::vector<std::string>& args);

// `berth delete -f FILE | RESOURCE NAME... | RESOURCE/NAME... [-n NS]`:
// prints "<kind> \"<name>\" deleted", then waits until each object is gone
// (finalizers done) unless --wait=false.
int RunDelete(const std::vector<std::string>& args);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_RESOURCE_COMMANDS_H_
