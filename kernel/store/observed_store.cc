#include "kernel/store/observed_store.h"

#include <chrono>

namespace berth::store {

template <typename F>
auto ObservedStore::Timed(const char* op, F&& f) const {
  const auto start = std::chrono::steady_clock::now();
  auto result = f();
  observer_(op, std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              start)
                    .count());
  return result;
}

StatusOr<Object> ObservedStore::Create(
    const std::string& key,
    const std::function<StatusOr<NewValue>(uint64_t rev)>& make) {
  return Timed("create", [&] { return inner_->Create(key, make); });
}

StatusOr<Object> ObservedStore::Get(const std::string& key) const {
  return Timed("get", [&] { return inner_->Get(key); });
}

StatusOr<ListResult> ObservedStore::List(
    const std::string& prefix, const Predicate& pred, int64_t limit,
    const std::string& continue_token) const {
  return Timed("list", [&] {
    return inner_->List(prefix, pred, limit, continue_token);
  });
}

StatusOr<Object> ObservedStore::GuaranteedUpdate(
    const std::string& key,
    const std::function<StatusOr<NewValue>(const Object& current,
                                           uint64_t rev)>& update) {
  return Timed("update", [&] { return inner_->GuaranteedUpdate(key, update); });
}

StatusOr<Object> ObservedStore::Delete(
    const std::string& key,
    const std::function<StatusOr<std::string>(const Object& current,
                                              uint64_t rev)>& final_state) {
  return Timed("delete", [&] { return inner_->Delete(key, final_state); });
}

StatusOr<std::unique_ptr<Watcher>> ObservedStore::Watch(
    const std::string& prefix, uint64_t from_revision, const Predicate& pred) {
  return Timed("watch",
               [&] { return inner_->Watch(prefix, from_revision, pred); });
}

}  // namespace berth::store
