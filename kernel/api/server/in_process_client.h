// InProcessClient: berth::Client for plugins running inside `berth server`:
// calls go straight through the ResourceService (the same defaulting,
// validation and admission as REST requests), with no HTTP in between. A
// ResourceRef in another version the kind is served in is converted as a
// REST request in that version is.
//
// Thread safety: every method is safe to call concurrently. Watch callbacks
// run on one delivery thread shared by all of the client's watches
// (WatchDispatcher).
#ifndef BERTH_KERNEL_API_SERVER_IN_PROCESS_CLIENT_H_
#define BERTH_KERNEL_API_SERVER_IN_PROCESS_CLIENT_H_

#include <string>

#include "berth/client.h"
#include "kernel/api/server/resource_service.h"
#include "kernel/api/server/watch_dispatcher.h"
#include "kernel/plugin/kind_registry.h"

namespace berth::api {

class InProcessClient : public Client {
 public:
  // `kinds` and `service` must outlive the client and every watch handle.
  InProcessClient(const KindRegistry* kinds, ResourceService* service);

  std::vector<ServedResource> ServerResources() override;
  StatusOr<std::string> Get(const ResourceRef& r, const std::string& ns,
                            const std::string& name) override;
  StatusOr<std::string> List(const ResourceRef& r, const std::string& ns,
                             const berth::ListOptions& opts) override;
  StatusOr<std::string> Create(const ResourceRef& r, const std::string& ns,
                               const std::string& object) override;
  StatusOr<std::string> Update(const ResourceRef& r, const std::string& ns,
                               const std::string& object,
                               const std::string& subresource) override;
  StatusOr<std::string> MergePatch(const ResourceRef& r, const std::string& ns,
                                   const std::string& name,
                                   const std::string& patch,
                                   const std::string& subresource) override;
  Status Delete(const ResourceRef& r, const std::string& ns,
                const std::string& name,
                const berth::DeleteOptions& opts) override;
  StatusOr<std::string> CreateSubresource(const ResourceRef& r,
                                          const std::string& ns,
                                          const std::string& name,
                                          const std::string& subresource,
                                          const std::string& body) override;
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version,
      std::function<void(const WatchEvent&)> on_event) override;
  StatusOr<std::unique_ptr<WatchHandle>> WatchSelected(
      const ResourceRef& r, const std::string& ns,
      const std::string& resource_version, const berth::ListOptions& options,
      std::function<void(const WatchEvent&)> on_event) override;

 private:
  StatusOr<const Kind*> Find(const ResourceRef& r) const;
  // The write options for a request in r.version (which may be one the kind
  // is also served in: bodies are converted in, results out).
  WriteOptions OptionsFor(const ResourceRef& r) const;

  const KindRegistry* kinds_;
  ResourceService* service_;
  WriteOptions write_options_;
  WatchDispatcher dispatcher_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_IN_PROCESS_CLIENT_H_
