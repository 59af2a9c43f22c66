// The address an API server advertises to in-cluster clients, chosen as
// kube-apiserver chooses its --advertise-address default: the one given,
// else the address it binds (when that is one address and not loopback),
// else the host's first non-loopback IPv4 address.
//
// Thread safety: a pure function of its arguments and the host's interfaces.
#ifndef BERTH_KERNEL_CLI_ADVERTISE_ADDRESS_H_
#define BERTH_KERNEL_CLI_ADVERTISE_ADDRESS_H_

#include <string>

namespace berth::cli {

// `advertise` when not empty, else `bind_address` unless it is a wildcard
// ("0.0.0.0", "::", "") or loopback (127.0.0.0/8, "::1"), else the first IPv4
// address of an interface that is not loopback and not a pod bridge or veth
// (cni*, veth*, berth*, docker*; the same rule the node agent uses for its
// Node's InternalIP), else "127.0.0.1". Never fails.
std::string ChooseAdvertiseAddress(const std::string& advertise,
                                   const std::string& bind_address);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_ADVERTISE_ADDRESS_H_
