// NodeServer: a `berth server` the pod benchmark measures, with core, auth,
// storage, workloads and scheduler, and with `node` also oci, cni and the
// node agent, its files under the run's directory. It runs in a session of
// its own, so a Ctrl-C on the bench's terminal does not stop it before its
// pods are deleted. Finish tears a node down in order however the run
// ends: the pods deleted (and their disappearance timed), SIGTERM, then
// what is left of the node counted, reported and removed.
//
// Thread safety: one thread drives a NodeServer; endpoint() may be shared.
#ifndef BERTH_BENCH_PODS_NODE_SERVER_H_
#define BERTH_BENCH_PODS_NODE_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "bench/api/berth_process.h"
#include "berth/status.h"

namespace berth::bench {

// The pods the bench makes, all in this collection.
inline constexpr char kBenchPods[] = "/api/v1/namespaces/default/pods";

struct NodeServerConfig {
  std::string berth;  // the `berth` binary
  std::string runtime = "runc";
  std::string log_level = "warn";
  std::string node_name = "bench";
};

class NodeServer {
 public:
  // Starts `<berth> server` with data dir <dir>/<name> (log <dir>/<name>.log)
  // and waits for /readyz. Unavailable with the log's tail when it does not
  // get ready.
  static StatusOr<std::unique_ptr<NodeServer>> Start(
      const NodeServerConfig& config, const std::string& dir,
      const std::string& name, bool node);
  // Finish, if not done.
  ~NodeServer();
  NodeServer(const NodeServer&) = delete;
  NodeServer& operator=(const NodeServer&) = delete;

  pid_t pid() const { return process_->pid(); }
  const Endpoint& endpoint() const { return process_->endpoint(); }
  // Whether the Node is registered, has its pod CIDR and says Ready.
  bool NodeReady() const;

  // Deletes the pods and waits (up to 180 s) until none is listed, stops
  // the server, and for a node counts and removes what is left under the
  // run's directory, printing each step's figure on stdout (and keeping
  // the server's log in /tmp when something went wrong). True when every
  // step went cleanly and nothing was left. Idempotent.
  bool Finish();

 private:
  NodeServer(NodeServerConfig config, std::string dir, std::string name,
             bool node, std::unique_ptr<BerthProcess> process)
      : config_(std::move(config)),
        dir_(std::move(dir)),
        name_(std::move(name)),
        node_(node),
        process_(std::move(process)) {}

  NodeServerConfig config_;
  std::string dir_;
  std::string name_;
  bool node_;
  std::unique_ptr<BerthProcess> process_;
  bool clean_ = true;
};

// How many pods kBenchPods lists; -1 when the list fails.
int PodCount(HttpsConnection& c);

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_NODE_SERVER_H_
