// ServiceKind: the core/v1 Service resource — defaulting, validation,
// kubectl's service columns, and the allocation of ClusterIPs and NodePorts
// from the configured ranges (in-memory bitmaps owned by this instance).
// After a server restart the bitmaps start empty; the first create (or its
// validation) lists every stored Service once through the Client and marks
// what they hold.
//
// Thread safety: all methods may be called concurrently; allocation is
// serialized internally.
#ifndef BERTH_PLUGINS_CORE_SERVICE_KIND_H_
#define BERTH_PLUGINS_CORE_SERVICE_KIND_H_

#include <memory>
#include <mutex>
#include <string>

#include "berth/client.h"
#include "berth/kind.h"
#include "range_allocator.h"
#include "service_network.h"

namespace berth::core {

class ServiceKind : public Kind {
 public:
  // `client` is used to learn allocations made before a restart; nullptr
  // skips that (tests). The client must outlive this kind.
  ServiceKind(const ServiceNetwork& network, Client* client);

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  // Allocates spec.clusterIP/clusterIPs and, for NodePort and LoadBalancer,
  // every port's nodePort. Invalid when a requested IP or port is outside
  // its range or taken; Internal when a range is full. Nothing stays
  // allocated on failure.
  Status PrepareForCreate(Json& obj, JsonAlloc& alloc) const override;
  // Releases the Service's ClusterIP and NodePorts.
  void AfterDelete(const Json& obj) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::optional<std::string> MergeKey(const std::string& path) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

  // Marks what the stored Services hold, once: the first successful call
  // lists them through the client, later calls return at once. The plugin
  // calls it from Start; creates call it too in case Start's listing failed.
  // Returns the listing's error, OK without a client.
  Status SyncAllocations() const;

 private:
  void Mark(const Json& service) const;

  KindInfo info_;
  std::string schemas_;
  const ServiceNetwork network_;
  Client* const client_;
  // Pointers: the Kind interface is const, the bitmaps are not.
  std::unique_ptr<RangeAllocator> ips_;
  std::unique_ptr<RangeAllocator> ports_;
  mutable std::mutex sync_mu_;
  mutable bool synced_ = false;  // guarded by sync_mu_
};

// kubectl's PORT(S) cell: "80/TCP", "80:31111/TCP", comma-separated;
// "<none>" when there are no ports.
std::string ServicePortsString(const Json& service);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_KIND_H_
