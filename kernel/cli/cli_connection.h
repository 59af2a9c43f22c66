// CliConnection: what `berth apply/get/delete` share: the kubeconfig they
// use (--kubeconfig, else the first file of $KUBECONFIG, else the default
// data dir's admin.kubeconfig, the one `berth server` writes), a client for
// it, the server's resources, the namespace to default to, and kubectl's
// wording for errors.
//
// Thread safety: one command, one thread.
#ifndef BERTH_KERNEL_CLI_CLI_CONNECTION_H_
#define BERTH_KERNEL_CLI_CLI_CONNECTION_H_

#include <memory>
#include <optional>
#include <string>

#include "berth/status.h"
#include "kernel/cli/flags.h"
#include "kernel/cli/resource_mapper.h"
#include "kernel/client/remote_client.h"

namespace berth::cli {

struct CliConnection {
  std::unique_ptr<client::RemoteClient> client;
  std::optional<ResourceMapper> mapper;
  // -n/--namespace, else the context's namespace, else "default".
  std::string default_namespace;
  bool namespace_from_flag = false;
};

// The kubeconfig path the flags and environment select.
std::string KubeconfigPath(const Flags& flags);

// Reads the kubeconfig and runs discovery. A one-line message (without the
// "error: " prefix) on failure: the kubeconfig is missing or unusable, or
// the server cannot be reached.
StatusOr<CliConnection> Connect(const Flags& flags);

// The line kubectl prints for a server error: "Error from server (NotFound):
// <message>", with "error when <doing> \"<file>\": " before the message
// when `doing` is given; an Invalid error reads "The <message>" as kubectl
// prints it, and errors that never reached the server "error: <message>".
std::string ServerErrorLine(const Status& s, const std::string& doing = "",
                            const std::string& file = "");

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_CLI_CONNECTION_H_
