#include "pods_connect.h"

#include <algorithm>
#include <thread>

#include "berth/json.h"
#include "logs/log_reader.h"
#include "pod_spec.h"

namespace berth::node {
namespace {

const ResourceRef kPods{"", "v1", "pods"};

bool BoolParam(const ConnectRequest& r, const char* key) {
  auto v = r.Param(key);
  return v && (*v == "true" || *v == "1");
}

// Newest first: the containers of `uid` named `name`.
std::vector<ContainerStatus> Containers(ContainerRuntime& rt,
                                        const std::string& uid,
                                        const std::string& name) {
  std::vector<ContainerStatus> out;
  auto list = rt.ListContainers();
  if (!list.ok()) return out;
  for (auto& c : *list) {
    auto u = c.labels.find(kPodUidLabel);
    auto n = c.labels.find(kContainerNameLabel);
    if (u == c.labels.end() || u->second != uid) continue;
    if ((n == c.labels.end() ? c.name : n->second) != name) continue;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.attempt > b.attempt; });
  return out;
}

class LogSession : public ConnectSession {
 public:
  LogSession(ContainerRuntime* rt, std::string container_id, std::string path,
             LogOptions opts)
      : rt_(rt),
        container_id_(std::move(container_id)),
        path_(std::move(path)),
        opts_(std::move(opts)) {}

  Status ServeStream(ResponseStream& out) override {
    FollowControl follow;
    follow.container_running = [rt = rt_, id = container_id_] {
      auto st = rt->GetContainerStatus(id);
      return st.ok() && st->state == ContainerState::kRunning;
    };
    return ReadLogs(path_, opts_, out, follow);
  }

 private:
  ContainerRuntime* rt_;
  std::string container_id_;
  std::string path_;
  LogOptions opts_;
};

class ExecSession : public ConnectSession {
 public:
  ExecSession(ContainerRuntime* rt, std::string id,
              std::vector<std::string> command, bool attach)
      : rt_(rt),
        id_(std::move(id)),
        command_(std::move(command)),
        attach_(attach) {}

  ExecResult ServeExec(ExecStreams& streams) override {
    if (attach_) return {rt_->Attach(id_, streams), 0};
    auto code = rt_->Exec(id_, command_, streams);
    if (!code.ok()) return {code.status(), 0};
    return {Status(), *code};
  }

 private:
  ContainerRuntime* rt_;
  std::string id_;
  std::vector<std::string> command_;
  bool attach_;
};

class PortForwardSessionImpl : public ConnectSession {
 public:
  PortForwardSessionImpl(ContainerRuntime* rt, std::string sandbox_id)
      : rt_(rt), sandbox_id_(std::move(sandbox_id)) {}

  void ServePortForward(PortForwardSession& session) override {
    std::vector<std::thread> conns;
    while (auto stream = session.Accept()) {
      conns.emplace_back(
          [this, s = std::shared_ptr<PortForwardStream>(std::move(stream))] {
            Status st = rt_->PortForward(sandbox_id_, *s);
            if (!st.ok()) s->WriteError(st.message());
            s->Close();
          });
    }
    for (auto& t : conns) t.join();
  }

 private:
  ContainerRuntime* rt_;
  std::string sandbox_id_;
};

}  // namespace

std::vector<ConnectSubresource> PodsConnectHandler::Subresources() const {
  return {{"log", ConnectProtocol::kStream, "text/plain"},
          {"exec", ConnectProtocol::kExec, ""},
          {"attach", ConnectProtocol::kExec, ""},
          {"portforward", ConnectProtocol::kPortForward, ""}};
}

bool PodsConnectHandler::ServesLocally(const ConnectRequest& req) {
  if (!deps_.serve_locally) return false;
  auto got = deps_.client->Get(kPods, req.namespace_name, req.name);
  // Open reports what went wrong.
  if (!got.ok()) return true;
  auto doc = ParseJson(*got);
  if (!doc.ok()) return true;
  return GetString(*doc, {"spec", "nodeName"}) == deps_.node_name;
}

