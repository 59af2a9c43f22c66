#include "profile.h"

#include <algorithm>
#include <set>

namespace berth::scheduler {
namespace {

struct PointSpec {
  const char* config_name;
  uint32_t bit;
};
const PointSpec kPoints[] = {
    {"preFilter", SchedulerPlugin::kPreFilter},
    {"filter", SchedulerPlugin::kFilter},
    {"postFilter", SchedulerPlugin::kPostFilter},
    {"preScore", SchedulerPlugin::kPreScore},
    {"score", SchedulerPlugin::kScore},
    {"reserve", SchedulerPlugin::kReserve},
    {"permit", SchedulerPlugin::kPermit},
    {"preBind", SchedulerPlugin::kPreBind},
    {"bind", SchedulerPlugin::kBind},
    {"postBind", SchedulerPlugin::kPostBind},
};

struct Enabled {
  std::string name;
  int64_t weight = 0;  // 0: the default weight
};

// Applies a {enabled, disabled} set to `list`, as kube-scheduler's
// mergePlugins: disabled ("*" for all) removed, enabled ones replace a
// default in place or are appended.
void Merge(const Json* set, std::vector<Enabled>& list) {
  if (!set) return;
  if (const Json* dis = Member(*set, "disabled"); dis && dis->IsArray()) {
    for (const auto& d : dis->GetArray()) {
      std::string name = GetString(d, {"name"});
      if (name == "*") {
        list.clear();
      } else {
        list.erase(
            std::remove_if(list.begin(), list.end(),
                           [&](const Enabled& e) { return e.name == name; }),
            list.end());
      }
    }
  }
  if (const Json* en = Member(*set, "enabled"); en && en->IsArray()) {
    for (const auto& e : en->GetArray()) {
      Enabled item{GetString(e, {"name"}), GetInt(e, {"weight"}, 0)};
      auto it = std::find_if(list.begin(), list.end(), [&](const Enabled& x) {
        return x.name == item.name;
      });
      if (it != list.end()) {
        *it = item;
      } else {
        list.push_back(item);
      }
    }
  }
}

}  // namespace

const std::vector<DefaultPlugin>& DefaultPlugins() {
  static const std::vector<DefaultPlugin> kDefaults = {
      {"NodeUnschedulable", 0}, {"NodeName", 0},
      {"TaintToleration", 3},   {"NodeAffinity", 2},
      {"NodeResourcesFit", 1},  {"PodTopologySpread", 2},
      {"InterPodAffinity", 2},  {"NodeResourcesBalancedAllocation", 1},
      {"DefaultBinder", 0},
  };
  return kDefaults;
}

StatusOr<std::vector<Profile>> BuildProfiles(
    const Json& settings,
    const std::vector<std::shared_ptr<SchedulerPlugin>>& registered,
    SchedulerHandle& handle) {
  std::map<std::string, std::shared_ptr<SchedulerPlugin>> by_name;
  for (const auto& p : registered) by_name[p->Name()] = p;
  std::map<std::string, int64_t> default_weight;
  for (const auto& d : DefaultPlugins()) default_weight[d.name] = d.weight;

  JsonDoc default_profile;
  default_profile.Parse(R"([{"schedulerName":"default-scheduler"}])");
  const Json* profiles = Member(settings, "profiles");
  if (!profiles || !profiles->IsArray() || profiles->Empty()) {
    profiles = &default_profile;
  }
  std::vector<Profile> out;
  std::set<std::string> names;
  for (const auto& spec : profiles->GetArray()) {
    Profile profile;
    profile.scheduler_name =
        GetString(spec, {"schedulerName"}, "default-scheduler");
    const std::string where =
        "scheduler profile \"" + profile.scheduler_name + "\": ";
    if (!names.insert(profile.scheduler_name).second) {
      return Status::Invalid(where + "schedulerName is used twice");
    }
    // multiPoint: the defaults (those registered), then the profile's set.
    std::vector<Enabled> multi;
    for (const auto& d : DefaultPlugins()) {
      if (by_name.count(d.name)) multi.push_back({d.name, 0});
    }
    const Json* plugins = Member(spec, "plugins");
    if (plugins) Merge(Member(*plugins, "multiPoint"), multi);

    // Instances, one per plugin name for this profile, with its args.
    std::map<std::string, std::shared_ptr<SchedulerPlugin>> instances;
    auto instance = [&](const std::string& name)
        -> StatusOr<std::shared_ptr<SchedulerPlugin>> {
      if (auto it = instances.find(name); it != instances.end()) {
        return it->second;
      }
      auto proto = by_name.find(name);
      if (proto == by_name.end()) {
        return Status::Invalid(where + "no scheduler plugin named \"" + name +
                               "\" is registered");
      }
      std::string args = "{}";
      if (const Json* cfg = Member(spec, "pluginConfig");
          cfg && cfg->IsArray()) {
        for (const auto& c : cfg->GetArray()) {
          if (GetString(c, {"name"}) != name) continue;
          if (const Json* a = Member(c, "args")) args = ToJson(*a);
        }
      }
      auto made = proto->second->New(handle, args);
      if (!made.ok()) {
        return Status::Invalid(where + made.status().message());
      }
      instances[name] = *made;
      return *made;
    };

    for (const PointSpec& point : kPoints) {
      std::vector<Enabled> list;
      for (const auto& e : multi) {
        auto proto = by_name.find(e.name);
        if (proto == by_name.end()) {
          return Status::Invalid(where + "no scheduler plugin named \"" +
                                 e.name + "\" is registered");
        }
        if (proto->second->Points() & point.bit) list.push_back(e);
      }
      if (plugins) Merge(Member(*plugins, point.config_name), list);
      for (const auto& e : list) {
        auto made = instance(e.name);
        if (!made.ok()) return made.status();
        const auto& p = *made;
        if (!(p->Points() & point.bit)) {
          return Status::Invalid(where + "plugin \"" + e.name +
                                 "\" does not implement " + point.config_name);
        }
        switch (point.bit) {
          case SchedulerPlugin::kPreFilter:
            profile.pre_filter.push_back(p);
            break;
          case SchedulerPlugin::kFilter:
            profile.filter.push_back(p);
            break;
          case SchedulerPlugin::kPostFilter:
            profile.post_filter.push_back(p);
            break;
          case SchedulerPlugin::kPreScore:
            profile.pre_score.push_back(p);
            break;
          case SchedulerPlugin::kScore: {
            int64_t w = e.weight;
            if (w == 0) {
              auto d = default_weight.find(e.name);
              w = d != default_weight.end() && d->second > 0 ? d->second : 1;
            }
            profile.score.push_back({p, w});
            break;
          }
          case SchedulerPlugin::kReserve:
            profile.reserve.push_back(p);
            break;
          case SchedulerPlugin::kPermit:
            profile.permit.push_back(p);
            break;
          case SchedulerPlugin::kPreBind:
            profile.pre_bind.push_back(p);
            break;
          case SchedulerPlugin::kBind:
            profile.bind.push_back(p);
            break;
          case SchedulerPlugin::kPostBind:
            profile.post_bind.push_back(p);
            break;
        }
      }
    }
    if (profile.bind.empty()) {
      return Status::Invalid(where + "no bind plugin is enabled");
    }
    out.push_back(std::move(profile));
  }
  return out;
}

}  // namespace berth::scheduler
