// Connect subresources: pods/log, pods/exec, pods/attach and
// pods/portforward as the API server serves them — requests that are not
// stored objects but a stream to something running. A plugin (the node
// agent) registers a ConnectHandler for a resource; the kernel authenticates
// and authorizes the request (the verb is "get" for GET, "create" for POST,
// on "<resource>/<subresource>"), negotiates the protocol kubectl asked for,
// and calls the handler. The kernel knows no resource or subresource by
// name.
//
// A pod may run on a node this process does not serve (a remote `berth
// agent`): its handler says so (ServesLocally), and a ConnectLocator (the
// plugin that knows where objects run) names the node's kubelet endpoint;
// the kernel then proxies the request there, bytes both ways, as
// kube-apiserver proxies to a kubelet.
//
// Thread safety: Open and every session method may be called from many
// request threads at once, one session per request.
#ifndef BERTH_SDK_CONNECT_H_
#define BERTH_SDK_CONNECT_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/admission.h"
#include "berth/client.h"
#include "berth/status.h"
#include "berth/streams.h"

namespace berth {

// How a connect subresource talks to the client.
enum class ConnectProtocol {
  // A plain (chunked) response body: ConnectSession::ServeStream.
  kStream,
  // exec/attach channels: WebSocket v5.channel.k8s.io or v4, or SPDY/3.1
  // with the same channel streams: ConnectSession::ServeExec.
  kExec,
  // port-forward: SPDY/3.1 tunnelled in WebSocket, or plain SPDY/3.1:
  // ConnectSession::ServePortForward.
  kPortForward,
};

struct ConnectSubresource {
  std::string name;  // "exec"
  ConnectProtocol protocol = ConnectProtocol::kStream;
  // For kStream: the response Content-Type.
  std::string content_type = "text/plain";
};

struct ConnectRequest {
  std::string namespace_name;
  std::string name;
  std::string subresource;  // "exec"
  // The query parameters in order; a key may repeat (command=sh&command=-c).
  std::multimap<std::string, std::string> query;
  UserInfo user;

  // The first value of `key`, or nullopt.
  std::optional<std::string> Param(const std::string& key) const {
    auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
  // Every value of `key`, in order.
  std::vector<std::string> Params(const std::string& key) const {
    std::vector<std::string> out;
    auto range = query.equal_range(key);
    for (auto it = range.first; it != range.second; ++it) {
      out.push_back(it->second);
    }
    return out;
  }
};

// How an exec or attach session ended.
struct ExecResult {
  // OK when the command ran; otherwise why it could not (shown by kubectl
  // as "error: <message>").
  Status status;
  // The command's exit code when it ran. Non-zero is reported to kubectl as
  // Kubernetes does ("command terminated with exit code 2").
  int exit_code = 0;
};

// One accepted request. Exactly one Serve method is called, the one that
// matches the subresource's protocol.
class ConnectSession {
 public:
  virtual ~ConnectSession() = default;
  // Writes the response body. A failure after bytes were written ends the
  // stream (the client sees it cut); before, it becomes the error reply.
  virtual Status ServeStream(ResponseStream& out) {
    return Status::MethodNotAllowed("not a streamed subresource");
  }
  virtual ExecResult ServeExec(ExecStreams& streams) {
    return {Status::MethodNotAllowed("not an exec subresource"), 0};
  }
  virtual void ServePortForward(PortForwardSession& session) {}
};

class ConnectHandler {
 public:
  virtual ~ConnectHandler() = default;
  // The resource served ({"", "v1", "pods"}); it must be a kind some plugin
  // provides. Two handlers for the same resource and subresource are a load
  // error.
  virtual ResourceRef Resource() const = 0;
  virtual std::vector<ConnectSubresource> Subresources() const = 0;
  // Checks the request before any protocol upgrade: the object exists, the
  // container is named and running... A failure is the HTTP reply
  // (NotFound 404, BadRequest 400 "container x is not valid for pod y").
  // The caller owns the returned session.
  virtual StatusOr<std::unique_ptr<ConnectSession>> Open(
      const ConnectRequest& request) = 0;
  // Whether the API server of this process should Open `request` itself.
  // False sends it to the resource's ConnectLocator (the object lives on
  // another node, or the handler is reached only through this process's
  // kubelet port); the kubelet port always calls Open. Called after
  // authorization, before Open; must not block for long.
  virtual bool ServesLocally(const ConnectRequest& request) { return true; }
};

// Where a connect request is served when not in this process: a node's
// kubelet API (HTTPS, authenticated with the API server's kubelet-client
// certificate), as kube-apiserver's pod ResourceLocation gives it.
struct ConnectLocation {
  std::string node;  // the node's name, for error messages
  std::string host;  // IP address or DNS name of the node's kubelet API
  int port = 0;
  // The kubelet path and query: "/exec/ns/pod/ctr?command=ls&stdout=true".
  std::string path;
};

// Finds where a connect subresource of a resource is served. A plugin that
// knows where objects run (the core plugin: a pod's spec.nodeName and the
// Node's address and kubelet port) registers one; the kernel asks it for a
// request no local handler serves and proxies the request there.
class ConnectLocator {
 public:
  virtual ~ConnectLocator() = default;
  virtual ResourceRef Resource() const = 0;
  // The subresources located, with the protocol each one speaks (for
  // discovery and the method checks; the proxy carries every protocol).
  virtual std::vector<ConnectSubresource> Subresources() const = 0;
  // The kubelet location of `request`, or the error to reply with:
  // NotFound for a missing object, BadRequest "pod x does not have a host
  // assigned" for one not scheduled yet, BadRequest for a bad container.
  virtual StatusOr<ConnectLocation> Locate(const ConnectRequest& request) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_CONNECT_H_
