#include "label_selector.h"

#include <algorithm>
#include <map>

#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

std::vector<std::string> Values(const Json& req) {
  std::vector<std::string> out;
  const Json* values = Member(req, "values");
  if (!values || !values->IsArray()) return out;
  for (const auto& v : values->GetArray()) out.push_back(Str(&v));
  return out;
}

std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

StatusOr<std::string> SelectorString(const Json* selector) {
  if (!selector || !selector->IsObject()) return std::string();
  std::vector<std::string> parts;
  if (const Json* ml = Member(*selector, "matchLabels"); ml && ml->IsObject()) {
    std::map<std::string, std::string> sorted;
    for (auto it = ml->MemberBegin(); it != ml->MemberEnd(); ++it) {
      sorted[it->name.GetString()] = Str(&it->value);
    }
    for (const auto& [k, v] : sorted) parts.push_back(k + "=" + v);
  }
  if (const Json* me = Member(*selector, "matchExpressions");
      me && me->IsArray()) {
    for (const auto& req : me->GetArray()) {
      const std::string key = Str(Member(req, "key"));
      const std::string op = Str(Member(req, "operator"));
      if (op == "In" || op == "NotIn") {
        std::vector<std::string> values = Values(req);
        std::sort(values.begin(), values.end());
        std::string list;
        for (const auto& v : values) list += (list.empty() ? "" : ",") + v;
        parts.push_back(key + (op == "In" ? " in (" : " notin (") + list + ")");
      } else if (op == "Exists") {
        parts.push_back(key);
      } else if (op == "DoesNotExist") {
        parts.push_back("!" + key);
      } else {
        return Status::BadRequest("\"" + op +
                                  "\" is not a valid label selector operator");
      }
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

bool SelectorMatches(const Json* selector, const Json* labels) {
  if (!selector || !selector->IsObject()) return false;
  const Json* ml = Member(*selector, "matchLabels");
  const Json* me = Member(*selector, "matchExpressions");
  const bool has_labels = ml && ml->IsObject() && ml->MemberCount() > 0;
  const bool has_exprs = me && me->IsArray() && !me->Empty();
  if (!has_labels && !has_exprs) return false;
  auto label = [&](const std::string& key) -> const Json* {
    return labels ? Member(*labels, key) : nullptr;
  };
  if (has_labels) {
    for (auto it = ml->MemberBegin(); it != ml->MemberEnd(); ++it) {
      const Json* v = label(it->name.GetString());
      if (!v || Str(v) != Str(&it->value)) return false;
    }
  }
  if (has_exprs) {
    for (const auto& req : me->GetArray()) {
      const std::string key = Str(Member(req, "key"));
      const std::string op = Str(Member(req, "operator"));
      const Json* v = label(key);
      std::vector<std::string> values = Values(req);
      const bool in =
          v && std::find(values.begin(), values.end(), Str(v)) != values.end();
      if (op == "In" && !in) return false;
      if (op == "NotIn" && in) return false;
      if (op == "Exists" && !v) return false;
      if (op == "DoesNotExist" && v) return false;
      if (op != "In" && op != "NotIn" && op != "Exists" &&
          op != "DoesNotExist") {
        return false;
      }
    }
  }
  return true;
}

void ValidateLabelSelector(const Json& selector, const std::string& path,
                           std::vector<FieldCause>& causes) {
  if (const Json* ml = Member(selector, "matchLabels")) {
    core::ValidateLabels(*ml, path + ".matchLabels", causes);
  }
  const Json* me = Member(selector, "matchExpressions");
  if (!me || !me->IsArray()) return;
  for (size_t i = 0; i < me->Size(); ++i) {
    const Json& req = (*me)[i];
    const std::string at = core::Index(path + ".matchExpressions", i);
    const std::string op = Str(Member(req, "operator"));
    const Json* values = Member(req, "values");
    const size_t n = values && values->IsArray() ? values->Size() : 0;
    if (op == "In" || op == "NotIn") {
      if (n == 0) {
        causes.push_back(field::Required(
            at + ".values",
            "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (n > 0) {
        causes.push_back(field::Forbidden(
            at + ".values",
            "may not be specified when `operator` is 'Exists' or "
            "'DoesNotExist'"));
      }
    } else {
      causes.push_back(field::Invalid(at + ".operator", op,
                                      "not a valid selector operator"));
    }
    const std::string key = Str(Member(req, "key"));
    core::AddInvalid(causes, at + ".key", key, core::IsQualifiedName(key));
  }
}

std::string GoStringMap(const Json* map) {
  if (!map || !map->IsObject()) return "map[string]string(nil)";
  std::map<std::string, std::string> sorted;
  for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
    sorted[it->name.GetString()] = Str(&it->value);
  }
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [k, v] : sorted) {
    out += (first ? "" : ", ") + GoQuote(k) + ":" + GoQuote(v);
    first = false;
  }
  return out + "}";
}

std::string GoLabelSelector(const Json* selector) {
  const Json* ml = selector ? Member(*selector, "matchLabels") : nullptr;
  const Json* me = selector ? Member(*selector, "matchExpressions") : nullptr;
  std::string out =
      "v1.LabelSelector{MatchLabels:" + GoStringMap(ml) + ", MatchExpressions:";
  if (!me || !me->IsArray()) {
    out += "[]v1.LabelSelectorRequirement(nil)";
  } else {
    out += "[]v1.LabelSelectorRequirement{";
    bool first = true;
    for (const auto& req : me->GetArray()) {
      out += first ? "" : ", ";
      first = false;
      out += "v1.LabelSelectorRequirement{Key:" +
             GoQuote(Str(Member(req, "key"))) +
             ", Operator:" + GoQuote(Str(Member(req, "operator"))) +
             ", Values:";
      const Json* values = Member(req, "values");
      if (!values || !values->IsArray()) {
        out += "[]string(nil)}";
        continue;
      }
      out += "[]string{";
      bool first_value = true;
      for (const auto& v : values->GetArray()) {
        out += (first_value ? "" : ", ") + GoQuote(Str(&v));
        first_value = false;
      }
      out += "}}";
    }
    out += "}";
  }
  return out + "}";
}

}  // namespace berth::workloads
