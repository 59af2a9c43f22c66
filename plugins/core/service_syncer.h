// ServiceSyncer: something that brings what it derives from one Service
// (its Endpoints, its EndpointSlices) up to date with the Service and the
// pods it selects. The endpoints controllers are ServiceSyncers; the
// service pod watcher calls them when a pod a Service selects changes.
//
// Thread safety: SyncService may be called from any thread; an
// implementation serializes calls for the same Service itself.
#ifndef BERTH_PLUGINS_CORE_SERVICE_SYNCER_H_
#define BERTH_PLUGINS_CORE_SERVICE_SYNCER_H_

#include <string>

#include "berth/status.h"

namespace berth::core {

class ServiceSyncer {
 public:
  virtual ~ServiceSyncer() = default;
  // Syncs Service `ns`/`name` (which may be gone). A client error is
  // returned for the caller to retry.
  virtual Status SyncService(const std::string& ns,
                             const std::string& name) = 0;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_SYNCER_H_
