// BenchDir: the directory every file of one pod benchmark run lives under
// (/tmp/berth-podbench-XXXXXX). Removed at the end only when nothing is
// mounted under it any more: removing through a live overlay or bind mount
// would delete what the mount shows.
//
// Thread safety: one owner.
#ifndef BERTH_BENCH_PODS_BENCH_DIR_H_
#define BERTH_BENCH_PODS_BENCH_DIR_H_

#include <string>

namespace berth::bench {

class BenchDir {
 public:
  // path() is "" when the directory could not be made.
  BenchDir();
  // Removes the directory, or says on stderr why it stays.
  ~BenchDir();
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_BENCH_DIR_H_
