// ObservedStore: a Store decorator that reports how long each operation
// took ("create", "get", "list", "update", "delete", "watch") to an
// observer — how the server feeds its store metrics without the store or
// the API knowing about metrics.
//
// Thread safety: as the wrapped store; the observer is called concurrently
// from the calling threads and must be thread-safe.
#ifndef BERTH_KERNEL_STORE_OBSERVED_STORE_H_
#define BERTH_KERNEL_STORE_OBSERVED_STORE_H_

#include <functional>

#include "kernel/store/store.h"

namespace berth::store {

class ObservedStore : public Store {
 public:
  using Observer = std::function<void(const char* op, double seconds)>;
  // `inner` must outlive this store.
  ObservedStore(Store* inner, Observer observer)
      : inner_(inner), observer_(std::move(observer)) {}

  StatusOr<Object> Create(
      const std::string& key,
      const std::function<StatusOr<NewValue>(uint64_t rev)>& make) override;
  StatusOr<Object> Get(const std::string& key) const override;
  StatusOr<ListResult> List(const std::string& prefix, const Predicate& pred,
                            int64_t limit,
                            const std::string& continue_token) const override;
  StatusOr<Object> GuaranteedUpdate(
      const std::string& key,
      const std::function<StatusOr<NewValue>(const Object& current,
                                             uint64_t rev)>& update) override;
  StatusOr<Object> Delete(
      const std::string& key,
      const std::function<StatusOr<std::string>(
          const Object& current, uint64_t rev)>& final_state) override;
  StatusOr<std::unique_ptr<Watcher>> Watch(const std::string& prefix,
                                           uint64_t from_revision,
                                           const Predicate& pred) override;
  uint64_t CurrentRevision() const override {
    return inner_->CurrentRevision();
  }
  size_t Count(const std::string& prefix) const override {
    return inner_->Count(prefix);
  }

 private:
  template <typename F>
  auto Timed(const char* op, F&& f) const;

  Store* inner_;
  Observer observer_;
};

}  // namespace berth::store

#endif  // BERTH_KERNEL_STORE_OBSERVED_STORE_H_
