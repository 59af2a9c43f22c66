#include "scheduler.h"

#include <chrono>
#include <ctime>

#include "berth/json.h"
#include "fit_error.h"
#include "framework/object_parser.h"

namespace berth::scheduler {
namespace {

constexpr const char* kPlugin = "scheduler";
const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kNamespaces{"", "v1", "namespaces"};

std::string Now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json Str(const std::string& s, JsonAlloc& a) {
  return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace

struct Scheduler::Binding {
  const Profile* profile;
  QueuedPod qp;
  std::shared_ptr<const PodInfo> assumed;
  std::shared_ptr<CycleState> state;
};

size_t NumFeasibleNodesToFind(int percentage, size_t num_nodes) {
  constexpr size_t kMinFeasibleNodes = 100;
  if (num_nodes < kMinFeasibleNodes || percentage >= 100) return num_nodes;
  int64_t adaptive = percentage;
  if (adaptive <= 0) {
    adaptive = 50 - static_cast<int64_t>(num_nodes) / 125;
    if (adaptive < 5) adaptive = 5;
  }
  size_t n = num_nodes * static_cast<size_t>(adaptive) / 100;
  return n < kMinFeasibleNodes ? kMinFeasibleNodes : n;
}

Scheduler::Scheduler(Host& host, SchedulerOptions options)
    : host_(host), options_(options) {}

Scheduler::~Scheduler() { Stop(); }

Status Scheduler::Configure(
    const Json& settings,
    const std::vector<std::shared_ptr<SchedulerPlugin>>& plugins) {
  auto built = BuildProfiles(settings, plugins, *this);
  if (!built.ok()) return built.status();
  for (auto& p : *built) {
    std::string name = p.scheduler_name;
    profiles_.emplace(std::move(name), std::move(p));
  }
  return Status::Ok();
}

const std::vector<const NodeInfo*>& Scheduler::Nodes() const {
  return cache_.NodesLocked();
}
std::vector<const NodeInfo*> Scheduler::NodesWithAffinityPods() const {
  return cache_.NodesWithAffinityPodsLocked();
}
std::vector<const NodeInfo*> Scheduler::NodesWithRequiredAntiAffinityPods()
    const {
  return cache_.NodesWithRequiredAntiAffinityPodsLocked();
}
std::map<std::string, std::string> Scheduler::NamespaceLabels(
    const std::string& ns) const {
  return cache_.NamespaceLabelsLocked(ns);
}

Status Scheduler::Start() {
  binders_ = std::make_unique<WorkPool>(options_.bind_workers, 0);
  reporter_ = std::make_unique<WorkPool>(1, 1000);
  struct Source {
    ResourceRef ref;
    void (Scheduler::*handler)(const WatchEvent&);
  };
  for (const Source& s :
       {Source{kNamespaces, &Scheduler::OnNamespace},
        Source{kNodes, &Scheduler::OnNode}, Source{kPods, &Scheduler::OnPod}}) {
    auto handler = s.handler;
    auto w = host_.client().Watch(
        s.ref, "", "",
        [this, handler](const WatchEvent& e) { (this->*handler)(e); });
    if (!w.ok()) {
      return Status(w.status().code(), "scheduler: cannot watch " +
                                           s.ref.resource + ": " +
                                           w.status().message());
    }
    watches_.push_back(std::move(w).value());
  }
  loop_ = std::thread([this] { Run(); });
  housekeeper_ = std::thread([this] { Housekeep(); });
  return Status::Ok();
}

void Scheduler::Stop() {
  if (stopping_.exchange(true)) return;
  watches_.clear();
  queue_.Close();
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stop_cv_.notify_all();
  }
  if (loop_.joinable()) loop_.join();
  if (housekeeper_.joinable()) housekeeper_.join();
  if (binders_) binders_->Stop();
  if (reporter_) reporter_->Stop();
}

void Scheduler::Housekeep() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stopping_) {
    stop_cv_.wait_for(lock, std::chrono::seconds(1));
    if (cache_.CleanupExpired(SchedulerCache::Clock::now()) > 0) {
      queue_.MoveAllToActiveOrBackoff();
    }
  }
}

void Scheduler::OnNamespace(const WatchEvent& event) {
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  std::string name = GetString(*doc, {"metadata", "name"});
  if (event.type == "DELETED") {
    cache_.RemoveNamespace(name);
    return;
  }
  std::map<std::string, std::string> labels;
  if (const Json* l = Find(*doc, {"metadata", "labels"}); l && l->IsObject()) {
    for (auto it = l->MemberBegin(); it != l->MemberEnd(); ++it) {
      if (it->value.IsString()) {
        labels[it->name.GetString()] = it->value.GetString();
      }
    }
  }
  cache_.SetNamespaceLabels(name, std::move(labels));
  // A namespace selector of some pending pod may match now.
  queue_.MoveAllToActiveOrBackoff();
}

