// Kind: what a plugin implements to add one resource kind to the API. The
// kernel knows no kind by name; everything kind-specific — names and scope
// for discovery, defaulting, validation, printer columns, OpenAPI schema,
// selectable fields, strategic-merge keys, delete behaviour — comes from here.
// Modelled on the apiserver's registry strategy.
//
// Thread safety: the kernel calls a Kind from many request threads at once;
// implementations must be safe for concurrent const calls.
#ifndef BERTH_SDK_KIND_H_
#define BERTH_SDK_KIND_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/authorization.h"
#include "berth/json.h"
#include "berth/status.h"

namespace berth {

// The names by which the API knows a kind.
struct KindInfo {
  std::string group;     // "" for the core group, "apps", ...
  std::string version;   // "v1"
  std::string kind;      // "Pod"
  std::string plural;    // "pods" (the resource)
  std::string singular;  // "pod"
  bool namespaced = true;
  std::vector<std::string> short_names;  // {"po"}
  std::vector<std::string> categories;   // {"all"}
  // Verbs served; the default is the full set.
  std::vector<std::string> verbs = {"create", "delete", "deletecollection",
                                    "get",    "list",   "patch",
                                    "update", "watch"};
  bool status_subresource = false;
  // False for review kinds (SelfSubjectAccessReview, TokenReview...): a
  // create runs Kind::Review and answers with its result; nothing is
  // stored, and no other verb is served.
  bool stored = true;
  // A `scale` subresource (autoscaling/v1 Scale) reading these fields.
  bool scale_subresource = false;
  // Subresources that read and replace the object like `status` but change
  // only what Kind::MergeSubresourceUpdate copies from the request
  // ({"approval"} for a CertificateSigningRequest).
  std::vector<std::string> update_subresources;
  // Schema name in OpenAPI components, e.g. "io.k8s.api.core.v1.Pod".
  std::string schema_name;
  // Other versions of `group` the kind is also served under ({"v1beta2"}
  // for a Deployment that manifests written for apps/v1beta2 still reach).
  // Objects are stored and handed to every other hook in `version`; the
  // kernel converts requests in those versions on the way in
  // (Kind::ConvertFromVersion) and replies and watch events on the way out
  // (Kind::ConvertToVersion). Discovery prefers `version`.
  std::vector<std::string> also_served_versions;

  std::string ApiVersion() const {
    return group.empty() ? version : group + "/" + version;
  }
};

// A Table column (meta.k8s.io/v1 TableColumnDefinition).
struct PrinterColumn {
  std::string name;    // "Name"
  std::string type;    // "string", "integer", "date", "number"
  std::string format;  // "name" for the name column, else ""
  std::string description;
  int priority = 0;  // 0: always shown; 1: only with -o wide
};

// Builders for field causes with Kubernetes' wording.
namespace field {
inline FieldCause Required(std::string path, std::string detail = "") {
  return {"FieldValueRequired", std::move(path),
          detail.empty() ? "Required value" : "Required value: " + detail};
}
inline FieldCause Invalid(std::string path, const std::string& value,
                          const std::string& detail) {
  return {"FieldValueInvalid", std::move(path),
          "Invalid value: \"" + value + "\": " + detail};
}
inline FieldCause InvalidNumber(std::string path, long long value,
                                const std::string& detail) {
  return {"FieldValueInvalid", std::move(path),
          "Invalid value: " + std::to_string(value) + ": " + detail};
}
inline FieldCause NotSupported(std::string path, const std::string& value,
                               const std::vector<std::string>& valid) {
  std::string list;
  for (size_t i = 0; i < valid.size(); ++i) {
    list += (i ? ", \"" : "\"") + valid[i] + "\"";
  }
  return {"FieldValueNotSupported", std::move(path),
          "Unsupported value: \"" + value + "\": supported values: " + list};
}
inline FieldCause Duplicate(std::string path, const std::string& value) {
  return {"FieldValueDuplicate", std::move(path),
          "Duplicate value: \"" + value + "\""};
}
inline FieldCause Forbidden(std::string path, const std::string& detail) {
  return {"FieldValueForbidden", std::move(path), "Forbidden: " + detail};
}
}  // namespace field

// What DELETE does with an object whose finalizers are empty.
enum class DeleteAction {
  kDelete,        // remove it now
  kMarkDeleting,  // keep it with deletionTimestamp set (e.g. a Namespace
                  // whose spec.finalizers still hold it)
};

// An action subresource: a POST to .../NAME/<name> whose body is a
// request object (not the object itself), as pods/binding and pods/eviction
// are in the apiserver. The kernel serves it and lists it in discovery with
// the verb "create"; the kind decides what the request does.
struct ActionSubresource {
  std::string name;                   // "binding"
  std::string request_kind;           // "Binding"
  std::string request_group_version;  // "v1" or "policy/v1"
};

// What an action subresource does to its object.
enum class SubresourceOutcome {
  kUpdate,  // write the object as the hook mutated it
  kDelete,  // delete the object (with its uid as precondition)
};

class Kind {
 public:
  virtual ~Kind() = default;

  virtual const KindInfo& Info() const = 0;

  // Fills defaults, as the apiserver's defaulting does, into a whole object
  // about to be created or updated. `obj` is the full object; `alloc` owns
  // its memory.
  virtual void Default(Json& obj, JsonAlloc& alloc) const {}

  // Checks an object that is about to be written. `old` is the stored object
  // on update, nullptr on create. Returns one cause per invalid field; the
  // kernel adds metadata checks (name format) itself and replies 422.
  virtual std::vector<FieldCause> Validate(const Json& obj,
                                           const Json* old) const {
    return {};
  }

