// OwnedObjects: what both workload controllers do with the objects they
// own — find an object's controller owner, make the controller
// ownerReference they stamp on what they create or adopt, list objects
// through the Client into documents, and write timestamps as objects
// carry them.
//
// Thread safety: pure functions, plus calls on a thread-safe Client.
#ifndef BERTH_PLUGINS_WORKLOADS_OWNED_OBJECTS_H_
#define BERTH_PLUGINS_WORKLOADS_OWNED_OBJECTS_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"

namespace berth::workloads {

// The uid in the ownerReferences entry with controller=true, "" if none.
std::string ControllerUid(const Json& obj);

// An ownerReference to `owner` (its name and uid) with controller=true and
// blockOwnerDeletion=true, as controllers set on what they create.
Json ControllerRef(const Json& owner, const std::string& api_version,
                   const std::string& kind, JsonAlloc& alloc);

// Adopts orphan `obj` for `owner`: a merge patch adding the controller
// reference to its ownerReferences. Returns the patched object; the
// client's error on failure (NotFound when it is gone).
StatusOr<std::string> Adopt(Client& client, const ResourceRef& ref,
                            const Json& obj, const Json& owner,
                            const std::string& api_version,
                            const std::string& kind);

// Releases `obj` from the owner whose uid is `owner_uid`: a merge patch
// leaving its other ownerReferences. Returns the client's error on failure
// (NotFound when it is gone, Conflict when it changed meanwhile).
Status Release(Client& client, const ResourceRef& ref, const Json& obj,
               const std::string& owner_uid);

// The items of a List, one document each (stable addresses), or the
// client's error. An empty selector lists nothing: a workload with no
// selector owns nothing.
StatusOr<std::vector<std::unique_ptr<JsonDoc>>> ListSelected(
    Client& client, const ResourceRef& ref, const std::string& ns,
    const std::string& selector);

// Every object of `ref` in namespace `ns`, as ListSelected.
StatusOr<std::vector<std::unique_ptr<JsonDoc>>> ListNamespace(
    Client& client, const ResourceRef& ref, const std::string& ns);

// "2024-01-02T03:04:05Z" (seconds, UTC), as metav1.Time serializes.
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

}  // namespace berth::workloads

#endif  // BERTH_PLUGINS_WORKLOADS_OWNED_OBJECTS_H_
