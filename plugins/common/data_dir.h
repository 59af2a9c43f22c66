// PluginDataDir: the data dir of the berth process a plugin runs in, where
// plugins keep per-instance state by default (the node agent's pod
// directories, the runtimes' state, the image store, the CNI cache), so two
// servers or agents with different --data-dir on one machine keep theirs
// apart. `berth server` and `berth agent` export their --data-dir as
// $BERTH_DATA_DIR before they load plugins; `berth image` reads the same.
//
// Thread safety: reads the environment; call while no thread changes it
// (plugins call it from Register).
#ifndef BERTH_PLUGINS_COMMON_DATA_DIR_H_
#define BERTH_PLUGINS_COMMON_DATA_DIR_H_

#include <string>

namespace berth {

// $BERTH_DATA_DIR, else ~/.berth (./.berth without $HOME): `berth server`'s
// own default (kernel/cli/data_dir.h), repeated because plugins do not
// link the kernel. Never fails.
std::string PluginDataDir();

}  // namespace berth

#endif  // BERTH_PLUGINS_COMMON_DATA_DIR_H_
