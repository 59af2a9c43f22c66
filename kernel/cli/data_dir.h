// The data directory `berth server` keeps its store, PKI and admin
// kubeconfig in, and where the other commands look for them by default.
//
// Thread safety: reads the environment; call from main's thread.
#ifndef BERTH_KERNEL_CLI_DATA_DIR_H_
#define BERTH_KERNEL_CLI_DATA_DIR_H_

#include <string>

namespace berth::cli {

// $BERTH_DATA_DIR, else ~/.berth (./.berth without $HOME).
std::string DefaultDataDir();

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_DATA_DIR_H_
