// ResourceService: the generic object pipeline behind every REST verb and
// the in-process client — what the apiserver's generic registry does for
// every kind: system metadata (uid, timestamps, generation, resourceVersion),
// the kind's defaulting and validation, strict field validation, the
// admission chain, optimistic concurrency, the status and scale
// subresources, patches, finalizers and deletion. It knows kinds only
// through berth::Kind.
//
// Thread safety: all methods may be called concurrently; state lives in the
// store and in the (thread-safe) kinds and admissions.
#ifndef BERTH_KERNEL_API_SERVER_RESOURCE_SERVICE_H_
#define BERTH_KERNEL_API_SERVER_RESOURCE_SERVICE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/action_handler.h"
#include "berth/admission.h"
#include "berth/json.h"
#include "berth/kind.h"
#include "berth/status.h"
#include "kernel/api/server/always_allow_authorizer.h"
#include "kernel/store/store.h"

namespace berth::api {

enum class FieldValidation { kIgnore, kWarn, kStrict };
enum class PatchType { kJson, kMerge, kStrategic, kApply };

struct WriteOptions {
  bool dry_run = false;
  std::string field_manager;
  FieldValidation validation = FieldValidation::kIgnore;
  bool force = false;  // server-side apply
  UserInfo user;
  // The version the client wrote the body or patch in: "" or the kind's
  // own, or one of its also_served_versions (converted in; see
  // version_conversion.h). The result is always in the kind's own version.
  std::string version;
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;
  std::string continue_token;
};

struct DeleteOptions {
  // "Background", "Foreground", "Orphan" or "" (keep the GC finalizer the
  // object has, else Background); see deletion_propagation.h.
  std::string propagation_policy;
  // The deprecated orphanDependents: true is Orphan, false Background.
  std::optional<bool> orphan_dependents;
  std::string precondition_uid;
  std::string precondition_resource_version;
  // gracePeriodSeconds; see berth::DeleteOptions and Kind::GracePeriodSeconds.
  std::optional<int64_t> grace_period_seconds;
  bool dry_run = false;
  UserInfo user;
};

// Outcome of a write: the stored object plus what the reply needs.
struct WriteResult {
  store::Object object;
  bool created = false;  // PATCH (apply) that created the object: 201
  std::vector<std::string> warnings;
};

// Finds the unknown fields of `obj` against the kind's schema ("spec.foo"),
// for fieldValidation. Supplied by the OpenAPI module.
using UnknownFieldFinder =
    std::function<std::vector<std::string>(const Kind& kind, const Json& obj)>;

class ResourceService {
 public:
  // `store` must outlive the service.
  explicit ResourceService(store::Store* store);

  void set_unknown_field_finder(UnknownFieldFinder f) {
    unknown_fields_ = std::move(f);
  }
  // Answers review kinds (Kind::Review); the AlwaysAllow authorizer until
  // set. `a` must outlive the service; set before serving.
  void set_authorizer(const Authorizer* a) { authorizer_ = a; }
  const Authorizer& authorizer() const { return *authorizer_; }
  // Admissions run in order; set before serving.
  void set_admissions(std::vector<std::shared_ptr<Admission>> a) {
    admissions_ = std::move(a);
  }

  // Store key and list prefix for a kind ("/registry/apps/deployments/ns/x").
  static std::string Key(const KindInfo& info, const std::string& ns,
                         const std::string& name);
  static std::string Prefix(const KindInfo& info, const std::string& ns);
  // The (group, resource) whose Key() `key` is, group "" for core; an empty
  // resource when `key` is not an object key.
  static std::pair<std::string, std::string> GroupResourceOfKey(
      std::string_view key);
  // Selector attributes of an object.
  static store::Attrs AttrsFor(const Kind& kind, const Json& obj);

