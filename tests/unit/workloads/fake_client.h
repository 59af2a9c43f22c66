// An in-memory Client for the workload controller tests: objects keyed by
// resource, namespace and name; Create fills generateName, uid,
// creationTimestamp and generation; MergePatch applies RFC 7386; List
// ignores selectors (the controllers filter by owner anyway) unless the
// resource is unknown; nothing is watched.
#ifndef BERTH_TESTS_UNIT_WORKLOADS_FAKE_CLIENT_H_
#define BERTH_TESTS_UNIT_WORKLOADS_FAKE_CLIENT_H_

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/host.h"
#include "berth/json.h"
#include "kernel/controller/informer_factory.h"

namespace berth::workloads {

inline JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

class FakeClient : public Client {
 public:
  std::vector<ServedResource> ServerResources() override { return {}; }

  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    auto it = objects.find(Key(r, ns, name));
    if (it == objects.end()) return Status::NotFound(name);
    return it->second;
  }
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions&) override {
    if (unserved.count(r.resource)) return Status::NotFound(r.resource);
    std::string items;
    for (const auto& [key, obj] : objects) {
      if (key.rfind(r.resource + "/" + (ns.empty() ? "" : ns + "/"), 0) != 0) {
        continue;
      }
      items += (items.empty() ? "" : ",") + obj;
    }
    return R"({"items":[)" + items + "]}";
  }
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    if (unserved.count(r.resource)) return Status::NotFound(r.resource);
    JsonDoc d = Parse(object);
    auto& a = d.GetAllocator();
    Json& meta = EnsureObject(d, "metadata", a);
    std::string name = GetString(meta, {"name"});
    if (name.empty()) {
      name = GetString(meta, {"generateName"}) + std::to_string(++serial_);
      SetString(meta, "name", name, a);
    }
    const std::string key = Key(r, ns, name);
    if (objects.count(key)) return Status::AlreadyExists(name);
    if (!ns.empty()) SetString(meta, "namespace", ns, a);
    SetString(meta, "uid", "uid-" + name, a);
    SetString(meta, "creationTimestamp",
              "2026-01-01T00:00:" + std::string(serial_ < 10 ? "0" : "") +
                  std::to_string(serial_ % 60) + "Z",
              a);
    ++serial_;
    SetDefault(meta, "generation", Json(1), a);
    objects[key] = ToJson(d);
    created.push_back(key);
    return objects[key];
  }
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string&) override {
    JsonDoc d = Parse(object);
    objects[Key(r, ns, GetString(d, {"metadata", "name"}))] = object;
    return object;
  }
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string&) override {
    auto it = objects.find(Key(r, ns, name));
    if (it == objects.end()) return Status::NotFound(name);
    JsonDoc d = Parse(it->second);
    JsonDoc p = Parse(patch);
    Merge(d, p, d.GetAllocator());
    it->second = ToJson(d);
    return it->second;
  }
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions&) override {
    auto it = objects.find(Key(r, ns, name));
    if (it == objects.end()) return Status::NotFound(name);
    objects.erase(it);
    deleted.push_back(Key(r, ns, name));
    return Status::Ok();
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Internal("unused");
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Internal("unused");
  }

  // Test helpers.
  void Put(const std::string& resource, const std::string& ns,
           const std::string& json) {
    JsonDoc d = Parse(json);
    objects[resource + "/" + (ns.empty() ? "" : ns + "/") +
            GetString(d, {"metadata", "name"})] = json;
  }
  JsonDoc Object(const std::string& key) {
    auto it = objects.find(key);
    EXPECT_NE(it, objects.end()) << key;
    return Parse(it == objects.end() ? "{}" : it->second);
  }
  // Names (after "resource/ns/") of the objects of `resource` in `ns`.
  std::vector<std::string> Names(const std::string& resource,
                                 const std::string& ns) {
    std::vector<std::string> out;
    const std::string prefix = resource + "/" + (ns.empty() ? "" : ns + "/");
    for (const auto& [key, obj] : objects) {
      if (key.rfind(prefix, 0) == 0) out.push_back(key.substr(prefix.size()));
    }
    return out;
  }
  // Sets status of a pod (as the kubelet would).
  void SetPodStatus(const std::string& ns, const std::string& name,
                    const std::string& status_json) {
    auto it = objects.find("pods/" + ns + "/" + name);
    ASSERT_NE(it, objects.end()) << name;
    JsonDoc d = Parse(it->second);
    SetMember(d, "status", Json(Parse(status_json), d.GetAllocator()),
              d.GetAllocator());
    it->second = ToJson(d);
  }

  std::map<std::string, std::string> objects;
  std::vector<std::string> created, deleted;
  std::set<std::string> unserved;

 private:
  static std::string Key(const ResourceRef& r, const std::string& ns,
                         const std::string& name) {
    return r.resource + "/" + (ns.empty() ? "" : ns + "/") + name;
  }
  static void Merge(Json& target, const Json& patch, JsonAlloc& a) {
    if (!patch.IsObject()) {
      target.CopyFrom(patch, a);
      return;
    }
    if (!target.IsObject()) target.SetObject();
    for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      if (it->value.IsNull()) {
        target.RemoveMember(key.c_str());
        continue;
      }
      Json* m = Member(target, key);
      if (!m) {
        target.AddMember(Json(key.c_str(), a), Json(rapidjson::kNullType), a);
        m = Member(target, key);
      }
      Merge(*m, it->value, a);
    }
  }
  int serial_ = 0;
};

// A Host over a FakeClient that keeps the events recorded, as
// "Type Reason: message".
class FakeHost : public Host {
 public:
  Client& client() override { return fake; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string&, const ObjectReference& regarding,
                   const std::string& type, const std::string& reason,
                   const std::string& message) override {
    events.push_back(regarding.kind + " " + type + " " + reason + ": " +
                     message);
  }

  FakeClient fake;
  std::vector<std::string> events;

 private:
  InformerFactory informers_{fake};
};

inline constexpr char kRunningReady[] =
    R"({"phase":"Running","conditions":[{"type":"Ready","status":"True"}]})";

}  // namespace berth::workloads

#endif  // BERTH_TESTS_UNIT_WORKLOADS_FAKE_CLIENT_H_
