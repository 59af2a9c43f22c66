// Events: what a plugin says about an object when it records a core/v1
// Event through Host::RecordEvent — the reference to the object the event
// is about (core/v1 ObjectReference), and how to take one from an object.
//
// Thread safety: value types and pure functions.
#ifndef BERTH_SDK_EVENTS_H_
#define BERTH_SDK_EVENTS_H_

#include <string>

#include "berth/json.h"

namespace berth {

// The object an event is about (an Event's involvedObject).
struct ObjectReference {
  std::string api_version;  // "v1", "apps/v1"
  std::string kind;         // "Pod"
  std::string ns;           // "" for cluster-scoped objects
  std::string name;
  std::string uid;
  std::string resource_version;
  std::string field_path;  // "spec.containers{web}" or ""
};

// A reference to `obj` (a whole API object) from its apiVersion, kind and
// metadata; fields the object lacks stay empty.
inline ObjectReference ReferenceTo(const Json& obj) {
  ObjectReference r;
  r.api_version = GetString(obj, {"apiVersion"});
  r.kind = GetString(obj, {"kind"});
  r.ns = GetString(obj, {"metadata", "namespace"});
  r.name = GetString(obj, {"metadata", "name"});
  r.uid = GetString(obj, {"metadata", "uid"});
  r.resource_version = GetString(obj, {"metadata", "resourceVersion"});
  return r;
}

}  // namespace berth

#endif  // BERTH_SDK_EVENTS_H_