  StatusOr<WriteResult> Create(const Kind& kind, const std::string& ns,
                               JsonDoc obj, const WriteOptions& opts);
  StatusOr<store::Object> Get(const Kind& kind, const std::string& ns,
                              const std::string& name) const;
  StatusOr<store::ListResult> List(const Kind& kind, const std::string& ns,
                                   const ListOptions& opts) const;
  // PUT of the object or its status subresource.
  StatusOr<WriteResult> Update(const Kind& kind, const std::string& ns,
                               const std::string& name,
                               const std::string& subresource, JsonDoc obj,
                               const WriteOptions& opts);
  // PATCH of the object or its status subresource. Every write records
  // opts.field_manager in metadata.managedFields (see apply/field_manager).
  // kApply is server-side apply: Conflict (409) when it would change fields
  // another manager owns unless opts.force; it creates the object when it
  // does not exist (not through a subresource).
  StatusOr<WriteResult> Patch(const Kind& kind, const std::string& ns,
                              const std::string& name,
                              const std::string& subresource, PatchType type,
                              std::string_view body, const WriteOptions& opts);
  // The autoscaling/v1 Scale of an object (scale subresource).
  StatusOr<std::string> GetScale(const Kind& kind, const std::string& ns,
                                 const std::string& name) const;
  // PUT (type ignored, body is a Scale) or PATCH of the scale subresource;
  // returns the new Scale.
  StatusOr<std::string> UpdateScale(const Kind& kind, const std::string& ns,
                                    const std::string& name,
                                    std::optional<PatchType> type,
                                    std::string_view body,
                                    const WriteOptions& opts);
  // DELETE. The object is removed now unless finalizers or the kind keep it
  // (then it is returned with deletionTimestamp set). The propagation policy
  // adds or removes the `orphan` / `foregroundDeletion` finalizers the
  // garbage collector acts on, also on an object already terminating.
  // Invalid for a bad policy; Conflict when a precondition fails.
  StatusOr<store::Object> Delete(const Kind& kind, const std::string& ns,
                                 const std::string& name,
                                 const DeleteOptions& opts);
  // POST of an action subresource the kind declares
  // (Kind::ActionSubresources, e.g. pods/binding): parses `body` as the
  // request object, runs Kind::ApplySubresource on the stored object inside
  // the update loop (so it is re-run on a lost compare-and-swap) and writes
  // the result (kUpdate: with the kind's defaulting, validation and
  // admission, the update rule judging the object as the hook left it) or
  // deletes the object with its uid as precondition (kDelete). Returns the
  // metav1.Status Success body the apiserver answers with. NotFound for an
  // undeclared subresource or a missing object; BadRequest for a body that
  // is not the declared request kind; the hook's Status as it is.
  StatusOr<std::string> PostSubresource(const Kind& kind, const std::string& ns,
                                        const std::string& name,
                                        const std::string& subresource,
                                        std::string_view body,
                                        const WriteOptions& opts);
  // POST of an action subresource another plugin serves for the kind
  // (berth/action_handler.h, e.g. serviceaccounts/token): parses `body` as
  // the handler's request kind and returns the object the handler filled
  // in, as JSON; nothing is stored. BadRequest for a body that is not the
  // request kind; the handler's Status as it is.
  StatusOr<std::string> PostAction(const ActionHandler& handler,
                                   const std::string& ns,
                                   const std::string& name,
                                   std::string_view body,
                                   const WriteOptions& opts);
  // Watch from `resource_version` ("" or "0": current state first).
  StatusOr<std::unique_ptr<store::Watcher>> Watch(
      const Kind& kind, const std::string& ns, const ListOptions& opts,
      const std::string& resource_version) const;

  store::Store& store() { return *store_; }

 private:
  // Create of a review kind: validated and answered, never stored.
  StatusOr<WriteResult> Review(const Kind& kind, const std::string& ns,
                               JsonDoc obj, const WriteOptions& opts,
                               WriteResult result);
  using Mutator = std::function<StatusOr<JsonDoc>(const Json& old)>;
  // Create; `applied` is the configuration when a server-side apply
  // creates the object (its applier then owns its fields), else null.
  StatusOr<WriteResult> CreateObject(const Kind& kind, const std::string& ns,
                                     JsonDoc obj, const WriteOptions& opts,
                                     const Json* applied);
  // The read-modify-write loop every update goes through. `applied`: the
  // mutator is a server-side apply and has set managedFields itself;
  // otherwise the write is recorded as an Update of opts.field_manager.
  // `kind_mutated`: the mutator is the kind's own action subresource hook;
  // its change to status is kept and the update rule (Kind::Validate's
  // `old`) is not applied to it, as the apiserver's binding storage writes
  // without the pod update strategy.
  StatusOr<WriteResult> UpdateLoop(const Kind& kind, const std::string& ns,
                                   const std::string& name,
                                   const std::string& subresource,
                                   const Mutator& mutate,
                                   const WriteOptions& opts,
                                   bool applied = false,
                                   bool kind_mutated = false);
  StatusOr<store::Predicate> MakePredicate(const Kind& kind,
                                           const ListOptions& opts) const;
  Status RunAdmission(const Kind& kind, AdmissionRequest::Operation op,
                      const std::string& subresource, const std::string& ns,
                      const std::string& name, const UserInfo& user,
                      bool dry_run, const Json* old, JsonDoc& obj);
  Status CheckFields(const Kind& kind, const Json& obj,
                     FieldValidation validation,
                     std::vector<std::string>* warnings) const;

  store::Store* store_;
  UnknownFieldFinder unknown_fields_;
  std::vector<std::shared_ptr<Admission>> admissions_;
  const Authorizer* authorizer_ = &kAlwaysAllow;
  static const AlwaysAllowAuthorizer kAlwaysAllow;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_RESOURCE_SERVICE_H_
