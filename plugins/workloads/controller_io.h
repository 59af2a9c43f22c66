// ControllerIo: the reads and writes the DaemonSet, StatefulSet, Job and
// CronJob controllers all make through the SDK Client — an object or a list
// parsed into a document, and a status written through the status
// subresource — plus IntOrString percentages as the apps controllers
// resolve them.
//
// Thread safety: pure functions over a thread-safe Client.
#ifndef BERTH_PLUGINS_WORKLOADS_CONTROLLER_IO_H_
#define BERTH_PLUGINS_WORKLOADS_CONTROLLER_IO_H_

#include <cstdint>
#include <string>

#include "berth/client.h"
#include "berth/json.h"
#include "berth/status.h"

namespace berth::workloads {

inline const ResourceRef kPods{"", "v1", "pods"};
inline const ResourceRef kNodes{"", "v1", "nodes"};
inline const ResourceRef kPersistentVolumeClaims{"", "v1",
                                                 "persistentvolumeclaims"};
inline const ResourceRef kDaemonSets{"apps", "v1", "daemonsets"};
inline const ResourceRef kStatefulSets{"apps", "v1", "statefulsets"};
inline const ResourceRef kJobs{"batch", "v1", "jobs"};
inline const ResourceRef kCronJobs{"batch", "v1", "cronjobs"};

// The object parsed; the client's error (NotFound...) as is, Internal when
// the text does not parse.
StatusOr<JsonDoc> GetObject(Client& client, const ResourceRef& r,
                            const std::string& ns, const std::string& name);

// The List object parsed; its "items" is always an array.
StatusOr<JsonDoc> ListObjects(Client& client, const ResourceRef& r,
                              const std::string& ns,
                              const std::string& label_selector = "");

// Replaces `status` of the object by a merge patch on its status
// subresource, unless `old_status` (nullptr when none) already equals it.
// NotFound (the object went away) is not an error.
Status WriteStatus(Client& client, const ResourceRef& r, const std::string& ns,
                   const std::string& name, const Json* old_status,
                   const Json& status);

// Sets metadata.ownerReferences of `obj` to the one controller reference
// to `owner` (a whole object, read for apiVersion, kind, name and uid).
void SetControllerRef(Json& obj, const Json& owner, JsonAlloc& alloc);

// An IntOrString (3 or "25%") as a count of `total`, percentages rounded up
// or down as asked; `fallback` when absent or malformed.
int64_t ScaledValue(const Json* value, int64_t total, bool round_up,
                    int64_t fallback);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_CONTROLLER_IO_H_
