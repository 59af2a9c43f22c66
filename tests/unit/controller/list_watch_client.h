// ListWatchClient: an in-memory berth::Client with a server's list+watch
// contract for informer tests: one revision counter, List answers items and
// the list's resourceVersion, Watch delivers later changes to every open
// watch. Changes can also be made silently (as if the watch had been down)
// and a watch can be ended with an ERROR event.
//
// Thread safety: all methods may be called concurrently. Events are
// delivered on the thread that made the change; a watch's callback is
// never running once its handle's destructor returned.
#ifndef BERTH_TESTS_UNIT_CONTROLLER_LIST_WATCH_CLIENT_H_
#define BERTH_TESTS_UNIT_CONTROLLER_LIST_WATCH_CLIENT_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"

namespace berth {

class ListWatchClient : public Client {
 public:
  // Creates or replaces ns/name with `labels` (a JSON object) and `value`;
  // watches see ADDED or MODIFIED unless `silently`.
  void Put(const std::string& ns, const std::string& name,
           const std::string& labels = "{}", const std::string& value = "",
           bool silently = false) {
    std::lock_guard<std::recursive_mutex> deliver(deliver_mu_);
    std::string type, object;
    std::vector<std::function<void(const WatchEvent&)>> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++revision_;
      object = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" +
               name + R"(","namespace":")" + ns + R"(","resourceVersion":")" +
               std::to_string(revision_) + R"(","labels":)" + labels +
               R"(},"data":{"v":")" + value + R"("}})";
      type = objects_.count({ns, name}) ? "MODIFIED" : "ADDED";
      objects_[{ns, name}] = object;
      if (!silently) targets = Callbacks();
    }
    for (const auto& cb : targets) cb({type, object});
  }

  // Deletes ns/name; watches see DELETED unless `silently`.
  void Remove(const std::string& ns, const std::string& name,
              bool silently = false) {
    std::lock_guard<std::recursive_mutex> deliver(deliver_mu_);
    std::string object;
    std::vector<std::function<void(const WatchEvent&)>> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++revision_;
      object = objects_[{ns, name}];
      objects_.erase({ns, name});
      if (!silently) targets = Callbacks();
    }
    for (const auto& cb : targets) cb({"DELETED", object});
  }

  // Ends every open watch with an ERROR event (410 Gone).
  void EmitError() {
    std::lock_guard<std::recursive_mutex> deliver(deliver_mu_);
    std::vector<std::function<void(const WatchEvent&)>> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      targets = Callbacks();
    }
    for (const auto& cb : targets) {
      cb({"ERROR", R"({"kind":"Status","code":410,"reason":"Expired"})"});
    }
  }

  void FailNextLists(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    failing_lists_ = n;
  }
  int list_calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_calls_;
  }
  // The resourceVersion of every Watch call, in order.
  std::vector<std::string> watch_versions() {
    std::lock_guard<std::mutex> lock(mu_);
    return watch_versions_;
  }
  std::string revision() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::to_string(revision_);
  }

  std::vector<ServedResource> ServerResources() override { return {}; }
  StatusOr<std::string> Get(const ResourceRef&, const std::string&,
                            const std::string&) override {
    return Status::Unavailable("not faked");
  }
  StatusOr<std::string> List(const ResourceRef&, const std::string&,
                             const ListOptions&) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++list_calls_;
    if (failing_lists_ > 0) {
      --failing_lists_;
      return Status::Unavailable("list refused by the test");
    }
    std::string items;
    for (const auto& [key, object] : objects_) {
      items += (items.empty() ? "" : ",") + object;
    }
    return R"({"kind":"ConfigMapList","apiVersion":"v1","metadata":)"
           R"({"resourceVersion":")" +
           std::to_string(revision_) + R"("},"items":[)" + items + "]}";
  }
  StatusOr<std::string> Create(const ResourceRef&, const std::string&,
                               const std::string&) override {
    return Status::Unavailable("not faked");
  }
  StatusOr<std::string> Update(const ResourceRef&, const std::string&,
                               const std::string&,
                               const std::string&) override {
    return Status::Unavailable("not faked");
  }
  StatusOr<std::string> MergePatch(const ResourceRef&, const std::string&,
                                   const std::string&, const std::string&,
                                   const std::string&) override {
    return Status::Unavailable("not faked");
  }
  Status Delete(const ResourceRef&, const std::string&, const std::string&,
                const DeleteOptions&) override {
    return Status::Unavailable("not faked");
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Unavailable("not faked");
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) override {
    std::lock_guard<std::mutex> lock(mu_);
    watch_versions_.push_back(resource_version);
    const int id = next_id_++;
    watchers_[id] = std::move(on_event);
    return std::unique_ptr<WatchHandle>(new Handle(this, id));
  }

 private:
  class Handle : public WatchHandle {
   public:
    Handle(ListWatchClient* client, int id) : client_(client), id_(id) {}
    ~Handle() override {
      std::lock_guard<std::recursive_mutex> deliver(client_->deliver_mu_);
      std::lock_guard<std::mutex> lock(client_->mu_);
      client_->watchers_.erase(id_);
    }

   private:
    ListWatchClient* client_;
    int id_;
  };

  std::vector<std::function<void(const WatchEvent&)>> Callbacks() {
    std::vector<std::function<void(const WatchEvent&)>> out;
    for (const auto& [id, cb] : watchers_) out.push_back(cb);
    return out;
  }

  std::recursive_mutex deliver_mu_;  // held while callbacks run
  std::mutex mu_;
  uint64_t revision_ = 1;
  std::map<std::pair<std::string, std::string>, std::string> objects_;
  std::map<int, std::function<void(const WatchEvent&)>> watchers_;
  std::vector<std::string> watch_versions_;
  int next_id_ = 0;
  int failing_lists_ = 0;
  int list_calls_ = 0;
};

}  // namespace berth

#endif  // BERTH_TESTS_UNIT_CONTROLLER_LIST_WATCH_CLIENT_H_