void Scheduler::OnNode(const WatchEvent& event) {
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  if (event.type == "DELETED") {
    cache_.RemoveNode(GetString(*doc, {"metadata", "name"}));
    return;
  }
  if (cache_.AddOrUpdateNode(ParseNode(*doc))) {
    queue_.MoveAllToActiveOrBackoff();
  }
}

void Scheduler::OnPod(const WatchEvent& event) {
  auto doc = ParseJson(event.object);
  if (!doc.ok()) return;
  const std::string key = GetString(*doc, {"metadata", "namespace"}) + "/" +
                          GetString(*doc, {"metadata", "name"});
  if (event.type == "DELETED") {
    queue_.Delete(key);
    {
      std::lock_guard<std::mutex> lock(reported_mu_);
      reported_.erase(key);
    }
    if (cache_.Has(key)) {
      cache_.RemovePod(key);
      queue_.MoveAllToActiveOrBackoff();
    }
    return;
  }
  std::shared_ptr<PodInfo> pod = ParsePod(*doc);
  if (!pod->node_name.empty()) {
    queue_.Delete(key);
    if (PodIsTerminal(*doc)) {
      if (cache_.Has(key)) {
        cache_.RemovePod(key);
        queue_.MoveAllToActiveOrBackoff();
      }
    } else {
      cache_.AddOrUpdateBoundPod(std::move(pod));
    }
    return;
  }
  // An unbound version of a pod this scheduler has just placed: an event
  // from before the bind.
  if (cache_.IsAssumed(key)) return;
  if (pod->terminating || PodIsTerminal(*doc) ||
      !profiles_.count(pod->scheduler_name)) {
    queue_.Delete(key);
    return;
  }
  queue_.AddOrUpdate(std::move(pod));
}

void Scheduler::Run() {
  while (auto qp = queue_.Pop()) ScheduleOne(std::move(*qp));
}

void Scheduler::Requeue(const QueuedPod& qp) { queue_.AddBackoff(qp); }

