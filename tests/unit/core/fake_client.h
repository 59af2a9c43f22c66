// FakeClient: an in-memory API for controller unit tests — objects as JSON
// text keyed by "resource/namespace/name" ("resource//name" when
// cluster-scoped), with the writes and deletes it saw.
//
// Thread safety: none; one test thread.
#ifndef BERTH_TESTS_UNIT_CORE_FAKE_CLIENT_H_
#define BERTH_TESTS_UNIT_CORE_FAKE_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "test_util.h"

namespace berth::core {

class FakeClient : public Client {
 public:
  std::vector<ServedResource> ServerResources() override {
    return {{{"", "v1", "namespaces"}, "Namespace", false},
            {{"", "v1", "pods"}, "Pod", true},
            {{"", "v1", "configmaps"}, "ConfigMap", true}};
  }
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    auto it = objects.find(r.resource + "/" + ns + "/" + name);
    if (it == objects.end()) return Status::NotFound(name);
    return it->second;
  }
  // ns "" lists every namespace; the only field selector understood is
  // "spec.nodeName=X".
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions& opts) override {
    std::string items;
    const std::string prefix = r.resource + "/" + ns + (ns.empty() ? "" : "/");
    const std::string node_prefix = "spec.nodeName=";
    for (const auto& [key, obj] : objects) {
      if (key.rfind(prefix, 0) != 0) continue;
      if (opts.field_selector.rfind(node_prefix, 0) == 0 &&
          GetString(Parse(obj), {"spec", "nodeName"}) !=
              opts.field_selector.substr(node_prefix.size())) {
        continue;
      }
      items += (items.empty() ? "" : ",") + obj;
    }
    return R"({"items":[)" + items + "]}";
  }
  StatusOr<std::string> Create(const ResourceRef&, const std::string&,
                               const std::string&) override {
    return Status::Internal("unused");
  }
  // Stores `object` as sent; `writes` records "resource/ns/name[/sub]".
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& subresource) override {
    JsonDoc d = Parse(object);
    const std::string key =
        r.resource + "/" + ns + "/" + GetString(d, {"metadata", "name"});
    objects[key] = object;
    ++updates;
    writes.push_back(subresource.empty() ? key : key + "/" + subresource);
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
    return Status::Internal("not faked");
  }
  // Namespaces with finalizers are only marked; everything else goes.
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions&) override {
    const std::string key = r.resource + "/" + ns + "/" + name;
    auto it = objects.find(key);
    if (it == objects.end()) return Status::NotFound(name);
    deleted.push_back(key);
    JsonDoc d = Parse(it->second);
    const Json* fins = Find(d, {"spec", "finalizers"});
    if (r.resource == "namespaces" && fins && !fins->Empty())
      return Status::Ok();
    objects.erase(it);
    return Status::Ok();
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Internal("unused");
  }

  std::map<std::string, std::string> objects;
  std::vector<std::string> deleted;
  std::vector<std::string> writes;
  int updates = 0;
};

}  // namespace berth::core

#endif  // BERTH_TESTS_UNIT_CORE_FAKE_CLIENT_H_
