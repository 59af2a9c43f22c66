// DeferredClient: the API client handed to plugins at Register, before the
// store and API exist. It forwards to the real client once set_target is
// called (server start); until then, and for ever in commands that load
// plugins without a server (`berth plugins list`), every call fails with
// Unavailable and ServerResources is empty. Plugins may keep the reference
// from Register on but may only call it from Start on.
//
// Thread safety: set_target must happen before any other thread calls in;
// after that all methods are safe to call concurrently.
#ifndef BERTH_KERNEL_CLI_DEFERRED_CLIENT_H_
#define BERTH_KERNEL_CLI_DEFERRED_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"

namespace berth::cli {

class DeferredClient : public Client {
 public:
  void set_target(Client* c) { target_ = c; }
  std::vector<ServedResource> ServerResources() override {
    return target_ ? target_->ServerResources() : std::vector<ServedResource>{};
  }
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override {
    if (!target_) return NotReady();
    return target_->Get(r, ns, name);
  }
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const ListOptions& opts) override {
    if (!target_) return NotReady();
    return target_->List(r, ns, opts);
  }
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override {
    if (!target_) return NotReady();
    return target_->Create(r, ns, object);
  }
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& subresource) override {
    if (!target_) return NotReady();
    return target_->Update(r, ns, object, subresource);
  }
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string& subresource) override {
    if (!target_) return NotReady();
    return target_->MergePatch(r, ns, name, patch, subresource);
  }
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name, const DeleteOptions& opts) override {
    if (!target_) return NotReady();
    return target_->Delete(r, ns, name, opts);
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef& r,
                                          const std::string& ns,
                                          const std::string& name,
                                          const std::string& subresource,
                                          const std::string& body) override {
    if (!target_) return NotReady();
    return target_->CreateSubresource(r, ns, name, subresource, body);
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) override {
    if (!target_) return NotReady();
    return target_->Watch(r, ns, resource_version, std::move(on_event));
  }
  StatusOr<std::unique_ptr<WatchHandle>> WatchSelected(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version, const ListOptions& options,
      std::function<void(const WatchEvent&)> on_event) override {
    if (!target_) return NotReady();
    return target_->WatchSelected(r, ns, resource_version, options,
                                  std::move(on_event));
  }

 private:
  static Status NotReady() {
    return Status::Unavailable("the API client is not available before Start");
  }
  Client* target_ = nullptr;
};

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_DEFERRED_CLIENT_H_
