#include "pod_template.h"

#include "label_selector.h"
#include "pod_spec.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

std::string Join(const Json* pod_spec, const char* member) {
  std::string out;
  const Json* cs = pod_spec ? Member(*pod_spec, "containers") : nullptr;
  if (!cs || !cs->IsArray()) return out;
  for (const auto& c : cs->GetArray()) {
    out += (out.empty() ? "" : ",") + Str(Member(c, member));
  }
  return out;
}

bool EmptySelector(const Json* selector) {
  if (!selector || !selector->IsObject()) return true;
  const Json* ml = Member(*selector, "matchLabels");
  const Json* me = Member(*selector, "matchExpressions");
  return (!ml || !ml->IsObject() || ml->MemberCount() == 0) &&
         (!me || !me->IsArray() || me->Empty());
}

const Json* At(const Json& obj, const std::string& dotted) {
  const Json* cur = &obj;
  size_t start = 0;
  while (cur && start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    // A std::string, not a string_view into `dotted`: Member looks keys up
    // as NUL-terminated strings.
    cur = Member(*cur, dotted.substr(start, dot - start));
    start = dot + 1;
  }
  return cur;
}

}  // namespace

void DefaultTemplate(Json& obj, std::initializer_list<std::string_view> path,
                     JsonAlloc& alloc) {
  Json* tmpl = Find(obj, path);
  if (!tmpl || !tmpl->IsObject()) return;
  Json& spec = EnsureObject(*tmpl, "spec", alloc);
  core::DefaultPodSpec(spec, alloc);
}

void ValidateSelectorAndTemplate(const Json& obj, const Json* old,
                                 const std::string& prefix,
                                 const std::string& kind_lower,
                                 const std::vector<std::string>& policies,
                                 bool selector_required,
                                 std::vector<FieldCause>& causes) {
  const Json* spec = At(obj, prefix);
  const Json* selector = spec ? Member(*spec, "selector") : nullptr;
  const Json* tmpl = spec ? Member(*spec, "template") : nullptr;
  if (!selector || selector->IsNull()) {
    if (selector_required)
      causes.push_back(field::Required(prefix + ".selector"));
  } else if (EmptySelector(selector)) {
    causes.push_back({"FieldValueInvalid", prefix + ".selector",
                      "Invalid value: " + GoLabelSelector(selector) +
                          ": empty selector is invalid for " + kind_lower});
  } else if (ValidateLabelSelector(*selector, prefix + ".selector", causes);
             !tmpl ||
             !SelectorMatches(selector, Find(*tmpl, {"metadata", "labels"}))) {
    causes.push_back(
        {"FieldValueInvalid", prefix + ".template.metadata.labels",
         "Invalid value: " +
             GoStringMap(tmpl ? Find(*tmpl, {"metadata", "labels"}) : nullptr) +
             ": `selector` does not match template `labels`"});
  }
  const Json* pod_spec = tmpl ? Member(*tmpl, "spec") : nullptr;
  if (!pod_spec || !pod_spec->IsObject()) {
    causes.push_back(field::Required(prefix + ".template.spec.containers"));
  } else {
    core::ValidatePodSpec(*pod_spec, prefix + ".template.spec", causes);
    const std::string policy = Str(Member(*pod_spec, "restartPolicy"));
    bool ok = false;
    for (const auto& p : policies) ok = ok || p == policy;
    if (!ok) {
      causes.push_back(field::NotSupported(
          prefix + ".template.spec.restartPolicy", policy, policies));
    }
  }
  if (old && selector) {
    const Json* old_spec = At(*old, prefix);
    const Json* old_sel = old_spec ? Member(*old_spec, "selector") : nullptr;
    if (old_sel && *old_sel != *selector) {
      causes.push_back({"FieldValueInvalid", prefix + ".selector",
                        "Invalid value: " + GoLabelSelector(selector) +
                            ": field is immutable"});
    }
  }
}

std::optional<std::string> TemplateMergeKey(const std::string& path,
                                            std::string_view spec_prefix) {
  return core::PodSpecMergeKey(path, std::string(spec_prefix) + ".spec");
}

std::string ContainerNames(const Json* pod_spec) {
  return Join(pod_spec, "name");
}
std::string ContainerImages(const Json* pod_spec) {
  return Join(pod_spec, "image");
}

std::string SelectorCell(const Json* selector) {
  if (EmptySelector(selector)) return "<none>";
  auto text = SelectorString(selector);
  return text.ok() ? *text : "<error>";
}

}  // namespace berth::workloads
