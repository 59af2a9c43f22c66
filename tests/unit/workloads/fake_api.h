// FakeApi: an in-memory Client and Host for the workload controllers'
// tests. Objects are keyed "resource/namespace/name"; Create fills uid,
// generateName suffixes, creationTimestamp and generation; List honours
// "k=v,..." label selectors (all the controllers send); MergePatch
// merges (RFC 7386); Update of
// "status" replaces only the status. No watches; informers come from an
// InformerFactory listing through this client.
//
// Thread safety: one test thread.
#ifndef BERTH_TESTS_UNIT_WORKLOADS_FAKE_API_H_
#define BERTH_TESTS_UNIT_WORKLOADS_FAKE_API_H_

#include <map>
#include <string>
#include <vector>

#include "berth/events.h"
#include "berth/host.h"
#include "berth/json.h"
#include "kernel/controller/informer_factory.h"

namespace berth::workloads {

class FakeApi : public Client, public Host {
 public:
  Client& client() override { return *this; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string& component,
                   const ObjectReference& regarding, const std::string& type,
                   const std::string& reason,
                   const std::string& message) override {
    events.push_back(component + " " + regarding.kind + "/" + regarding.name +
                     " " + type + " " + reason + ": " + message);
  }

  std::vector<ServedResource> ServerResources() override { return {}; }
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    auto it = objects.find(Key(r, ns, name));
    if (it == objects.end()) return Status::NotFound(name);
    return it->second;
  }
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions& opts) override {
    std::string items;
    const std::string prefix = r.resource + "/" + ns + "/";
    for (const auto& [key, obj] : objects) {
      if (key.rfind(prefix, 0) != 0 || !Selected(obj, opts.label_selector)) {
        continue;
      }
      items += (items.empty() ? "" : ",") + obj;
    }
    return R"({"items":[)" + items + "]}";
  }
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    if (!create_error.ok()) return create_error;
    JsonDoc d;
    d.Parse(object.c_str());
    auto& a = d.GetAllocator();
    Json& meta = EnsureObject(d, "metadata", a);
    std::string name = GetString(meta, {"name"});
    if (name.empty()) {
      name = GetString(meta, {"generateName"}) + "x" + std::to_string(++seq_);
      SetString(meta, "name", name, a);
    }
    const std::string key = Key(r, ns, name);
    if (objects.count(key)) return Status::AlreadyExists(name);
    SetString(meta, "namespace", ns, a);
    SetString(meta, "uid", "uid-" + name, a);
    SetString(meta, "creationTimestamp", "2024-01-01T00:00:00Z", a);
    SetMember(meta, "generation", Json(1), a);
    objects[key] = ToJson(d);
    created.push_back(key);
    return objects[key];
  }
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& subresource) override {
    JsonDoc d;
    d.Parse(object.c_str());
    const std::string key = Key(r, ns, GetString(d, {"metadata", "name"}));
    auto it = objects.find(key);
    if (it == objects.end()) return Status::NotFound(key);
    JsonDoc old;
    old.Parse(it->second.c_str());
    if (subresource == "status") {
      const Json* status = Member(d, "status");
      SetMember(old, "status",
                status ? Json(*status, old.GetAllocator()) : Json(),
                old.GetAllocator());
      it->second = ToJson(old);
    } else {
      if (const Json* status = Member(old, "status")) {
        SetMember(d, "status", Json(*status, d.GetAllocator()),
                  d.GetAllocator());
      }
      it->second = ToJson(d);
    }
    return it->second;
  }
  // RFC 7386 on the stored object (resourceVersion is not checked).
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string&) override {
    auto it = objects.find(Key(r, ns, name));
    if (it == objects.end()) return Status::NotFound(name);
    JsonDoc obj, p;
    obj.Parse(it->second.c_str());
    p.Parse(patch.c_str());
    Merge(obj, p, obj.GetAllocator());
    it->second = ToJson(obj);
    return it->second;
  }
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions&) override {
    if (!objects.erase(Key(r, ns, name))) return Status::NotFound(name);
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

  // The stored object at `key` ("replicasets/default/web-1").
  JsonDoc Object(const std::string& key) {
    JsonDoc d;
    d.Parse(objects[key].c_str());
    return d;
  }
  // Keys of the stored objects of `resource` in `ns`.
  std::vector<std::string> Keys(const std::string& resource,
                                const std::string& ns = "default") {
    std::vector<std::string> out;
    const std::string prefix = resource + "/" + ns + "/";
    for (const auto& [key, obj] : objects) {
      if (key.rfind(prefix, 0) == 0) out.push_back(key);
    }
    return out;
  }
  // Stores `object` as is (a fixture), under its metadata.
  void Put(const std::string& resource, const std::string& object) {
    JsonDoc d;
    d.Parse(object.c_str());
    objects[resource + "/" + GetString(d, {"metadata", "namespace"}) + "/" +
            GetString(d, {"metadata", "name"})] = object;
  }

  std::map<std::string, std::string> objects;
  std::vector<std::string> created, deleted;
  // "component Kind/name type reason: message" per recorded event.
  std::vector<std::string> events;
  // When not OK, every Create fails with it.
  Status create_error;

 private:
  InformerFactory informers_{*this};
  static std::string Key(const ResourceRef& r, const std::string& ns,
                         const std::string& name) {
    return r.resource + "/" + ns + "/" + name;
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
      } else if (Json* cur = Member(target, key); cur && it->value.IsObject()) {
        Merge(*cur, it->value, a);
      } else {
        SetMember(target, key, Json(it->value, a), a);
      }
    }
  }
  static bool Selected(const std::string& object, const std::string& sel) {
    JsonDoc d;
    d.Parse(object.c_str());
    size_t start = 0;
    while (start < sel.size()) {
      size_t comma = sel.find(',', start);
      if (comma == std::string::npos) comma = sel.size();
      const std::string term = sel.substr(start, comma - start);
      const size_t eq = term.find('=');
      const Json* labels = Find(d, {"metadata", "labels"});
      const Json* v = labels ? Member(*labels, term.substr(0, eq)) : nullptr;
      if (!v || !v->IsString() || v->GetString() != term.substr(eq + 1)) {
        return false;
      }
      start = comma + 1;
    }
    return true;
  }

  int seq_ = 0;
};

}  // namespace berth::workloads

#endif  // BERTH_TESTS_UNIT_WORKLOADS_FAKE_API_H_