void Scheduler::ScheduleOne(QueuedPod qp) {
  const PodInfo& pod = *qp.pod;
  auto profile_it = profiles_.find(pod.scheduler_name);
  if (profile_it == profiles_.end()) return;
  const Profile& profile = profile_it->second;
  const std::string key = SchedulingQueue::KeyOf(pod);
  auto state = std::make_shared<CycleState>();

  std::unique_lock<std::mutex> lock = cache_.Lock();
  const std::vector<const NodeInfo*>& nodes = cache_.NodesLocked();

  // PreFilter.
  std::vector<bool> skip_filter(profile.filter.size(), false);
  SchedulingStatus pre_filter;
  for (const auto& p : profile.pre_filter) {
    SchedulingStatus s = p->PreFilter(*state, pod);
    if (s.code() == SchedulingStatus::Code::kSkip) {
      for (size_t i = 0; i < profile.filter.size(); ++i) {
        if (profile.filter[i] == p) skip_filter[i] = true;
      }
      continue;
    }
    if (!s.ok()) {
      s.set_plugin(p->Name());
      pre_filter = std::move(s);
      break;
    }
  }

  // Filter over a sample of the nodes, starting where the last pod stopped.
  std::vector<const NodeInfo*> feasible;
  std::map<std::string, SchedulingStatus> rejections;
  bool error = pre_filter.code() == SchedulingStatus::Code::kError;
  if (pre_filter.ok() && !nodes.empty()) {
    const size_t want = NumFeasibleNodesToFind(
        options_.percentage_of_nodes_to_score, nodes.size());
    size_t processed = 0;
    for (; processed < nodes.size() && feasible.size() < want; ++processed) {
      const NodeInfo* node =
          nodes[(next_start_node_ + processed) % nodes.size()];
      SchedulingStatus verdict;
      for (size_t i = 0; i < profile.filter.size(); ++i) {
        if (skip_filter[i]) continue;
        SchedulingStatus s = profile.filter[i]->Filter(*state, pod, *node);
        if (!s.ok()) {
          s.set_plugin(profile.filter[i]->Name());
          verdict = std::move(s);
          break;
        }
      }
      if (verdict.ok()) {
        feasible.push_back(node);
      } else if (verdict.code() == SchedulingStatus::Code::kError) {
        error = true;
        pre_filter = std::move(verdict);
        break;
      } else {
        rejections.emplace(node->name, std::move(verdict));
      }
    }
    next_start_node_ = (next_start_node_ + processed) % nodes.size();
  }

  if (error) {
    lock.unlock();
    host_.Log(kLogWarn, kPlugin,
              "scheduling " + key + ": " +
                  (pre_filter.reasons().empty() ? std::string("error")
                                                : pre_filter.reasons()[0]));
    Requeue(qp);
    return;
  }
  if (feasible.empty()) {
    std::string nominated;
    for (const auto& p : profile.post_filter) {
      SchedulingStatus s = p->PostFilter(*state, pod, rejections, nominated);
      if (s.ok()) break;
    }
    std::string message = FitErrorMessage(nodes.size(), rejections, pre_filter);
    lock.unlock();
    ReportUnschedulable(pod, message);
    queue_.AddUnschedulable(std::move(qp));
    return;
  }

  // Score (skipped when one node fits, as kube-scheduler does).
  const NodeInfo* chosen = feasible[0];
  if (feasible.size() > 1 && !profile.score.empty()) {
    std::vector<bool> skip_score(profile.score.size(), false);
    for (const auto& p : profile.pre_score) {
      SchedulingStatus s = p->PreScore(*state, pod, feasible);
      if (s.code() == SchedulingStatus::Code::kSkip) {
        for (size_t i = 0; i < profile.score.size(); ++i) {
          if (profile.score[i].plugin == p) skip_score[i] = true;
        }
      }
    }
    std::vector<int64_t> total(feasible.size(), 0);
    std::vector<NodeScore> scores(feasible.size());
    for (size_t n = 0; n < feasible.size(); ++n) {
      scores[n].name = feasible[n]->name;
    }
    for (size_t i = 0; i < profile.score.size(); ++i) {
      if (skip_score[i]) continue;
      const auto& scorer = profile.score[i];
      for (size_t n = 0; n < feasible.size(); ++n) {
        scorer.plugin->Score(*state, pod, *feasible[n], scores[n].score);
      }
      scorer.plugin->NormalizeScore(*state, pod, scores);
      for (size_t n = 0; n < feasible.size(); ++n) {
        total[n] += scores[n].score * scorer.weight;
      }
    }
    // The highest total; ties broken uniformly at random.
    int64_t best = total[0];
    size_t ties = 1;
    for (size_t n = 1; n < feasible.size(); ++n) {
      if (total[n] > best) {
        best = total[n];
        chosen = feasible[n];
        ties = 1;
      } else if (total[n] == best && rng_() % ++ties == 0) {
        chosen = feasible[n];
      }
    }
  }

  // Assume, Reserve, Permit.
  auto assumed = std::make_shared<PodInfo>(pod);
  assumed->node_name = chosen->name;
  const std::string node_name = chosen->name;
  lock.unlock();
  cache_.AssumePod(assumed);
  queue_.Delete(key);
  auto fail = [&](size_t reserved, const std::string& why) {
    for (size_t i = reserved; i-- > 0;) {
      profile.reserve[i]->Unreserve(*state, pod, node_name);
    }
    cache_.ForgetPod(key);
    host_.Log(kLogInfo, kPlugin, "scheduling " + key + ": " + why);
    queue_.AddOrUpdate(qp.pod);
  };
  for (size_t i = 0; i < profile.reserve.size(); ++i) {
    SchedulingStatus s = profile.reserve[i]->Reserve(*state, pod, node_name);
    if (!s.ok()) {
      profile.reserve[i]->Unreserve(*state, pod, node_name);
      fail(i, "reserve rejected by " + profile.reserve[i]->Name());
      return;
    }
  }
  for (const auto& p : profile.permit) {
    int64_t timeout_ms = 0;
    SchedulingStatus s = p->Permit(*state, pod, node_name, timeout_ms);
    if (!s.ok()) {
      fail(profile.reserve.size(), "permit rejected by " + p->Name());
      return;
    }
  }
  auto b = std::make_shared<Binding>();
  b->profile = &profile;
  b->qp = std::move(qp);
  b->assumed = std::move(assumed);
  b->state = std::move(state);
  binders_->Submit([this, b] { BindingCycle(b); });
}

