#include "namespace_kind.h"

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {

NamespaceKind::NamespaceKind() {
  info_.version = "v1";
  info_.kind = "Namespace";
  info_.plural = "namespaces";
  info_.singular = "namespace";
  info_.namespaced = false;
  info_.short_names = {"ns"};
  info_.status_subresource = true;
  info_.schema_name = "io.k8s.api.core.v1.Namespace";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

void NamespaceKind::Default(Json& obj, JsonAlloc& a) const {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  if (!Member(spec, "finalizers")) {
    Json finalizers(rapidjson::kArrayType);
    finalizers.PushBack(Json("kubernetes", a), a);
    SetMember(spec, "finalizers", std::move(finalizers), a);
  }
  Json& status = EnsureObject(obj, "status", a);
  SetDefaultString(status, "phase", "Active", a);
  Json& meta = EnsureObject(obj, "metadata", a);
  const std::string name = Str(Member(meta, "name"));
  if (!name.empty()) {
    SetString(EnsureObject(meta, "labels", a), "kubernetes.io/metadata.name",
              name, a);
  }
}

std::vector<FieldCause> NamespaceKind::Validate(const Json& obj,
                                                const Json* old) const {
  std::vector<FieldCause> causes;
  const std::string name = Str(Find(obj, {"metadata", "name"}));
  if (!name.empty())
    AddInvalid(causes, "metadata.name", name, IsDns1123Label(name));
  if (const Json* fins = Find(obj, {"spec", "finalizers"});
      fins && fins->IsArray()) {
    for (size_t i = 0; i < fins->Size(); ++i) {
      const std::string f = Str(&(*fins)[i]);
      AddInvalid(causes, Index("spec.finalizers", i), f, IsQualifiedName(f));
    }
  }
  const Json* phase = Find(obj, {"status", "phase"});
  if (phase && Str(phase) != "Active" && Str(phase) != "Terminating") {
    causes.push_back(field::NotSupported("status.phase", Str(phase),
                                         {"Active", "Terminating"}));
  }
  return causes;
}

DeleteAction NamespaceKind::PrepareForDelete(Json& obj, JsonAlloc& a) const {
  const Json* fins = Find(obj, {"spec", "finalizers"});
  if (!fins || !fins->IsArray() || fins->Empty()) return DeleteAction::kDelete;
  SetString(EnsureObject(obj, "status", a), "phase", "Terminating", a);
  return DeleteAction::kMarkDeleting;
}

std::vector<PrinterColumn> NamespaceKind::Columns() const {
  return {NameColumn(), StringColumn("Status", "The status of the namespace"),
          AgeColumn()};
}

void NamespaceKind::Cells(const Json& obj,
                          std::chrono::system_clock::time_point now,
                          Json& cells, JsonAlloc& alloc) const {
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
  AppendCell(cells, Str(Find(obj, {"status", "phase"})), alloc);
  AppendCell(cells, AgeSince(Find(obj, {"metadata", "creationTimestamp"}), now),
             alloc);
}

std::vector<std::string> NamespaceKind::SelectableFields() const {
  return {"status.phase"};
}

std::map<std::string, std::string> NamespaceKind::FieldValues(
    const Json& obj) const {
  return {{"status.phase", Str(Find(obj, {"status", "phase"}))}};
}

std::optional<std::string> NamespaceKind::MergeKey(
    const std::string& path) const {
  if (path == "status.conditions") return "type";
  return std::nullopt;
}

}  // namespace berth::core
