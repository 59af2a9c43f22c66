#include "bench/pods/node_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "bench/pods/node_leftovers.h"
#include "bench/pods/progress.h"
#include "berth/json.h"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;

bool Ok(const StatusOr<HttpResponse>& r) {
  return r.ok() && r->status >= 200 && r->status < 300;
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// A script that runs `berth` in a session of its own. setsid keeps the pid
// when its caller leads no process group, so the pid the bench measures is
// the server's.
std::string ServerWrapper(const std::string& dir, const std::string& berth) {
  const std::string path = dir + "/berth-server.sh";
  std::ofstream(path) << "#!/bin/sh\nexec setsid " << berth << " \"$@\"\n";
  chmod(path.c_str(), 0755);
  return path;
}

std::string WriteConfig(const NodeServerConfig& c, const std::string& dir,
                        const std::string& name, bool node) {
  const std::string path = dir + "/" + name + ".yaml";
  std::ofstream out(path);
  out << "plugins:\n  - core\n  - auth\n  - storage\n  - workloads\n"
      << "  - scheduler\n";
  if (node) {
    out << "  - name: oci\n    settings: {root: " << dir
        << "/oci, imageRoot: " << dir << "/images}\n"
        << "  - name: cni\n    settings: {cacheDir: " << dir << "/cni}\n"
        << "  - name: node\n    settings: {nodeName: " << c.node_name
        << ", runtime: " << c.runtime << ", network: cni, rootDir: " << dir
        << "/node}\n";
  }
  return path;
}

}  // namespace

int PodCount(HttpsConnection& c) {
  auto r = c.Request("GET", kBenchPods);
  if (!Ok(r)) return -1;
  auto doc = ParseJson(r->body);
  if (!doc.ok()) return -1;
  const Json* items = Member(*doc, "items");
  return items && items->IsArray() ? static_cast<int>(items->Size()) : -1;
}

StatusOr<std::unique_ptr<NodeServer>> NodeServer::Start(
    const NodeServerConfig& config, const std::string& dir,
    const std::string& name, bool node) {
  auto process =
      BerthProcess::Start(ServerWrapper(dir, config.berth), dir + "/" + name,
                          {"--config", WriteConfig(config, dir, name, node),
                           "--log-level", config.log_level});
  if (!process.ok()) return process.status();
  return std::unique_ptr<NodeServer>(
      new NodeServer(config, dir, name, node, std::move(process).value()));
}

NodeServer::~NodeServer() { Finish(); }

bool NodeServer::NodeReady() const {
  auto c = endpoint().NewConnection();
  auto r = c->Request("GET", "/api/v1/nodes/" + config_.node_name);
  if (!Ok(r)) return false;
  auto doc = ParseJson(r->body);
  if (!doc.ok() || GetString(*doc, {"spec", "podCIDR"}).empty()) return false;
  const Json* conds = Find(*doc, {"status", "conditions"});
  if (!conds || !conds->IsArray()) return false;
  for (const auto& cond : conds->GetArray()) {
    if (GetString(cond, {"type"}) == "Ready") {
      return GetString(cond, {"status"}) == "True";
    }
  }
  return false;
}

bool NodeServer::Finish() {
  if (!process_) return clean_;
  auto c = endpoint().NewConnection();
  const int pods = PodCount(*c);
  if (pods > 0) {
    Progress("deleting " + std::to_string(pods) + " pods");
    const auto start = Clock::now();
    auto r = c->Request("DELETE", kBenchPods);
    if (!Ok(r)) Progress("the DELETE of the pods failed");
    int left = pods;
    int unanswered = 0;
    while (Clock::now() - start < std::chrono::seconds(180)) {
      const int now = PodCount(*c);
      if (now >= 0) {
        left = now;
        unanswered = 0;
      } else if (++unanswered == 20) {
        Progress("the server stopped answering the pod list");
        break;
      }
      if (left == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (left == 0) {
      std::printf(
          "%d pods deleted: the list was empty %.1f s after the "
          "DELETE\n",
          pods, Seconds(Clock::now() - start));
    } else {
      std::printf(
          "pod deletion: %d of %d pods still listed %.1f s after "
          "the DELETE\n",
          left, pods, Seconds(Clock::now() - start));
      clean_ = false;
    }
  }
  c.reset();
  const int code = process_->Stop();
  process_.reset();
  if (code != 0) {
    std::printf("server exit code after SIGTERM: %d\n", code);
    clean_ = false;
  }
  if (node_) {
    const Leftovers found = RemoveLeftovers(dir_);
    const Leftovers after = CountLeftovers(dir_);
    std::printf("left on the machine after the server stopped: %s%s\n",
                found.none() ? "nothing" : found.ToString().c_str(),
                found.none() ? ""
                : after.none()
                    ? " (removed by the bench)"
                    : (" (not removable: " + after.ToString() + ")").c_str());
    if (!found.none()) clean_ = false;
  }
  if (!clean_) {
    // The run's directory goes at exit: keep the server's log for a look.
    const std::string kept = "/tmp/pod_start_bench." +
                             std::to_string(getpid()) + "." + name_ + ".log";
    std::error_code ec;
    std::filesystem::copy_file(
        dir_ + "/" + name_ + ".log", kept,
        std::filesystem::copy_options::overwrite_existing, ec);
    if (!ec) std::printf("server log kept in %s\n", kept.c_str());
  }
  std::fflush(stdout);
  return clean_;
}

}  // namespace berth::bench