void Scheduler::BindingCycle(std::shared_ptr<Binding> b) {
  const PodInfo& pod = *b->qp.pod;
  const std::string& node = b->assumed->node_name;
  const std::string key = SchedulingQueue::KeyOf(pod);
  SchedulingStatus result;
  for (const auto& p : b->profile->pre_bind) {
    result = p->PreBind(*b->state, pod, node);
    if (!result.ok()) break;
  }
  if (result.ok()) {
    result = SchedulingStatus::Error("no bind plugin bound the pod");
    for (const auto& p : b->profile->bind) {
      SchedulingStatus s = p->Bind(*b->state, pod, node);
      if (s.code() == SchedulingStatus::Code::kSkip) continue;
      result = std::move(s);
      break;
    }
  }
  if (!result.ok()) {
    for (size_t i = b->profile->reserve.size(); i-- > 0;) {
      b->profile->reserve[i]->Unreserve(*b->state, pod, node);
    }
    cache_.ForgetPod(key);
    std::string why = result.reasons().empty() ? std::string("bind failed")
                                               : result.reasons()[0];
    host_.Log(kLogInfo, kPlugin, "binding " + key + " to " + node + ": " + why);
    // A pod deleted meanwhile is not retried; its DELETED event removes it.
    if (result.code() !=
        SchedulingStatus::Code::kUnschedulableAndUnresolvable) {
      queue_.AddOrUpdate(b->qp.pod);
      RecordEvent(pod, "Warning", "FailedScheduling",
                  "Binding rejected: " + why, b->profile->scheduler_name);
    }
    return;
  }
  cache_.FinishBinding(key);
  for (const auto& p : b->profile->post_bind) p->PostBind(*b->state, pod, node);
  bool was_reported = false;
  {
    std::lock_guard<std::mutex> lock(reported_mu_);
    was_reported = reported_.erase(key) > 0;
  }
  // The bind does not touch status, so a pod once reported Unschedulable
  // gets its PodScheduled condition turned True here.
  if (was_reported) WritePodScheduled(pod, "True", "", "");
  RecordEvent(pod, "Normal", "Scheduled",
              "Successfully assigned " + key + " to " + node,
              b->profile->scheduler_name);
}

void Scheduler::ReportUnschedulable(const PodInfo& pod,
                                    const std::string& message) {
  const std::string key = SchedulingQueue::KeyOf(pod);
  {
    std::lock_guard<std::mutex> lock(reported_mu_);
    std::string& last = reported_[key];
    if (last == message) return;
    last = message;
  }
  RecordEvent(pod, "Warning", "FailedScheduling", message, pod.scheduler_name);
  WritePodScheduled(pod, "False", "Unschedulable", message);
}

void Scheduler::WritePodScheduled(const PodInfo& pod, const std::string& status,
                                  const std::string& reason,
                                  const std::string& message) {
  PodInfo copy = pod;
  reporter_->Submit([this, copy, status, reason, message] {
    JsonDoc cond_doc(rapidjson::kObjectType);
    auto& a = cond_doc.GetAllocator();
    Json& cond = cond_doc;
    cond.AddMember("type", "PodScheduled", a);
    cond.AddMember("status", Str(status, a), a);
    cond.AddMember("lastProbeTime", Json(), a);
    cond.AddMember("lastTransitionTime", Str(Now(), a), a);
    if (!reason.empty()) cond.AddMember("reason", Str(reason, a), a);
    if (!message.empty()) cond.AddMember("message", Str(message, a), a);
    // Only the PodScheduled condition is replaced: a JSON merge patch of
    // status.conditions would replace the whole list and drop the Ready
    // condition a kubelet wrote meanwhile (kube-scheduler sends a strategic
    // merge patch, keyed by type). The SDK client has no strategic merge
    // patch, so this reads the pod and updates its status on its
    // resourceVersion, reading again on Conflict.
    constexpr int kAttempts = 5;
    Status last;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      auto got = host_.client().Get(kPods, copy.ns, copy.name);
      if (!got.ok()) {
        last = got.status();
        break;
      }
      auto pod = ParseJson(*got);
      if (!pod.ok()) {
        last = pod.status();
        break;
      }
      JsonDoc& doc = *pod;
      auto& da = doc.GetAllocator();
      Json& st = EnsureObject(doc, "status", da);
      Json conds(rapidjson::kArrayType);
      if (const Json* old = Member(st, "conditions"); old && old->IsArray()) {
        for (const auto& c : old->GetArray()) {
          if (GetString(c, {"type"}) != "PodScheduled") {
            conds.PushBack(Json(c, da), da);
          }
        }
      }
      conds.PushBack(Json(cond, da), da);
      SetMember(st, "conditions", std::move(conds), da);
      auto r = host_.client().Update(kPods, copy.ns, ToJson(doc), "status");
      last = r.status();
      if (r.ok() || !r.status().IsConflict()) break;
    }
    if (!last.ok()) {
      host_.Log(
          kLogDebug, kPlugin,
          "status of " + copy.ns + "/" + copy.name + ": " + last.message());
    }
  });
}

void Scheduler::RecordEvent(const PodInfo& pod, const std::string& type,
                            const std::string& reason,
                            const std::string& message,
                            const std::string& reporter) {
  if (!options_.record_events) return;
  ObjectReference ref;
  ref.api_version = "v1";
  ref.kind = "Pod";
  ref.ns = pod.ns;
  ref.name = pod.name;
  ref.uid = pod.uid;
  ref.resource_version = pod.resource_version;
  host_.RecordEvent(reporter, ref, type, reason, message);
}

}  // namespace berth::scheduler
