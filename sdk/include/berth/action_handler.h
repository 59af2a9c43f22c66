// ActionHandler: an action subresource served by a plugin other than the
// one that owns the resource, whose answer is an object and which writes
// nothing — as kube-apiserver serves serviceaccounts/token (a TokenRequest
// in, the same TokenRequest with its status filled out). The kernel routes
// POST .../<resource>/NAME/<subresource> to the handler, decodes the body
// (JSON, YAML or a registered protobuf schema), checks its apiVersion and
// kind, lists the subresource in discovery with the verb "create", and
// replies 201 with the object the handler filled in. The kernel knows no
// resource or subresource by name; a kind's own action subresources that
// change the object stay Kind::ApplySubresource.
//
// Thread safety: Handle is called from many request threads at once.
#ifndef BERTH_SDK_ACTION_HANDLER_H_
#define BERTH_SDK_ACTION_HANDLER_H_

#include <string>

#include "berth/admission.h"
#include "berth/client.h"
#include "berth/json.h"
#include "berth/kind.h"
#include "berth/status.h"

namespace berth {

struct ActionRequest {
  std::string namespace_name;  // "" for a cluster-scoped resource
  std::string name;            // the object the subresource belongs to
  UserInfo user;
  bool dry_run = false;
};

class ActionHandler {
 public:
  virtual ~ActionHandler() = default;
  // The resource served ({"", "v1", "serviceaccounts"}); a kind some plugin
  // provides, else the subresource is never reached (404). Two handlers
  // for the same resource and subresource, or one for a subresource the
  // kind serves itself, are a load error.
  virtual ResourceRef Resource() const = 0;
  // The subresource and the request kind it takes ({"token",
  // "TokenRequest", "authentication.k8s.io/v1"}).
  virtual ActionSubresource Subresource() const = 0;
  // Answers `request`: `obj` is the decoded request object (`alloc` owns
  // its memory), whose apiVersion and kind the kernel checked; the handler
  // fills in the answer, which is sent back as is with 201. A failure is
  // returned to the client as is (NotFound 404 for a missing object,
  // Invalid 422 with field causes for a bad request).
  virtual Status Handle(const ActionRequest& request, Json& obj,
                        JsonAlloc& alloc) const = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_ACTION_HANDLER_H_
