// LevelDbStore: the LevelDB-backed Store of store.h, opened with a chosen
// LevelDB Env. Kernel code calls OpenLevelDbStore; this entry point exists so
// tests can inject I/O failures.
//
// Thread safety: as Store.
#ifndef BERTH_KERNEL_STORE_LEVELDB_STORE_H_
#define BERTH_KERNEL_STORE_LEVELDB_STORE_H_

#include <memory>
#include <string>

#include "kernel/store/store.h"

namespace leveldb {
class Env;
}  // namespace leveldb

namespace berth::store {

// As OpenLevelDbStore, doing all file I/O through `env` (not owned; must
// outlive the store). nullptr means the default Env.
StatusOr<std::unique_ptr<Store>> OpenLevelDbStoreWithEnv(const std::string& dir,
                                                         Options options,
                                                         leveldb::Env* env);

}  // namespace berth::store

#endif  // BERTH_KERNEL_STORE_LEVELDB_STORE_H_