  // Called on create after validation, inside the write, with the store
  // able to refuse; used to allocate (a Service's ClusterIP). May mutate obj.
  // A failure aborts the create with that Status. Const like every Kind
  // method: allocation state lives in the kind's own synchronized members.
  virtual Status PrepareForCreate(Json& obj, JsonAlloc& alloc) const {
    return {};
  }
  // Called after an object was deleted, to release what PrepareForCreate
  // took.
  virtual void AfterDelete(const Json& obj) const {}

  // Decides what DELETE does once metadata.finalizers are empty. May mutate
  // obj (e.g. set status.phase=Terminating) when it returns kMarkDeleting.
  virtual DeleteAction PrepareForDelete(Json& obj, JsonAlloc& alloc) const {
    return DeleteAction::kDelete;
  }

  // Graceful deletion, as the apiserver's CheckGracefulDelete: the seconds
  // a DELETE keeps `obj` terminating (deletionTimestamp = now + period,
  // deletionGracePeriodSeconds = period) so that whatever runs it (the node
  // agent for a pod) can stop it and then delete it with period 0.
  // `requested` is the client's gracePeriodSeconds, nullopt when it gave
  // none. 0 (the default) deletes at once, subject to finalizers. A second
  // DELETE may only shorten a running period.
  virtual int64_t GracePeriodSeconds(const Json& obj,
                                     std::optional<int64_t> requested) const {
    return 0;
  }

  // Table columns for `kubectl get`. Empty means the generic Name and
  // Created At columns. The first column must be the name.
  virtual std::vector<PrinterColumn> Columns() const { return {}; }
  // One cell per column for `obj`, appended to `cells` (a JSON array).
  // `now` is for age columns.
  virtual void Cells(const Json& obj, std::chrono::system_clock::time_point now,
                     Json& cells, JsonAlloc& alloc) const {}

  // Field selector support beyond metadata.name and metadata.namespace:
  // label -> value for this object, e.g. {"spec.nodeName": "n1",
  // "status.phase": "Running"}. Fields not returned cannot be selected
  // (the kernel replies 400 naming the field).
  virtual std::vector<std::string> SelectableFields() const { return {}; }
  virtual std::map<std::string, std::string> FieldValues(
      const Json& obj) const {
    return {};
  }

  // Strategic merge patch: the merge key of the list at `path`, a dotted
  // path of member names without indexes ("spec.containers" -> "name",
  // "spec.containers.ports" -> "containerPort"). nullopt: the list is
  // replaced as a whole.
  virtual std::optional<std::string> MergeKey(const std::string& path) const {
    return std::nullopt;
  }

  // OpenAPI v3 component schemas this kind needs, as one JSON object
  // {"io.k8s.api.core.v1.Pod": {...}, "io.k8s.api.core.v1.PodSpec": {...}}.
  // References to "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" and the
  // other meta types are served by the kernel. Empty: a permissive schema.
  virtual std::string OpenApiSchemas() const { return ""; }

  // Action subresources this kind serves; none by default.
  virtual std::vector<ActionSubresource> ActionSubresources() const {
    return {};
  }
  // Applies the request `body` of action subresource `subresource` to the
  // stored object `obj` (mutable; `alloc` owns its memory). Called inside
  // the store's compare-and-swap loop, so possibly more than once for one
  // request, each time with the freshly read object: it must depend only on
  // its arguments. kUpdate writes `obj` through the kind's defaulting and
  // validation (an update validation that sees the change the hook made,
  // as the apiserver's binding storage bypasses the pod update rule);
  // kDelete deletes the object. A failure is returned to the client as is.
  virtual StatusOr<SubresourceOutcome> ApplySubresource(
      const std::string& subresource, const Json& body, Json& obj,
      JsonAlloc& alloc) const {
    return Status::MethodNotAllowed(
        "the server does not allow this method on the requested resource");
  }

  // An update through one of KindInfo::update_subresources: copies into
  // `obj` (the stored object; `alloc` owns its memory) the fields that
  // subresource may change from `requested` (the client's object). The
  // result then goes through defaulting, validation and admission as any
  // update. The default copies nothing.
  virtual void MergeSubresourceUpdate(const std::string& subresource,
                                      const Json& requested, Json& obj,
                                      JsonAlloc& alloc) const {}

  // Conversion for KindInfo::also_served_versions. ConvertFromVersion
  // turns `obj`, written in `version` (one of also_served_versions), into
  // the kind's own version; ConvertToVersion does the reverse. The kernel
  // sets apiVersion itself; the hooks change only the fields that differ
  // between the versions. The defaults change nothing (the versions have
  // the same fields).
  virtual void ConvertFromVersion(const std::string& version, Json& obj,
                                  JsonAlloc& alloc) const {}
  virtual void ConvertToVersion(const std::string& version, Json& obj,
                                JsonAlloc& alloc) const {}

  // Review kinds (Info().stored == false): fills the answer (usually
  // `status`) into the created object `obj` for the requesting `user`,
  // asking `authorizer` where the answer depends on permissions. A failure
  // is returned to the client as is. Stored kinds never have it called.
  virtual Status Review(Json& obj, JsonAlloc& alloc, const UserInfo& user,
                        const Authorizer& authorizer) const {
    return Status::MethodNotAllowed("this resource cannot be reviewed");
  }
};

}  // namespace berth

#endif  // BERTH_SDK_KIND_H_
