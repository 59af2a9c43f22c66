#include "probes/probe_worker.h"

namespace berth::node {
namespace {

int IntOr(const Json& probe, const char* key, int fallback, int min) {
  const int64_t v = GetInt(probe, {key}, fallback);
  return static_cast<int>(v < min ? fallback : v);
}

}  // namespace

ProbeSpec ProbeSpec::FromJson(const Json& probe) {
  ProbeSpec s;
  s.initial_delay_seconds = IntOr(probe, "initialDelaySeconds", 0, 0);
  s.period_seconds = IntOr(probe, "periodSeconds", 10, 1);
  s.timeout_seconds = IntOr(probe, "timeoutSeconds", 1, 1);
  s.success_threshold = IntOr(probe, "successThreshold", 1, 1);
  s.failure_threshold = IntOr(probe, "failureThreshold", 3, 1);
  return s;
}

ProbeWorker::ProbeWorker(ProbeType type, const Json& probe,
                         const Json& container, bool restart_never,
                         const Prober& prober, Timer& timer, StateFn state,
                         ResultFn on_result, EventFn on_event)
    : type_(type),
      restart_never_(restart_never),
      spec_(ProbeSpec::FromJson(probe)),
      prober_(prober),
      timer_(timer),
      state_(std::move(state)),
      on_result_(std::move(on_result)),
      on_event_(std::move(on_event)) {
  probe_.CopyFrom(probe, probe_.GetAllocator());
  container_.CopyFrom(container, container_.GetAllocator());
}

ProbeWorker::~ProbeWorker() { Stop(); }

std::optional<ProbeResult> ProbeWorker::last_reported() const {
  std::lock_guard<std::mutex> l(mu_);
  return reported_;
}

void ProbeWorker::Report(ProbeResult result) {
  {
    std::lock_guard<std::mutex> l(mu_);
    // Like the kubelet's results manager: only a change is news.
    if (reported_ == result && reported_for_ == container_id_) return;
    reported_ = result;
    reported_for_ = container_id_;
  }
  if (on_result_) on_result_(type_, container_id_, result);
}

bool ProbeWorker::Step() {
  std::optional<ProbedContainer> c = state_ ? state_() : std::nullopt;
  if (!c) return false;  // the pod is gone
  if (!c->running) {
    if (!container_id_.empty()) Report(ProbeResult::kFailure);
    // A terminated container of a pod that never restarts is done.
    return !c->terminated || !restart_never_;
  }
  if (c->container_id != container_id_) {
    container_id_ = c->container_id;
    last_result_.reset();
    result_run_ = 0;
    on_hold_ = false;
    // Readiness starts not ready, liveness alive, startup unknown (not
    // started, but no reason to restart either).
    Report(type_ == ProbeType::kLiveness    ? ProbeResult::kSuccess
           : type_ == ProbeType::kReadiness ? ProbeResult::kFailure
                                            : ProbeResult::kUnknown);
  }
  if (on_hold_) return true;
  if (timer_.Now() - c->started_at <
      std::chrono::seconds(spec_.initial_delay_seconds)) {
    return true;
  }
  if (c->started) {
    if (type_ == ProbeType::kStartup) return true;
  } else if (type_ != ProbeType::kStartup) {
    return true;  // liveness and readiness wait for the startup probe
  }

  ProbeTarget target = c->target;
  if (target.container_id.empty()) target.container_id = c->container_id;
  const ProbeOutcome outcome = prober_.Run(probe_, container_, target);
  const ProbeEvent event = EventFor(type_, outcome);
  if (!event.message.empty() && on_event_) on_event_(event);
  if (outcome.result == ProbeResult::kUnknown) return true;  // thrown away

  const ProbeResult result = outcome.result;
  if (last_result_ == result) {
    ++result_run_;
  } else {
    last_result_ = result;
    result_run_ = 1;
  }
  if ((result == ProbeResult::kFailure &&
       result_run_ < spec_.failure_threshold) ||
      (result == ProbeResult::kSuccess &&
       result_run_ < spec_.success_threshold)) {
    return true;  // below the threshold: nothing changes yet
  }
  Report(result);
  if (result == ProbeResult::kFailure &&
      (type_ == ProbeType::kLiveness || type_ == ProbeType::kStartup)) {
    // The agent restarts the container; wait for the new one.
    on_hold_ = true;
    result_run_ = 0;
  }
  return true;
}

void ProbeWorker::ScheduleNext(std::chrono::milliseconds delay) {
  task_ = timer_.Schedule(delay, [this] {
    const bool again = Step();
    std::lock_guard<std::mutex> l(mu_);
    if (again && !stopped_) {
      ScheduleNext(std::chrono::seconds(spec_.period_seconds));
    } else {
      stopped_ = true;
    }
  });
}

void ProbeWorker::Start() {
  std::lock_guard<std::mutex> l(mu_);
  if (!stopped_) return;
  stopped_ = false;
  ScheduleNext(std::chrono::milliseconds(0));
}

void ProbeWorker::Stop() {
  Timer::TaskId task;
  {
    std::lock_guard<std::mutex> l(mu_);
    stopped_ = true;
    task = task_;
  }
  if (task != 0) timer_.Cancel(task);
}

}  // namespace berth::node
