// An in-memory Client for the storage plugin tests: objects keyed by
// "resource/namespace/name", Update replacing the whole object (a status
// update too), Delete removing it; and a Host around it that keeps events.
#ifndef BERTH_TESTS_UNIT_STORAGE_FAKE_CLIENT_H_
#define BERTH_TESTS_UNIT_STORAGE_FAKE_CLIENT_H_

#include <map>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/host.h"
#include "berth/json.h"

namespace berth::storage {

class FakeClient : public Client {
 public:
  std::vector<ServedResource> ServerResources() override { return {}; }
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    auto it = objects.find(r.resource + "/" + ns + "/" + name);
    if (it == objects.end()) return Status::NotFound(name);
    return it->second;
  }
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions&) override {
    std::string items;
    const std::string prefix = r.resource + "/" + ns;
    for (const auto& [key, obj] : objects) {
      if (key.rfind(prefix, 0) != 0) continue;
      if (!ns.empty() && key.compare(prefix.size(), 1, "/") != 0) continue;
      items += (items.empty() ? "" : ",") + obj;
    }
    return R"({"items":[)" + items + "]}";
  }
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    auto d = ParseJson(object);
    if (!d.ok()) return d.status();
    const std::string key =
        r.resource + "/" + ns + "/" + GetString(*d, {"metadata", "name"});
    if (objects.count(key)) return Status::AlreadyExists(key);
    objects[key] = object;
    return object;
  }
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& sub) override {
    auto d = ParseJson(object);
    if (!d.ok()) return d.status();
    const std::string key =
        r.resource + "/" + ns + "/" + GetString(*d, {"metadata", "name"});
    if (!objects.count(key)) return Status::NotFound(key);
    objects[key] = object;
    writes.push_back(key + (sub.empty() ? "" : "/" + sub));
    return object;
  }
  StatusOr<std::string> MergePatch(const ResourceRef&, const std::string&,
                                   const std::string&, const std::string&,
                                   const std::string&) override {
    return Status::Internal("unused");
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Internal("unused");
  }
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions&) override {
    if (!objects.erase(r.resource + "/" + ns + "/" + name)) {
      return Status::NotFound(name);
    }
    return Status::Ok();
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Internal("unused");
  }

  std::map<std::string, std::string> objects;
  std::vector<std::string> writes;
};

// An informer that never holds anything: the binder reads through the
// client.
class EmptyInformer : public Informer {
 public:
  bool HasSynced() const override { return true; }
  StatusOr<CachedObject> Get(const std::string&,
                             const std::string& name) const override {
    return Status::NotFound(name);
  }
  StatusOr<std::vector<CachedObject>> List(const std::string&,
                                           const std::string&) const override {
    return std::vector<CachedObject>{};
  }
  uint64_t AddHandlers(InformerHandlers) override { return 0; }
  void RemoveHandlers(uint64_t) override {}
};

// A Host over a FakeClient that keeps the events recorded, each as
// "Type Reason namespace/name: message".
class FakeHost : public Host {
 public:
  Client& client() override { return client_; }
  Informer& InformerFor(const ResourceRef&) override { return informer_; }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string&, const ObjectReference& regarding,
                   const std::string& type, const std::string& reason,
                   const std::string& message) override {
    events.push_back(type + " " + reason + " " + regarding.ns + "/" +
                     regarding.name + ": " + message);
  }

  FakeClient client_;
  EmptyInformer informer_;
  std::vector<std::string> events;
};

}  // namespace berth::storage

#endif  // BERTH_TESTS_UNIT_STORAGE_FAKE_CLIENT_H_
