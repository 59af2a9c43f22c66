#include "kernel/plugin/kind_registry.h"

namespace berth {

namespace {

// "apps/v1 Deployment", as users write apiVersion and kind.
std::string Describe(const KindInfo& info) {
  return info.ApiVersion() + " " + info.kind;
}

}  // namespace

Status KindRegistry::Add(std::shared_ptr<Kind> kind,
                         const std::string& plugin_name) {
  if (frozen_) return Status::Internal("kind registry is frozen");
  if (!kind) {
    return Status::Invalid("plugin \"" + plugin_name + "\": null kind");
  }
  const KindInfo& info = kind->Info();
  if (info.kind.empty() || info.version.empty() || info.plural.empty()) {
    return Status::Invalid("plugin \"" + plugin_name + "\": kind \"" +
                           info.kind + "\" (" + info.ApiVersion() +
                           ") needs a kind, a version and a plural");
  }
  // The kind's own version and every version it is also served under
  // must be free, in this kind's names and in every other kind's.
  std::vector<std::string> versions = {info.version};
  for (const auto& v : info.also_served_versions) {
    if (v.empty() || v == info.version) {
      return Status::Invalid("plugin \"" + plugin_name + "\": kind " +
                             Describe(info) + " lists an empty or its own " +
                             "version in also_served_versions");
    }
    versions.push_back(v);
  }
  const Entry* taken = nullptr;
  for (const auto& v : versions) {
    if (taken) break;
    if (auto it = by_kind_.find(KeyView{info.group, v, info.kind});
        it != by_kind_.end()) {
      taken = it->second;
    } else if (auto it = by_served_resource_.find(
                   KeyView{info.group, v, info.plural});
               it != by_served_resource_.end()) {
      taken = it->second;
    }
  }
  if (taken) {
    const KindInfo& other = taken->kind->Info();
    std::string prefix = "plugin \"" + plugin_name + "\": ";
    if (other.kind == info.kind) {
      return Status::AlreadyExists(prefix + "kind " + Describe(info) +
                                   " is already provided by plugin \"" +
                                   taken->plugin + "\"");
    }
    return Status::AlreadyExists(
        prefix + "resource " + info.ApiVersion() + " " + info.plural +
        " (kind " + info.kind + ") is already provided by plugin \"" +
        taken->plugin + "\" (kind " + other.kind + ")");
  }
  for (const ActionSubresource& action : kind->ActionSubresources()) {
    if (auto it = handlers_.find(KeyView{info.group, info.plural, action.name});
        it != handlers_.end()) {
      return Status::AlreadyExists(
          "plugin \"" + plugin_name + "\": subresource " + info.plural + "/" +
          action.name + " is already served by plugin \"" + it->second.plugin +
          "\"");
    }
  }
  by_resource_.emplace(Key{info.group, info.version, info.plural},
                       Entry{std::move(kind), plugin_name});
  Reindex();
  return Status::Ok();
}

Status KindRegistry::AddProtobufSchema(ProtobufSchema schema,
                                       const std::string& plugin_name) {
  if (frozen_) return Status::Internal("kind registry is frozen");
  const std::string what = schema.api_version + " " + schema.kind;
  bool has_top = false;
  for (const ProtoMessage& m : schema.messages) {
    if (m.name == schema.kind) has_top = true;
  }
  if (!has_top) {
    return Status::Invalid("protobuf schema of " + what +
                           " has no message named " + schema.kind);
  }
  auto key = std::make_tuple(schema.api_version, schema.kind);
  if (auto it = schemas_.find(key); it != schemas_.end()) {
    return Status::AlreadyExists("protobuf schema of " + what +
                                 " is already provided by plugin \"" +
                                 it->second.plugin + "\"");
  }
  schemas_.emplace(std::move(key), SchemaEntry{std::move(schema), plugin_name});
  return Status::Ok();
}

Status KindRegistry::AddActionHandler(std::shared_ptr<ActionHandler> handler,
                                      const std::string& plugin_name) {
  if (frozen_) return Status::Internal("kind registry is frozen");
  const std::string prefix = "plugin \"" + plugin_name + "\": ";
  if (!handler) return Status::Invalid(prefix + "null action handler");
  const ResourceRef ref = handler->Resource();
  const ActionSubresource sub = handler->Subresource();
  if (ref.resource.empty() || sub.name.empty() || sub.request_kind.empty()) {
    return Status::Invalid(prefix +
                           "an action handler needs a resource, a "
                           "subresource and a request kind");
  }
  const std::string what = ref.resource + "/" + sub.name;
  if (auto it = handlers_.find(KeyView{ref.group, ref.resource, sub.name});
      it != handlers_.end()) {
    return Status::AlreadyExists(prefix + "subresource " + what +
                                 " is already served by plugin \"" +
                                 it->second.plugin + "\"");
  }
  if (const Kind* kind = ByGroupResource(ref.group, ref.resource)) {
    for (const ActionSubresource& own : kind->ActionSubresources()) {
      if (own.name == sub.name) {
        return Status::AlreadyExists(prefix + "subresource " + what +
                                     " is already served by plugin \"" +
                                     PluginOf(kind) + "\"");
      }
    }
  }
  handlers_.emplace(Key{ref.group, ref.resource, sub.name},
                    HandlerEntry{std::move(handler), plugin_name});
  return Status::Ok();
}

const ActionHandler* KindRegistry::ActionHandlerFor(
    std::string_view group, std::string_view plural,
    std::string_view subresource) const {
  auto it = handlers_.find(KeyView{group, plural, subresource});
  return it == handlers_.end() ? nullptr : it->second.handler.get();
}

std::vector<const ActionHandler*> KindRegistry::ActionHandlersOf(
    std::string_view group, std::string_view plural) const {
  std::vector<const ActionHandler*> out;
  for (auto it = handlers_.lower_bound(KeyView{group, plural, ""});
       it != handlers_.end() && std::get<0>(it->first) == group &&
       std::get<1>(it->first) == plural;
       ++it) {
    out.push_back(it->second.handler.get());
  }
  return out;
}

const ProtobufSchema* KindRegistry::ProtobufSchemaFor(
    std::string_view api_version, std::string_view kind) const {
  auto it = schemas_.find(std::make_tuple(api_version, kind));
  return it == schemas_.end() ? nullptr : &it->second.schema;
}

Status KindRegistry::RemovePlugin(const std::string& plugin_name) {
  if (frozen_) return Status::Internal("kind registry is frozen");
  std::erase_if(by_resource_, [&](const auto& kv) {
    return kv.second.plugin == plugin_name;
  });
  std::erase_if(schemas_, [&](const auto& kv) {
    return kv.second.plugin == plugin_name;
  });
  std::erase_if(handlers_, [&](const auto& kv) {
    return kv.second.plugin == plugin_name;
  });
  Reindex();
  return Status::Ok();
}

void KindRegistry::Reindex() {
  by_kind_.clear();
  by_served_resource_.clear();
  by_pointer_.clear();
  by_group_resource_.clear();
  for (const auto& [key, entry] : by_resource_) {
    const KindInfo& info = entry.kind->Info();
    by_kind_.emplace(Key{info.group, info.version, info.kind}, &entry);
    by_served_resource_.emplace(key, &entry);
    for (const auto& v : info.also_served_versions) {
      by_kind_.emplace(Key{info.group, v, info.kind}, &entry);
      by_served_resource_.emplace(Key{info.group, v, info.plural}, &entry);
    }
    by_pointer_.emplace(entry.kind.get(), &entry);
    // In version order, so the last version wins.
    by_group_resource_[{info.group, info.plural}] = entry.kind.get();
  }
}

const Kind* KindRegistry::ByGroupResource(std::string_view group,
                                          std::string_view plural) const {
  auto it = by_group_resource_.find(
      std::tuple<std::string_view, std::string_view>{group, plural});
  return it == by_group_resource_.end() ? nullptr : it->second;
}

const Kind* KindRegistry::ByResource(const std::string& group,
                                     const std::string& version,
                                     const std::string& plural) const {
  auto it = by_served_resource_.find(KeyView{group, version, plural});
  return it == by_served_resource_.end() ? nullptr : it->second->kind.get();
}

const Kind* KindRegistry::ByKind(const std::string& group,
                                 const std::string& version,
                                 const std::string& kind) const {
  auto it = by_kind_.find(KeyView{group, version, kind});
  return it == by_kind_.end() ? nullptr : it->second->kind.get();
}

std::vector<const Kind*> KindRegistry::All() const {
  std::vector<const Kind*> all;
  all.reserve(by_resource_.size());
  for (const auto& [key, entry] : by_resource_) all.push_back(entry.kind.get());
  return all;
}

std::shared_ptr<Kind> KindRegistry::Share(const Kind* kind) const {
  auto it = by_pointer_.find(kind);
  return it == by_pointer_.end() ? nullptr : it->second->kind;
}

std::string KindRegistry::PluginOf(const Kind* kind) const {
  auto it = by_pointer_.find(kind);
  return it == by_pointer_.end() ? "" : it->second->plugin;
}

}  // namespace berth
