#include "workload_spec.h"

#include "label_selector.h"
#include "pod_spec.h"
#include "printing.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

void NonNegative(const Json& spec, const char* name,
                 std::vector<FieldCause>& causes) {
  const Json* v = Member(spec, name);
  if (v && v->IsInt64() && v->GetInt64() < 0) {
    causes.push_back(
        field::InvalidNumber(std::string("spec.") + name, v->GetInt64(),
                             "must be greater than or equal to 0"));
  }
}

bool SelectorEmpty(const Json& selector) {
  const Json* ml = Member(selector, "matchLabels");
  const Json* me = Member(selector, "matchExpressions");
  return !(ml && ml->IsObject() && ml->MemberCount() > 0) &&
         !(me && me->IsArray() && !me->Empty());
}

}  // namespace

void DefaultReplicatedSpec(Json& obj, JsonAlloc& a) {
  if (!obj.IsObject()) return;
  Json& spec = EnsureObject(obj, "spec", a);
  SetDefault(spec, "replicas", Json(1), a);
  Json& tmpl = EnsureObject(spec, "template", a);
  core::DefaultPodSpec(EnsureObject(tmpl, "spec", a), a);
}

void ValidateReplicatedSpec(const Json& obj, const Json* old,
                            std::vector<FieldCause>& causes) {
  const Json* spec_p = Member(obj, "spec");
  const Json empty(rapidjson::kObjectType);
  const Json& spec = spec_p && spec_p->IsObject() ? *spec_p : empty;
  NonNegative(spec, "replicas", causes);
  NonNegative(spec, "minReadySeconds", causes);
  const Json* selector = Member(spec, "selector");
  if (!selector || !selector->IsObject()) {
    causes.push_back(field::Required("spec.selector"));
  } else {
    ValidateLabelSelector(*selector, "spec.selector", causes);
    if (SelectorEmpty(*selector)) {
      causes.push_back({"FieldValueInvalid", "spec.selector",
                        "Invalid value: " + GoLabelSelector(selector) +
                            ": empty selector is invalid for deployment"});
    }
  }
  const Json* tmpl = Member(spec, "template");
  if (!tmpl || !tmpl->IsObject()) {
    causes.push_back(field::Required("spec.template"));
    return;
  }
  const Json* labels = Find(*tmpl, {"metadata", "labels"});
  if (labels)
    core::ValidateLabels(*labels, "spec.template.metadata.labels", causes);
  if (selector && selector->IsObject() && !SelectorEmpty(*selector) &&
      !SelectorMatches(selector, labels)) {
    causes.push_back({"FieldValueInvalid", "spec.template.metadata.labels",
                      "Invalid value: " + GoStringMap(labels) +
                          ": `selector` does not match template `labels`"});
  }
  const Json* pod_spec = Member(*tmpl, "spec");
  if (!pod_spec || !pod_spec->IsObject()) {
    causes.push_back(field::Required("spec.template.spec.containers"));
  } else {
    core::ValidatePodSpec(*pod_spec, "spec.template.spec", causes);
    const std::string restart = Str(Member(*pod_spec, "restartPolicy"));
    if (!restart.empty() && restart != "Always") {
      causes.push_back(field::NotSupported("spec.template.spec.restartPolicy",
                                           restart, {"Always"}));
    }
    if (Member(*pod_spec, "activeDeadlineSeconds")) {
      causes.push_back(field::Forbidden(
          "spec.template.spec.activeDeadlineSeconds",
          "activeDeadlineSeconds in ReplicaSet is not Supported"));
    }
  }
  if (old) {
    const Json* old_selector = Find(*old, {"spec", "selector"});
    if (old_selector && selector && *old_selector != *selector) {
      causes.push_back({"FieldValueInvalid", "spec.selector",
                        "Invalid value: " + GoLabelSelector(selector) +
                            ": field is immutable"});
    }
  }
}

std::optional<std::string> WorkloadMergeKey(const std::string& path) {
  if (path == "status.conditions") return "type";
  return core::PodSpecMergeKey(path, "spec.template.spec");
}

void AppendTemplateCells(const Json& obj, Json& cells, JsonAlloc& a) {
  std::string names, images;
  if (const Json* cs = Find(obj, {"spec", "template", "spec", "containers"});
      cs && cs->IsArray()) {
    for (const auto& c : cs->GetArray()) {
      names += (names.empty() ? "" : ",") + Str(Member(c, "name"));
      images += (images.empty() ? "" : ",") + Str(Member(c, "image"));
    }
  }
  core::AppendCell(cells, names, a);
  core::AppendCell(cells, images, a);
  auto selector = SelectorString(Find(obj, {"spec", "selector"}));
  std::string s = selector.ok() ? *selector : "";
  core::AppendCell(cells, s.empty() ? "<none>" : s, a);
}

const Json* Annotations(const Json& obj) {
  const Json* a = Find(obj, {"metadata", "annotations"});
  return a && a->IsObject() ? a : nullptr;
}

}  // namespace berth::workloads
