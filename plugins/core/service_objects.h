// ServiceObjects: the reads the endpoints controllers and the service pod
// watcher share — a Service, and the objects of a namespace a label
// selector matches, parsed, through the SDK client.
//
// Thread safety: pure functions over a thread-safe Client.
#ifndef BERTH_PLUGINS_CORE_SERVICE_OBJECTS_H_
#define BERTH_PLUGINS_CORE_SERVICE_OBJECTS_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"

namespace berth::core {

inline const ResourceRef kServicesResource{"", "v1", "services"};
inline const ResourceRef kPodsResource{"", "v1", "pods"};
inline const ResourceRef kEndpointsResource{"", "v1", "endpoints"};
inline const ResourceRef kEndpointSlicesResource{"discovery.k8s.io", "v1",
                                                 "endpointslices"};
inline const ResourceRef kNodesResource{"", "v1", "nodes"};

// A parsed List: the document and pointers to its items (valid while the
// document lives).
struct ParsedList {
  JsonDoc doc;
  std::vector<const Json*> items;
};

// The object parsed; the client's error (NotFound...) as is, Internal when
// the text does not parse.
StatusOr<JsonDoc> GetParsed(Client& client, const ResourceRef& r,
                            const std::string& ns, const std::string& name);

// The objects of `ns` matching `label_selector` ("" for all).
StatusOr<ParsedList> ListParsed(Client& client, const ResourceRef& r,
                                const std::string& ns,
                                const std::string& label_selector = "");

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SERVICE_OBJECTS_H_
