// EnteredNetns: the network namespace the pod benchmark runs in while its
// node is up. The calling thread (the main one, before any other starts)
// joins it, so every thread and child made later is inside; the destructor
// restores the bench's own, which must happen before the namespace is
// deleted (deleting it kills every process still inside).
//
// Thread safety: made and destroyed on the main thread.
#ifndef BERTH_BENCH_PODS_ENTERED_NETNS_H_
#define BERTH_BENCH_PODS_ENTERED_NETNS_H_

#include <string>

namespace berth::bench {

class EnteredNetns {
 public:
  // Joins /var/run/netns/<name>; ok() says whether that worked.
  explicit EnteredNetns(const std::string& name);
  ~EnteredNetns();
  EnteredNetns(const EnteredNetns&) = delete;
  EnteredNetns& operator=(const EnteredNetns&) = delete;

  bool ok() const { return ok_; }

 private:
  int own_ = -1;
  bool ok_ = false;
};

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_ENTERED_NETNS_H_