StatusOr<std::unique_ptr<ConnectSession>> PodsConnectHandler::Open(
    const ConnectRequest& req) {
  auto got = deps_.client->Get(kPods, req.namespace_name, req.name);
  if (!got.ok()) return got.status();
  auto doc = ParseJson(*got);
  if (!doc.ok()) return doc.status();
  const Json& pod = *doc;
  const std::string node = GetString(pod, {"spec", "nodeName"});
  const std::string pod_ref = "pod " + req.namespace_name + "/" + req.name;
  if (node.empty()) {
    return Status::BadRequest(pod_ref + " is not scheduled to a node yet");
  }
  if (node != deps_.node_name) {
    return Status::BadRequest(pod_ref + " runs on node " + node +
                              "; this server's node agent serves only node " +
                              deps_.node_name);
  }
  const std::string uid = GetString(pod, {"metadata", "uid"});
  std::string sandbox_id;
  ContainerRuntime* rt =
      deps_.runtime_of ? deps_.runtime_of(uid, &sandbox_id) : nullptr;
  if (req.subresource == "portforward") {
    if (!rt || sandbox_id.empty()) {
      return Status::BadRequest(pod_ref + " has no running sandbox on node " +
                                node);
    }
    return std::unique_ptr<ConnectSession>(
        new PortForwardSessionImpl(rt, sandbox_id));
  }
  std::string container = req.Param("container").value_or("");
  if (container.empty()) {
    container = GetString(pod, {"metadata", "annotations",
                                "kubectl.kubernetes.io/default-container"});
  }
  const Json* specs = Find(pod, {"spec", "containers"});
  if (container.empty() && specs && specs->IsArray() && !specs->Empty()) {
    if (specs->Size() > 1 && req.subresource != "log") {
      return Status::BadRequest("a container name must be specified for " +
                                pod_ref);
    }
    container = GetString((*specs)[0], {"name"});
  }
  if (!FindContainerSpec(pod, container, nullptr)) {
    return Status::BadRequest("container " + container +
                              " is not valid for pod " + req.name);
  }
  if (!rt) {
    return Status::BadRequest("container \"" + container + "\" in pod \"" +
                              req.name +
                              "\" is waiting to start: " + "ContainerCreating");
  }
  auto list = Containers(*rt, uid, container);
  if (req.subresource == "log") {
    const bool previous = BoolParam(req, "previous");
    const size_t index = previous ? 1 : 0;
    if (list.size() <= index) {
      if (previous) {
        return Status::BadRequest("previous terminated container \"" +
                                  container + "\" in pod \"" + req.name +
                                  "\" not found");
      }
      return Status::BadRequest(
          "container \"" + container + "\" in pod \"" + req.name +
          "\" is waiting to start: " + "ContainerCreating");
    }
    const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto opts = LogOptionsFromRequest(req, now_ns);
    if (!opts.ok()) return opts.status();
    if (previous) opts->follow = false;
    return std::unique_ptr<ConnectSession>(new LogSession(
        rt, list[index].id, list[index].log_path, std::move(opts).value()));
  }
  if (list.empty() || list[0].state != ContainerState::kRunning) {
    return Status::BadRequest("container " + container + " in pod " + req.name +
                              " is not running");
  }
  if (req.subresource == "exec") {
    auto command = req.Params("command");
    if (command.empty()) {
      return Status::BadRequest(
          "you must specify at least one command for "
          "the container");
    }
    return std::unique_ptr<ConnectSession>(
        new ExecSession(rt, list[0].id, std::move(command), false));
  }
  if (req.subresource == "attach") {
    return std::unique_ptr<ConnectSession>(
        new ExecSession(rt, list[0].id, {}, true));
  }
  return Status::NotFound("pods/" + req.subresource + " is not served");
}

}  // namespace berth::node
