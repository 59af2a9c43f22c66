// FakeClient: an in-memory berth::Client for controller tests. Objects are
// JSON strings keyed by resource and "ns/name"; Put and EmitError deliver
// events synchronously on the caller's thread. A watch's callback is never
// running once its handle's destructor returned, as the contract requires.
//
// Thread safety: all methods may be called concurrently.
#ifndef BERTH_TESTS_UNIT_CONTROLLER_FAKE_CLIENT_H_
#define BERTH_TESTS_UNIT_CONTROLLER_FAKE_CLIENT_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"

namespace berth {

class FakeClient : public Client {
 public:
  void SetServed(std::vector<ServedResource> served) {
    std::lock_guard<std::mutex> lock(mu_);
    served_ = std::move(served);
  }

  // Stores `object` and sends ADDED or MODIFIED to the resource's watches.
  void Put(const ResourceRef& r, const std::string& object) {
    std::lock_guard<std::recursive_mutex> deliver(deliver_mu_);
    std::string type;
    std::vector<Watcher> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto doc = ParseJson(object);
      std::string key = GetString(*doc, {"metadata", "namespace"}) + "/" +
                        GetString(*doc, {"metadata", "name"});
      auto& objects = objects_[Name(r)];
      type = objects.count(key) ? "MODIFIED" : "ADDED";
      objects[key] = object;
      targets = WatchersOf(r);
    }
    for (const auto& w : targets) w.on_event({type, object});
  }

  // Sends an ERROR event to the resource's watches, as a server does when a
  // watch cannot go on.
  void EmitError(const ResourceRef& r) {
    std::lock_guard<std::recursive_mutex> deliver(deliver_mu_);
    std::vector<Watcher> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      targets = WatchersOf(r);
    }
    for (const auto& w : targets) w.on_event({"ERROR", R"({"code":410})"});
  }

  // The next `n` Watch calls fail with Unavailable.
  void FailNextWatches(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    failing_watches_ = n;
  }

  // resourceVersion of each Watch call on `r`, in order.
  std::vector<std::string> WatchCalls(const ResourceRef& r) {
    std::lock_guard<std::mutex> lock(mu_);
    return watch_calls_[Name(r)];
  }

  int OpenWatches() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(watchers_.size());
  }

  std::vector<ServedResource> ServerResources() override {
    std::lock_guard<std::mutex> lock(mu_);
    return served_;
  }
  StatusOr<std::string> Get(const ResourceRef&, const std::string&,
                            const std::string&) override {
    return Status::Unavailable("not faked");
  }
  StatusOr<std::string> List(const ResourceRef&, const std::string&,
                             const ListOptions&) override {
    return Status::Unavailable("not faked");
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
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) override {
    std::lock_guard<std::recursive_mutex> deliver(deliver_mu_);
    std::vector<std::string> current;
    int id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      watch_calls_[Name(r)].push_back(resource_version);
      if (failing_watches_ > 0) {
        --failing_watches_;
        return Status::Unavailable("watch refused by the test");
      }
      id = next_id_++;
      watchers_.push_back({id, Name(r), on_event});
      for (const auto& [key, object] : objects_[Name(r)]) {
        current.push_back(object);
      }
    }
    for (const auto& object : current) on_event({"ADDED", object});
    return std::unique_ptr<WatchHandle>(new Handle(this, id));
  }

 private:
  struct Watcher {
    int id;
    std::string resource;
    std::function<void(const WatchEvent&)> on_event;
  };

  class Handle : public WatchHandle {
   public:
    Handle(FakeClient* client, int id) : client_(client), id_(id) {}
    ~Handle() override {
      // Waits for a delivery in progress on another thread.
      std::lock_guard<std::recursive_mutex> deliver(client_->deliver_mu_);
      std::lock_guard<std::mutex> lock(client_->mu_);
      std::erase_if(client_->watchers_,
                    [&](const Watcher& w) { return w.id == id_; });
    }

   private:
    FakeClient* client_;
    int id_;
  };

  static std::string Name(const ResourceRef& r) {
    return r.group + "/" + r.version + "/" + r.resource;
  }

  std::vector<Watcher> WatchersOf(const ResourceRef& r) {
    std::vector<Watcher> out;
    for (const auto& w : watchers_) {
      if (w.resource == Name(r)) out.push_back(w);
    }
    return out;
  }

  std::recursive_mutex deliver_mu_;  // held while callbacks run
  std::mutex mu_;
  std::vector<ServedResource> served_;
  std::map<std::string, std::map<std::string, std::string>> objects_;
  std::map<std::string, std::vector<std::string>> watch_calls_;
  std::vector<Watcher> watchers_;
  int next_id_ = 0;
  int failing_watches_ = 0;
};

}  // namespace berth

#endif  // BERTH_TESTS_UNIT_CONTROLLER_FAKE_CLIENT_H_
