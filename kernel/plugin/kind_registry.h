// KindRegistry: every resource kind the server serves, each with the plugin
// that provides it, the protobuf wire schemas plugins registered for
// request bodies (berth/protobuf_schema.h), and the action handlers that
// serve subresources of kinds other plugins own (berth/action_handler.h). Two
// plugins (or one plugin twice) providing the same group/version/kind or
// group/version/plural, or a schema for the same apiVersion/kind, or a handler
// for a subresource already served, is refused, so a request path names exactly
// one Kind and a body one schema.
//
// Thread safety: the registry is filled once at start-up from one thread
// (Add, RemovePlugin), then Freeze() is called; after Freeze it never
// changes, so its const lookups run concurrently without locks. Calling a
// mutator after Freeze is a programming error and returns Internal.
#ifndef BERTH_KERNEL_PLUGIN_KIND_REGISTRY_H_
#define BERTH_KERNEL_PLUGIN_KIND_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "berth/action_handler.h"
#include "berth/kind.h"
#include "berth/protobuf_schema.h"
#include "berth/status.h"

namespace berth {

class KindRegistry {
 public:
  KindRegistry() = default;
  KindRegistry(const KindRegistry&) = delete;
  KindRegistry& operator=(const KindRegistry&) = delete;

  // Adds `kind`, provided by plugin `plugin_name`; the registry shares
  // ownership (for plugin kinds the pointer also pins the plugin library).
  // AlreadyExists, naming both plugins, when its group+version+kind or
  // group+version+plural is taken; Invalid when kind, version or plural is
  // empty or kind is null.
  Status Add(std::shared_ptr<Kind> kind, const std::string& plugin_name);

  // Adds the protobuf schema of schema.api_version/schema.kind, provided by
  // `plugin_name`. AlreadyExists, naming both plugins, when that pair has
  // one; Invalid when the schema lacks the message named after its kind.
  Status AddProtobufSchema(ProtobufSchema schema,
                           const std::string& plugin_name);
  // The schema registered for `api_version`/`kind`, or nullptr; it lives
  // as long as the registry.
  const ProtobufSchema* ProtobufSchemaFor(std::string_view api_version,
                                          std::string_view kind) const;

  // Adds `handler`, provided by `plugin_name` (the pointer also pins the
  // plugin's library). AlreadyExists, naming the plugin that serves it,
  // when another handler or the resource's own kind
  // (Kind::ActionSubresources) serves that subresource; Invalid when the
  // handler is null or names no resource or subresource. The resource's
  // kind need not be registered yet (plugins load in any order).
  Status AddActionHandler(std::shared_ptr<ActionHandler> handler,
                          const std::string& plugin_name);
  // The handler of `subresource` of `group`/`plural` (any version), or
  // nullptr; it lives as long as the registry.
  const ActionHandler* ActionHandlerFor(std::string_view group,
                                        std::string_view plural,
                                        std::string_view subresource) const;
  // The handlers of `group`/`plural`, in subresource name order.
  std::vector<const ActionHandler*> ActionHandlersOf(
      std::string_view group, std::string_view plural) const;

  // Removes every kind, schema and handler `plugin_name` added: rolls back a
  // plugin whose registration failed part-way.
  Status RemovePlugin(const std::string& plugin_name);

  // Ends start-up; lookups are lock-free from here on.
  void Freeze() { frozen_ = true; }

  // The kind served at /apis/<group>/<version>/<plural> (group "" for core),
  // in its own version or one of its also_served_versions, or nullptr. The
  // pointer lives as long as the registry.
  const Kind* ByResource(const std::string& group, const std::string& version,
                         const std::string& plural) const;
  // The kind stored under /registry/<group>/<plural>/ whatever its version
  // (the last version when several serve the plural), or nullptr: how a
  // store key (ResourceService::GroupResourceOfKey) finds its kind.
  const Kind* ByGroupResource(std::string_view group,
                              std::string_view plural) const;
  // The kind named `kind` in group/version (its own or one it is also
  // served in), or nullptr.
  const Kind* ByKind(const std::string& group, const std::string& version,
                     const std::string& kind) const;
  // Every kind, ordered by group, version, plural.
  std::vector<const Kind*> All() const;
  // The shared handle of a registered kind, or nullptr; for code that must
  // keep a kind (and its library) beyond the registry's lifetime.
  std::shared_ptr<Kind> Share(const Kind* kind) const;
  // The plugin that provided `kind`; "" when it is not registered.
  std::string PluginOf(const Kind* kind) const;

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  // Lookups compare against views so a request allocates nothing.
  using KeyView =
      std::tuple<std::string_view, std::string_view, std::string_view>;
  struct Entry {
    std::shared_ptr<Kind> kind;
    std::string plugin;
  };

  void Reindex();

  bool frozen_ = false;
  std::map<Key, Entry, std::less<>> by_resource_;  // (group, version, plural)
  // (group, version, kind) and (group, version, plural) over every served
  // version.
  std::map<Key, const Entry*, std::less<>> by_kind_;
  std::map<Key, const Entry*, std::less<>> by_served_resource_;
  std::unordered_map<const Kind*, const Entry*> by_pointer_;
  std::map<std::tuple<std::string, std::string>, const Kind*, std::less<>>
      by_group_resource_;  // (group, plural)
  struct SchemaEntry {
    ProtobufSchema schema;
    std::string plugin;
  };
  // (apiVersion, kind)
  std::map<std::tuple<std::string, std::string>, SchemaEntry, std::less<>>
      schemas_;
  struct HandlerEntry {
    std::shared_ptr<ActionHandler> handler;
    std::string plugin;
  };
  // (group, plural, subresource)
  std::map<Key, HandlerEntry, std::less<>> handlers_;
};

}  // namespace berth

#endif  // BERTH_KERNEL_PLUGIN_KIND_REGISTRY_H_
