// SchemaRegistry: the OpenAPI v3 component schemas of the core/v1 types,
// described compactly (a type expression per property) and rendered into
// the JSON shape the Kubernetes apiserver serves: nested types through
// `allOf:[{$ref}]`, `x-kubernetes-group-version-kind` on kinds and
// `x-kubernetes-patch-merge-key`/`-patch-strategy` on merged lists.
//
// Type expressions: "string", "integer" (int32), "int64", "number",
// "boolean", "byte" (base64 string), "object" (free-form), a type name
// (core/v1 short name like "Container", an alias "Quantity",
// "IntOrString", "Time", "MicroTime", "ObjectMeta", "ListMeta",
// "LabelSelector", "Condition", or a full dotted name), "[]T" (list), "{}T"
// (string map), "[]T@k1,k2" (list merged by k1, map-keyed by k1,k2).
//
// Thread safety: the tables are immutable after first use; all functions
// are safe to call concurrently.
#ifndef BERTH_PLUGINS_CORE_SCHEMA_REGISTRY_H_
#define BERTH_PLUGINS_CORE_SCHEMA_REGISTRY_H_

#include <string>
#include <string_view>
#include <vector>

namespace berth::core {

struct SchemaProp {
  std::string_view name;
  std::string_view type;
  std::string_view description = "";
};

struct SchemaType {
  std::string_view name;  // short core/v1 name or full dotted name
  std::string_view description;
  std::vector<SchemaProp> props;
  std::vector<std::string_view> required = {};
  // Non-empty for top-level kinds of the core group: adds
  // x-kubernetes-group-version-kind.
  std::string_view kind = "";
  // Non-empty for scalar types (Quantity, IntOrString): the JSON type.
  std::string_view scalar = "";
  std::string_view format = "";
  // The API group of `kind` ("" is the core group).
  std::string_view group = "";
};

// The full component name for a type name: "Pod" ->
// "io.k8s.api.core.v1.Pod", "Time" ->
// "io.k8s.apimachinery.pkg.apis.meta.v1.Time".
std::string SchemaName(std::string_view short_name);

// Tables, one per area (schemas_*.cc).
void AddPodSchemas(std::vector<SchemaType>& out);
void AddVolumeSchemas(std::vector<SchemaType>& out);
void AddServiceSchemas(std::vector<SchemaType>& out);
void AddClusterSchemas(std::vector<SchemaType>& out);
void AddDiscoverySchemas(std::vector<SchemaType>& out);

// A JSON object {"<full name>": {schema}, ...} holding the types named by
// `roots` (full names) and every type of this registry they reference,
// directly or not. Types outside the registry (ObjectMeta, Time, ...) are
// referenced but not included.
std::string SchemaClosureJson(const std::vector<std::string>& roots);

// The same for a plugin of another area: `extra` types (full names, or
// short names taken as core/v1) are looked up before this registry, so a
// kind outside plugins/core (PersistentVolume, StorageClass...) reuses the
// core/v1 types it references. `extra` must outlive the call only.
std::string SchemaClosureJson(const std::vector<std::string>& roots,
                              const std::vector<SchemaType>& extra);

// The pod template family (io.k8s.api.core.v1.PodTemplateSpec, PodSpec and
// everything below), for kinds embedding a pod template.
std::string PodTemplateSchemasJson();

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SCHEMA_REGISTRY_H_
