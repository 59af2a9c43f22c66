#include "deployment_sync.h"

#include <algorithm>
#include <cstdint>

#include "age.h"
#include "deployment_conditions.h"
#include "label_selector.h"
#include "owned_objects.h"
#include "pod_template_hash.h"
#include "revision.h"
#include "validation.h"

namespace berth::workloads {
namespace {

using core::Str;

const ResourceRef kDeployments{"apps", "v1", "deployments"};
const ResourceRef kReplicaSets{"apps", "v1", "replicasets"};

int64_t SpecReplicas(const Json& rs) {
  return GetInt(rs, {"spec", "replicas"});
}
int64_t StatusInt(const Json& rs, const char* f) {
  return GetInt(rs, {"status", f});
}
std::string NameOf(const Json& o) { return Str(Find(o, {"metadata", "name"})); }
bool Deleting(const Json& o) {
  return Find(o, {"metadata", "deletionTimestamp"}) != nullptr;
}

std::chrono::system_clock::time_point Created(const Json& o) {
  return core::ParseTimestamp(Str(Find(o, {"metadata", "creationTimestamp"})))
      .value_or(std::chrono::system_clock::time_point{});
}

// ReplicaSetsByCreationTimestamp: oldest first, then by name.
bool OlderFirst(const JsonDoc* a, const JsonDoc* b) {
  const auto ta = Created(*a), tb = Created(*b);
  if (ta != tb) return ta < tb;
  return NameOf(*a) < NameOf(*b);
}

int64_t SumSpec(const std::vector<JsonDoc*>& rss) {
  int64_t n = 0;
  for (const JsonDoc* rs : rss) n += SpecReplicas(*rs);
  return n;
}
int64_t SumStatus(const std::vector<JsonDoc*>& rss, const char* f) {
  int64_t n = 0;
  for (const JsonDoc* rs : rss) n += StatusInt(*rs, f);
  return n;
}

std::vector<JsonDoc*> Active(const std::vector<JsonDoc*>& rss) {
  std::vector<JsonDoc*> out;
  for (JsonDoc* rs : rss) {
    if (rs && SpecReplicas(*rs) > 0) out.push_back(rs);
  }
  return out;
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

DeploymentSync::DeploymentSync(Client& client, JsonDoc deployment,
                               std::chrono::system_clock::time_point now,
                               EventSink events)
    : client_(client),
      d_(std::move(deployment)),
      now_(now),
      now_text_(FormatTimestamp(now)),
      events_(std::move(events)) {}

int64_t DeploymentSync::Replicas() const {
  return GetInt(d_, {"spec", "replicas"}, 1);
}
bool DeploymentSync::IsRolling() const {
  return Str(Find(d_, {"spec", "strategy", "type"})) == "RollingUpdate";
}
bool DeploymentSync::Paused() const {
  const Json* p = Find(d_, {"spec", "paused"});
  return p && p->IsBool() && p->GetBool();
}
bool DeploymentSync::HasProgressDeadline() const {
  const Json* p = Find(d_, {"spec", "progressDeadlineSeconds"});
  return p && p->IsInt64() && p->GetInt64() != INT32_MAX;
}
int64_t DeploymentSync::MaxSurge() const {
  if (!IsRolling()) return 0;
  return ResolveFenceposts(
             Find(d_, {"spec", "strategy", "rollingUpdate", "maxSurge"}),
             Find(d_, {"spec", "strategy", "rollingUpdate", "maxUnavailable"}),
             Replicas())
      .max_surge;
}
int64_t DeploymentSync::MaxUnavailable() const {
  if (!IsRolling() || Replicas() == 0) return 0;
  const int64_t u =
      ResolveFenceposts(
          Find(d_, {"spec", "strategy", "rollingUpdate", "maxSurge"}),
          Find(d_, {"spec", "strategy", "rollingUpdate", "maxUnavailable"}),
          Replicas())
          .max_unavailable;
  return std::min(u, Replicas());
}
std::string DeploymentSync::Name() const { return NameOf(d_); }
std::string DeploymentSync::Namespace() const {
  return Str(Find(d_, {"metadata", "namespace"}));
}

StatusOr<ReconcileResult> DeploymentSync::Run() {
  const Json* selector = Find(d_, {"spec", "selector"});
  if (!SelectorMatches(selector,
                       Find(d_, {"spec", "template", "metadata", "labels"}))) {
    // An empty selector would select every pod; Kubernetes does nothing.
    return ReconcileResult{};
  }
  if (Status s = LoadReplicaSets(); !s.ok()) return s;
  RsList all;
  for (auto& rs : owned_) all.push_back(rs.get());
  if (Deleting(d_)) {
    JsonDoc* new_rs = nullptr;
    RsList old;
    if (Status s = SyncRevision(false, &new_rs, &old); !s.ok()) return s;
    if (Status s = SyncStatusOnly(all, new_rs); !s.ok()) return s;
    return ReconcileResult{};
  }
  if (Status s = CheckPausedConditions(); !s.ok()) return s;
  Status s;
  if (Paused() || IsScalingEvent()) {
    s = SyncScaling();
  } else if (IsRolling()) {
    s = RolloutRolling();
  } else {
    s = RolloutRecreate();
  }
  if (!s.ok()) return s;
  return ReconcileResult{requeue_};
}

Status DeploymentSync::LoadReplicaSets() {
  const Json* selector = Find(d_, {"spec", "selector"});
  auto query = SelectorString(selector);
  if (!query.ok()) return query.status();
  auto listed = ListSelected(client_, kReplicaSets, Namespace(), *query);
  if (!listed.ok()) return listed.status();
  const std::string uid = Str(Find(d_, {"metadata", "uid"}));
  for (auto& rs : *listed) {
    const std::string owner = ControllerUid(*rs);
    if (owner.empty() && !Deleting(d_) && !Deleting(*rs) &&
        SelectorMatches(selector, Find(*rs, {"metadata", "labels"}))) {
      auto adopted =
          Adopt(client_, kReplicaSets, *rs, d_, "apps/v1", "Deployment");
      if (!adopted.ok()) {
        if (adopted.status().IsNotFound()) continue;
        return adopted.status();
      }
      auto doc = ParseJson(*adopted);
      if (!doc.ok()) return doc.status();
      *rs = std::move(*doc);
    } else if (owner != uid) {
      continue;
    }
    owned_.push_back(std::move(rs));
  }
  return {};
}

Status DeploymentSync::CheckPausedConditions() {
  if (!HasProgressDeadline()) return {};
  JsonDoc status(rapidjson::kObjectType);
  if (const Json* s = Member(d_, "status"); s && s->IsObject()) {
    status.CopyFrom(*s, status.GetAllocator());
  }
  const Json* cond = GetCondition(status, kProgressing);
  const std::string reason = cond ? Str(Member(*cond, "reason")) : "";
  if (reason == kProgressDeadlineExceeded) return {};
  const bool paused_cond = reason == kDeploymentPaused;
  bool changed = false;
  if (Paused() && !paused_cond) {
    changed =
        SetCondition(status, kProgressing, "Unknown", kDeploymentPaused,
                     "Deployment is paused", now_text_, status.GetAllocator());
  } else if (!Paused() && paused_cond) {
    changed =
        SetCondition(status, kProgressing, "Unknown", kDeploymentResumed,
                     "Deployment is resumed", now_text_, status.GetAllocator());
  }
  return changed ? UpdateStatus(status) : Status();
}

bool DeploymentSync::IsScalingEvent() {
  RsList all;
  for (auto& rs : owned_) all.push_back(rs.get());
  for (JsonDoc* rs : Active(all)) {
    auto desired = IntAnnotation(*rs, kDesiredReplicasAnnotation);
    if (desired && *desired != Replicas()) return true;
  }
  return false;
}

Status DeploymentSync::SyncRevision(bool create, JsonDoc** new_rs,
                                    RsList* old) {
  const Json* tmpl = Find(d_, {"spec", "template"});
  RsList all;
  for (auto& rs : owned_) all.push_back(rs.get());
  std::sort(all.begin(), all.end(), OlderFirst);
  *new_rs = nullptr;
  old->clear();
  for (JsonDoc* rs : all) {
    const Json* rs_tmpl = Find(*rs, {"spec", "template"});
    if (!*new_rs && tmpl && rs_tmpl && EqualIgnoreHash(*rs_tmpl, *tmpl)) {
      *new_rs = rs;
    } else {
      old->push_back(rs);
    }
  }
  int64_t max_old = 0;
  for (const JsonDoc* rs : *old) max_old = std::max(max_old, Revision(*rs));
  const int64_t new_revision = max_old + 1;

  if (!*new_rs) {
    if (!create) return {};
    return CreateNewReplicaSet(*old, new_revision, new_rs);
  }
  JsonDoc& rs = **new_rs;
  auto& a = rs.GetAllocator();
  bool changed = SetNewReplicaSetAnnotations(
      d_, rs, new_revision, true, Replicas(), Replicas() + MaxSurge(), a);
  const int64_t min_ready = GetInt(d_, {"spec", "minReadySeconds"});
  if (GetInt(rs, {"spec", "minReadySeconds"}) != min_ready) {
    SetMember(EnsureObject(rs, "spec", a), "minReadySeconds", Json(min_ready),
              a);
    changed = true;
  }
  if (changed) {
    auto updated = client_.Update(kReplicaSets, Namespace(), ToJson(rs));
    if (!updated.ok()) return updated.status();
    auto doc = ParseJson(*updated);
    if (!doc.ok()) return doc.status();
    rs = std::move(*doc);
  }
  if (SetDeploymentRevision(d_, std::to_string(Revision(rs)),
                            d_.GetAllocator())) {
    if (Status s = UpdateMetadata(); !s.ok()) return s;
  }
  const Json* st = Member(d_, "status");
  if (HasProgressDeadline() && (!st || !GetCondition(*st, kProgressing))) {
    JsonDoc status(rapidjson::kObjectType);
    if (const Json* s = Member(d_, "status"); s && s->IsObject()) {
      status.CopyFrom(*s, status.GetAllocator());
    }
    SetCondition(status, kProgressing, "True", kFoundNewReplicaSet,
                 "Found new replica set " + Quoted(NameOf(rs)), now_text_,
                 status.GetAllocator());
    return UpdateStatus(status);
  }
  return {};
}

Status DeploymentSync::CreateNewReplicaSet(const RsList& old,
                                           int64_t new_revision,
                                           JsonDoc** new_rs) {
  std::optional<int64_t> collisions;
  if (const Json* c = Find(d_, {"status", "collisionCount"});
      c && c->IsInt64()) {
    collisions = c->GetInt64();
  }
  const Json& tmpl = *Find(d_, {"spec", "template"});
  const std::string hash = PodTemplateHash(tmpl, collisions);
  auto rs = std::make_unique<JsonDoc>(rapidjson::kObjectType);
  auto& a = rs->GetAllocator();
  SetString(*rs, "apiVersion", "apps/v1", a);
  SetString(*rs, "kind", "ReplicaSet", a);
  Json& meta = EnsureObject(*rs, "metadata", a);
  SetString(meta, "name", Name() + "-" + hash, a);
  SetString(meta, "namespace", Namespace(), a);
  Json refs(rapidjson::kArrayType);
  refs.PushBack(ControllerRef(d_, "apps/v1", "Deployment", a), a);
  SetMember(meta, "ownerReferences", std::move(refs), a);
  Json& spec = EnsureObject(*rs, "spec", a);
  SetMember(spec, "replicas", Json(0), a);
  SetMember(spec, "minReadySeconds",
            Json(GetInt(d_, {"spec", "minReadySeconds"})), a);
  Json selector(*Find(d_, {"spec", "selector"}), a);
  SetString(EnsureObject(selector, "matchLabels", a), kPodTemplateHashLabel,
            hash, a);
  SetMember(spec, "selector", std::move(selector), a);
  Json rs_tmpl(tmpl, a);
  Json& tmpl_labels =
      EnsureObject(EnsureObject(rs_tmpl, "metadata", a), "labels", a);
  SetString(tmpl_labels, kPodTemplateHashLabel, hash, a);
  SetMember(meta, "labels", Json(tmpl_labels, a), a);
  SetMember(spec, "template", std::move(rs_tmpl), a);

  int64_t size = Replicas();
  if (IsRolling()) {
    size = NewReplicaSetReplicas(Replicas(), MaxSurge(), SumSpec(old), 0);
  }
  SetMember(spec, "replicas", Json(size), a);
  SetNewReplicaSetAnnotations(d_, *rs, new_revision, false, Replicas(),
                              Replicas() + MaxSurge(), a);

  auto created = client_.Create(kReplicaSets, Namespace(), ToJson(*rs));
  bool already_existed = false;
  if (!created.ok()) {
    if (!created.status().IsAlreadyExists()) return created.status();
    // The name is taken: ours from an earlier pass whose result we did not
    // see, or a hash collision, which a new collisionCount resolves.
    auto existing = client_.Get(kReplicaSets, Namespace(), Name() + "-" + hash);
    if (!existing.ok()) return existing.status();
    auto doc = ParseJson(*existing);
    if (!doc.ok()) return doc.status();
    const Json* existing_tmpl = Find(*doc, {"spec", "template"});
    if (ControllerUid(*doc) == Str(Find(d_, {"metadata", "uid"})) &&
        existing_tmpl && EqualIgnoreHash(*existing_tmpl, tmpl)) {
      *rs = std::move(*doc);
      already_existed = true;
    } else {
      JsonDoc status(rapidjson::kObjectType);
      if (const Json* s = Member(d_, "status"); s && s->IsObject()) {
        status.CopyFrom(*s, status.GetAllocator());
      }
      SetMember(status, "collisionCount", Json(collisions.value_or(0) + 1),
                status.GetAllocator());
      if (Status s = UpdateStatus(status); !s.ok()) return s;
      return Status::Conflict("replica set " + Name() + "-" + hash +
                              " exists with another template; retrying "
                              "with a new collision count");
    }
  } else {
    auto doc = ParseJson(*created);
    if (!doc.ok()) return doc.status();
    *rs = std::move(*doc);
  }
  if (!already_existed && size > 0 && events_) {
    events_(d_, "ScalingReplicaSet",
            "Scaled up replica set " + NameOf(*rs) + " from 0 to " +
                std::to_string(size));
  }
  *new_rs = rs.get();
  owned_.push_back(std::move(rs));

  if (SetDeploymentRevision(d_, std::to_string(new_revision),
                            d_.GetAllocator())) {
    if (Status s = UpdateMetadata(); !s.ok()) return s;
  }
  if (!already_existed && HasProgressDeadline()) {
    JsonDoc status(rapidjson::kObjectType);
    if (const Json* s = Member(d_, "status"); s && s->IsObject()) {
      status.CopyFrom(*s, status.GetAllocator());
    }
    SetCondition(status, kProgressing, "True", kNewReplicaSetCreated,
                 "Created new replica set " + Quoted(NameOf(**new_rs)),
                 now_text_, status.GetAllocator());
    return UpdateStatus(status);
  }
  return {};
}

StatusOr<bool> DeploymentSync::ScaleReplicaSet(JsonDoc& rs, int64_t size) {
  const int64_t from = SpecReplicas(rs);
  auto& a = rs.GetAllocator();
  const bool annotations_changed =
      SetReplicasAnnotations(rs, Replicas(), Replicas() + MaxSurge(), a);
  if (from == size && !annotations_changed) return false;
  SetMember(EnsureObject(rs, "spec", a), "replicas", Json(size), a);
  auto updated = client_.Update(kReplicaSets, Namespace(), ToJson(rs));
  if (!updated.ok()) return updated.status();
  auto doc = ParseJson(*updated);
  if (!doc.ok()) return doc.status();
  rs = std::move(*doc);
  if (from != size && events_) {
    events_(d_, "ScalingReplicaSet",
            std::string(size > from ? "Scaled up" : "Scaled down") +
                " replica set " + NameOf(rs) + " from " + std::to_string(from) +
                " to " + std::to_string(size));
  }
  return from != size;
}

Status DeploymentSync::SyncScaling() {
  JsonDoc* new_rs = nullptr;
  RsList old;
  if (Status s = SyncRevision(false, &new_rs, &old); !s.ok()) return s;
  if (Status s = ProportionalScale(new_rs, old); !s.ok()) return s;
  if (Paused()) {
    if (Status s = Cleanup(old); !s.ok()) return s;
  }
  RsList all = old;
  if (new_rs) all.push_back(new_rs);
  return SyncStatusOnly(all, new_rs);
}

Status DeploymentSync::ProportionalScale(JsonDoc* new_rs, const RsList& old) {
  RsList all = old;
  if (new_rs) all.push_back(new_rs);
  RsList active = Active(all);
  // FindActiveOrLatest: one ReplicaSet with pods (or none: the newest)
  // simply takes the whole count.
  JsonDoc* only = nullptr;
  if (active.size() == 1) {
    only = active[0];
  } else if (active.empty()) {
    if (new_rs) {
      only = new_rs;
    } else if (!old.empty()) {
      only = *std::max_element(old.begin(), old.end(), OlderFirst);
    }
  }
  if (only) {
    if (SpecReplicas(*only) == Replicas()) return {};
    auto scaled = ScaleReplicaSet(*only, Replicas());
    return scaled.ok() ? Status() : scaled.status();
  }
  // IsSaturated: the new ReplicaSet holds every replica, all available.
  if (new_rs && SpecReplicas(*new_rs) == Replicas() &&
      IntAnnotation(*new_rs, kDesiredReplicasAnnotation) == Replicas() &&
      StatusInt(*new_rs, "availableReplicas") == Replicas()) {
    for (JsonDoc* rs : Active(old)) {
      auto scaled = ScaleReplicaSet(*rs, 0);
      if (!scaled.ok()) return scaled.status();
    }
    return {};
  }
  if (!IsRolling()) return {};
  const int64_t allowed = Replicas() > 0 ? Replicas() + MaxSurge() : 0;
  const int64_t to_add = allowed - SumSpec(active);
  // Bigger ReplicaSets first; among equals the newer when growing and the
  // older when shrinking, as Kubernetes sorts them.
  std::sort(active.begin(), active.end(), [&](JsonDoc* a, JsonDoc* b) {
    if (SpecReplicas(*a) != SpecReplicas(*b)) {
      return SpecReplicas(*a) > SpecReplicas(*b);
    }
    return to_add > 0 ? OlderFirst(b, a) : OlderFirst(a, b);
  });
  std::vector<int64_t> sizes;
  int64_t added = 0;
  for (JsonDoc* rs : active) {
    int64_t proportion = 0;
    if (to_add != 0 && to_add != added && SpecReplicas(*rs) != 0) {
      const int64_t annotated = IntAnnotation(*rs, kMaxReplicasAnnotation)
                                    .value_or(StatusInt(d_, "replicas"));
      const int64_t fraction =
          ReplicaSetFraction(SpecReplicas(*rs), Replicas(), allowed, annotated);
      const int64_t allowed_left = to_add - added;
      proportion = to_add > 0 ? std::min(fraction, allowed_left)
                              : std::max(fraction, allowed_left);
    }
    sizes.push_back(SpecReplicas(*rs) + proportion);
    added += proportion;
  }
  for (size_t i = 0; i < active.size(); ++i) {
    if (i == 0 && to_add != 0) {
      sizes[0] = std::max<int64_t>(sizes[0] + to_add - added, 0);
    }
    auto scaled = ScaleReplicaSet(*active[i], sizes[i]);
    if (!scaled.ok()) return scaled.status();
  }
  return {};
}

Status DeploymentSync::RolloutRolling() {
  JsonDoc* new_rs = nullptr;
  RsList old;
  if (Status s = SyncRevision(true, &new_rs, &old); !s.ok()) return s;
  RsList all = old;
  all.push_back(new_rs);
  auto up = ReconcileNewReplicaSet(all, new_rs);
  if (!up.ok()) return up.status();
  if (*up) return SyncRolloutStatus(all, new_rs);
  auto down = ReconcileOldReplicaSets(all, Active(old), new_rs);
  if (!down.ok()) return down.status();
  if (*down) return SyncRolloutStatus(all, new_rs);
  JsonDoc status = CalculateStatus(all, new_rs);
  if (GetInt(status, {"updatedReplicas"}) == Replicas() &&
      GetInt(status, {"replicas"}) == Replicas() &&
      GetInt(status, {"availableReplicas"}) == Replicas()) {
    if (Status s = Cleanup(old); !s.ok()) return s;
  }
  return SyncRolloutStatus(all, new_rs);
}

StatusOr<bool> DeploymentSync::ReconcileNewReplicaSet(const RsList& all,
                                                      JsonDoc* new_rs) {
  const int64_t have = SpecReplicas(*new_rs);
  if (have == Replicas()) return false;
  if (have > Replicas()) return ScaleReplicaSet(*new_rs, Replicas());
  const int64_t size =
      NewReplicaSetReplicas(Replicas(), MaxSurge(), SumSpec(all), have);
  return ScaleReplicaSet(*new_rs, size);
}

StatusOr<bool> DeploymentSync::ReconcileOldReplicaSets(const RsList& all,
                                                       const RsList& old,
                                                       JsonDoc* new_rs) {
  if (SumSpec(old) == 0) return false;
  const int64_t new_unavailable =
      SpecReplicas(*new_rs) - StatusInt(*new_rs, "availableReplicas");
  const int64_t max_scaled_down = MaxScaledDown(
      SumSpec(all), Replicas(), MaxUnavailable(), new_unavailable);
  if (max_scaled_down <= 0) return false;

  // Unhealthy old replicas go first: they cost no availability.
  RsList sorted = old;
  std::sort(sorted.begin(), sorted.end(), OlderFirst);
  int64_t cleaned = 0;
  for (JsonDoc* rs : sorted) {
    if (cleaned >= max_scaled_down) break;
    const int64_t replicas = SpecReplicas(*rs);
    const int64_t available = StatusInt(*rs, "availableReplicas");
    if (replicas == 0 || replicas == available) continue;
    const int64_t n = std::min(max_scaled_down - cleaned, replicas - available);
    auto scaled = ScaleReplicaSet(*rs, replicas - n);
    if (!scaled.ok()) return scaled.status();
    cleaned += n;
  }

  // Then healthy ones, down to what maxUnavailable allows.
  const int64_t min_available = Replicas() - MaxUnavailable();
  const int64_t available = SumStatus(all, "availableReplicas");
  int64_t scaled_down = 0;
  if (available > min_available) {
    const int64_t total = available - min_available;
    for (JsonDoc* rs : sorted) {
      if (scaled_down >= total) break;
      const int64_t replicas = SpecReplicas(*rs);
      if (replicas == 0) continue;
      const int64_t n = std::min(replicas, total - scaled_down);
      auto scaled = ScaleReplicaSet(*rs, replicas - n);
      if (!scaled.ok()) return scaled.status();
      scaled_down += n;
    }
  }
  return cleaned + scaled_down > 0;
}

Status DeploymentSync::RolloutRecreate() {
  JsonDoc* new_rs = nullptr;
  RsList old;
  if (Status s = SyncRevision(false, &new_rs, &old); !s.ok()) return s;
  RsList all = old;
  if (new_rs) all.push_back(new_rs);
  bool scaled_down = false;
  for (JsonDoc* rs : Active(old)) {
    auto scaled = ScaleReplicaSet(*rs, 0);
    if (!scaled.ok()) return scaled.status();
    scaled_down |= *scaled;
  }
  if (scaled_down) return SyncRolloutStatus(all, new_rs);
  // Old pods must be gone before new ones start.
  if (SumStatus(old, "replicas") > 0) return SyncRolloutStatus(all, new_rs);
  if (!new_rs) {
    if (Status s = SyncRevision(true, &new_rs, &old); !s.ok()) return s;
    all = old;
    all.push_back(new_rs);
  }
  auto scaled = ScaleReplicaSet(*new_rs, Replicas());
  if (!scaled.ok()) return scaled.status();
  JsonDoc status = CalculateStatus(all, new_rs);
  if (GetInt(status, {"updatedReplicas"}) == Replicas() &&
      GetInt(status, {"replicas"}) == Replicas() &&
      GetInt(status, {"availableReplicas"}) == Replicas()) {
    if (Status s = Cleanup(old); !s.ok()) return s;
  }
  return SyncRolloutStatus(all, new_rs);
}

Status DeploymentSync::Cleanup(const RsList& old) {
  const Json* limit = Find(d_, {"spec", "revisionHistoryLimit"});
  if (!limit || !limit->IsInt64()) return {};
  RsList cleanable;
  for (JsonDoc* rs : old) {
    if (!Deleting(*rs)) cleanable.push_back(rs);
  }
  const int64_t diff =
      static_cast<int64_t>(cleanable.size()) - limit->GetInt64();
  if (diff <= 0) return {};
  std::sort(cleanable.begin(), cleanable.end(), [](JsonDoc* a, JsonDoc* b) {
    if (Revision(*a) != Revision(*b)) return Revision(*a) < Revision(*b);
    return OlderFirst(a, b);
  });
  for (int64_t i = 0; i < diff; ++i) {
    JsonDoc& rs = *cleanable[i];
    if (StatusInt(rs, "replicas") != 0 || SpecReplicas(rs) != 0 ||
        GetInt(rs, {"metadata", "generation"}) >
            StatusInt(rs, "observedGeneration")) {
      continue;
    }
    Status s = client_.Delete(kReplicaSets, Namespace(), NameOf(rs));
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return {};
}

JsonDoc DeploymentSync::CalculateStatus(const RsList& all, JsonDoc* new_rs) {
  JsonDoc status(rapidjson::kObjectType);
  auto& a = status.GetAllocator();
  const int64_t available = SumStatus(all, "availableReplicas");
  const int64_t unavailable = std::max<int64_t>(SumSpec(all) - available, 0);
  auto put = [&](const char* name, int64_t n) {
    if (n != 0) SetMember(status, name, Json(n), a);
  };
  put("observedGeneration", GetInt(d_, {"metadata", "generation"}));
  put("replicas", SumStatus(all, "replicas"));
  put("updatedReplicas", new_rs ? StatusInt(*new_rs, "replicas") : 0);
  put("readyReplicas", SumStatus(all, "readyReplicas"));
  put("availableReplicas", available);
  put("unavailableReplicas", unavailable);
  if (const Json* c = Find(d_, {"status", "collisionCount"})) {
    SetMember(status, "collisionCount", Json(*c, a), a);
  }
  if (const Json* conds = Find(d_, {"status", "conditions"});
      conds && conds->IsArray()) {
    SetMember(status, "conditions", Json(*conds, a), a);
  }
  if (available >= Replicas() - MaxUnavailable()) {
    SetCondition(status, kAvailable, "True", kMinimumReplicasAvailable,
                 "Deployment has minimum availability.", now_text_, a);
  } else {
    SetCondition(status, kAvailable, "False", kMinimumReplicasUnavailable,
                 "Deployment does not have minimum availability.", now_text_,
                 a);
  }
  return status;
}

Status DeploymentSync::SyncStatusOnly(const RsList& all, JsonDoc* new_rs) {
  JsonDoc status = CalculateStatus(all, new_rs);
  const Json* old = Member(d_, "status");
  if (old && *old == status) return {};
  return UpdateStatus(status);
}

Status DeploymentSync::SyncRolloutStatus(const RsList& all, JsonDoc* new_rs) {
  JsonDoc status = CalculateStatus(all, new_rs);
  auto& a = status.GetAllocator();
  if (!HasProgressDeadline()) RemoveCondition(status, kProgressing);
  const Json* cur = GetCondition(status, kProgressing);
  const std::string cur_reason = cur ? Str(Member(*cur, "reason")) : "";
  const std::string rs_name = new_rs ? NameOf(*new_rs) : "";
  const int64_t replicas = GetInt(status, {"replicas"});
  const int64_t updated = GetInt(status, {"updatedReplicas"});
  const int64_t ready = GetInt(status, {"readyReplicas"});
  const int64_t available = GetInt(status, {"availableReplicas"});
  const bool complete_before =
      replicas == updated && cur && cur_reason == kNewReplicaSetAvailable;
  const bool complete = updated == Replicas() && replicas == Replicas() &&
                        available == Replicas() &&
                        GetInt(status, {"observedGeneration"}) >=
                            GetInt(d_, {"metadata", "generation"});
  if (HasProgressDeadline() && !complete_before) {
    const int64_t old_updated = GetInt(d_, {"status", "updatedReplicas"});
    const int64_t old_old = GetInt(d_, {"status", "replicas"}) - old_updated;
    const bool progressing =
        updated > old_updated || replicas - updated < old_old ||
        ready > GetInt(d_, {"status", "readyReplicas"}) ||
        available > GetInt(d_, {"status", "availableReplicas"});
    const int64_t deadline = GetInt(d_, {"spec", "progressDeadlineSeconds"});
    if (complete) {
      SetCondition(
          status, kProgressing, "True", kNewReplicaSetAvailable,
          "ReplicaSet " + Quoted(rs_name) + " has successfully progressed.",
          now_text_, a);
    } else if (progressing) {
      // Progress refreshes lastUpdateTime even with an unchanged reason;
      // lastTransitionTime stays while the status stays True.
      std::string transition = now_text_;
      if (cur && Str(Member(*cur, "status")) == "True") {
        transition = Str(Member(*cur, "lastTransitionTime"));
      }
      RemoveCondition(status, kProgressing);
      SetCondition(status, kProgressing, "True", kReplicaSetUpdated,
                   "ReplicaSet " + Quoted(rs_name) + " is progressing.",
                   now_text_, a);
      Json* conds = Member(status, "conditions");
      SetString((*conds)[conds->Size() - 1], "lastTransitionTime", transition,
                a);
      requeue_ = std::chrono::seconds(deadline + 1);
    } else if (cur && cur_reason != kNewReplicaSetAvailable) {
      const auto since =
          core::ParseTimestamp(Str(Member(*cur, "lastUpdateTime")));
      if (cur_reason == kProgressDeadlineExceeded) {
        // Stays timed out until progress is seen.
      } else if (since && *since + std::chrono::seconds(deadline) < now_) {
        SetCondition(
            status, kProgressing, "False", kProgressDeadlineExceeded,
            "ReplicaSet " + Quoted(rs_name) + " has timed out progressing.",
            now_text_, a);
      } else if (since) {
        // Look again when the deadline passes, in case nothing else does.
        requeue_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                       *since + std::chrono::seconds(deadline) - now_) +
                   std::chrono::milliseconds(1000);
      }
    }
  }
  const Json* old = Member(d_, "status");
  if (old && *old == status) return {};
  return UpdateStatus(status);
}

Status DeploymentSync::UpdateMetadata() {
  auto updated = client_.Update(kDeployments, Namespace(), ToJson(d_));
  if (!updated.ok()) return updated.status();
  auto doc = ParseJson(*updated);
  if (!doc.ok()) return doc.status();
  d_ = std::move(*doc);
  return {};
}

Status DeploymentSync::UpdateStatus(const Json& status) {
  SetMember(d_, "status", Json(status, d_.GetAllocator()), d_.GetAllocator());
  auto updated =
      client_.Update(kDeployments, Namespace(), ToJson(d_), "status");
  if (!updated.ok()) return updated.status();
  auto doc = ParseJson(*updated);
  if (!doc.ok()) return doc.status();
  d_ = std::move(*doc);
  return {};
}

}  // namespace berth::workloads
