// field_manager_bench [ITERATIONS]: the cost the field manager adds to a
// write of a 2 KB running Pod: recording an Update that changes one status
// field, recording a no-op update, and a server-side apply of the Pod's
// spec that changes nothing. Single thread, in memory.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "kernel/api/apply/field_manager.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kPod[] =
    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4b9c-abcde",)"
    R"("namespace":"default","labels":{"app":"web","pod-template-hash":)"
    R"("7d4b9c"},"ownerReferences":[{"apiVersion":"apps/v1","kind":)"
    R"("ReplicaSet","name":"web-7d4b9c","uid":"u1","controller":true,)"
    R"("blockOwnerDeletion":true}]},"spec":{"containers":[{"name":"nginx",)"
    R"("image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],)"
    R"("env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],)"
    R"("resources":{},"terminationMessagePath":"/dev/termination-log",)"
    R"("terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],)"
    R"("restartPolicy":"Always","terminationGracePeriodSeconds":30,)"
    R"("dnsPolicy":"ClusterFirst","serviceAccountName":"default",)"
    R"("nodeName":"n1","schedulerName":"default-scheduler","tolerations":)"
    R"([{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":)"
    R"("NoExecute","tolerationSeconds":300}]},"status":{"phase":"Running",)"
    R"("conditions":[{"type":"Ready","status":"True"}],"podIP":"10.0.0.5",)"
    R"("containerStatuses":[{"name":"nginx","ready":true,"restartCount":0,)"
    R"("image":"nginx:1.25"}]}})";

berth::apply::WriteContext Context(const std::string& manager) {
  berth::apply::WriteContext ctx;
  ctx.manager = manager;
  ctx.api_version = "v1";
  ctx.now = "2026-11-22T00:00:00Z";
  ctx.merge_key = [](const std::string& p) -> std::optional<std::string> {
    if (p == "spec.containers" || p == "spec.containers.env" ||
        p == "status.containerStatuses") {
      return "name";
    }
    if (p == "spec.containers.ports") return "containerPort";
    if (p == "status.conditions") return "type";
    return std::nullopt;
  };
  return ctx;
}

template <typename F>
double MicrosPerOp(int n, F&& f) {
  auto start = Clock::now();
  for (int i = 0; i < n; ++i) f(i);
  return std::chrono::duration<double, std::micro>(Clock::now() - start)
             .count() /
         n;
}

}  // namespace

int main(int argc, char** argv) {
  using berth::JsonDoc;
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  JsonDoc live;
  live.Parse(kPod);
  berth::apply::RecordUpdate(nullptr, live, live.GetAllocator(),
                             Context("berth"));
  JsonDoc config;
  config.Parse(kPod);
  config.RemoveMember("status");
  auto applied =
      berth::apply::ApplyConfig(live, config, Context("kubectl"), false);
  if (!applied.ok()) {
    std::fprintf(stderr, "%s\n", applied.status().ToString().c_str());
    return 1;
  }
  live.CopyFrom(*applied, live.GetAllocator());

  const double copy = MicrosPerOp(n, [&](int) {
    JsonDoc next;
    next.CopyFrom(live, next.GetAllocator());
  });
  const double update = MicrosPerOp(n, [&](int i) {
    JsonDoc next;
    next.CopyFrom(live, next.GetAllocator());
    next["status"]["podIP"].SetString(std::to_string(i).c_str(),
                                      next.GetAllocator());
    berth::apply::RecordUpdate(&live, next, next.GetAllocator(),
                               Context("berth"));
  });
  const double noop = MicrosPerOp(n, [&](int) {
    JsonDoc next;
    next.CopyFrom(live, next.GetAllocator());
    berth::apply::RecordUpdate(&live, next, next.GetAllocator(),
                               Context("berth"));
  });
  const double apply = MicrosPerOp(n / 4, [&](int) {
    auto r = berth::apply::ApplyConfig(live, config, Context("kubectl"), false);
    if (!r.ok()) std::abort();
  });
  std::printf("object copy (baseline)        %6.1f us\n", copy);
  std::printf("update, one status field      %6.1f us (incl. copy)\n", update);
  std::printf("update that changes nothing   %6.1f us (incl. copy)\n", noop);
  std::printf("apply of the unchanged spec   %6.1f us\n", apply);
  return 0;
}
