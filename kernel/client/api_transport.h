// ApiTransport: HTTP(S) requests to one Kubernetes API server with the
// credentials of a kubeconfig, over a small pool of keep-alive connections.
// It is the layer under RemoteClient, and what the `berth` CLI uses for the
// requests the SDK client has no method for (server-side apply patches,
// Table GETs): any method, path, content type and Accept header.
//
// Thread safety: Send and OpenSession may be called from any thread
// concurrently. Each call takes an idle connection from the pool (or opens
// a new one), so concurrent callers do not wait for each other; at most
// `max_idle` connections are kept open between calls.
#ifndef BERTH_KERNEL_CLIENT_API_TRANSPORT_H_
#define BERTH_KERNEL_CLIENT_API_TRANSPORT_H_

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "berth/status.h"
#include "kernel/api/tls/kubeconfig.h"

namespace berth::client {

struct ApiRequest {
  std::string method = "GET";
  std::string path;          // "/api/v1/namespaces/default/pods?limit=5"
  std::string content_type;  // of `body`; "" when there is none
  std::string body;
  std::string accept = "application/json";

  // A request without a body: GET, DELETE.
  static ApiRequest Bodiless(std::string method, std::string path,
                             std::string accept = "application/json") {
    ApiRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.accept = std::move(accept);
    return r;
  }
  // A request carrying `body` of `content_type`: POST, PUT, PATCH.
  static ApiRequest WithBody(std::string method, std::string path,
                             std::string content_type, std::string body) {
    ApiRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
  }
};

struct ApiReply {
  int http_code = 0;
  std::string content_type;
  std::string body;
};

class ApiTransport {
 public:
  // BadRequest when the server URL is not http(s)://host[:port], or when the
  // credentials do not make a TLS context (see MakeClientContextFromPem).
  static StatusOr<std::unique_ptr<ApiTransport>> Create(
      const tls::KubeconfigCredentials& credentials, size_t max_idle = 4);

  ApiTransport(const ApiTransport&) = delete;
  ApiTransport& operator=(const ApiTransport&) = delete;

  // Sends one request and reads the whole reply. Every HTTP status is a
  // reply; Unavailable (naming the server and the socket or TLS error) when
  // no reply came. A request that fails on a reused keep-alive connection
  // (the server may have closed it while idle) is retried once on a new one.
  StatusOr<ApiReply> Send(const ApiRequest& request);

  // Send, then StatusFromReply for non-2xx: the body on success.
  StatusOr<std::string> Call(const ApiRequest& request);

  // A new connection outside the pool, for a long-lived stream (watch);
  // the caller owns it. Prepare() adds the credentials to its requests.
  std::unique_ptr<Poco::Net::HTTPClientSession> OpenSession() const;
  // Adds Authorization (bearer token) and User-Agent.
  void Prepare(Poco::Net::HTTPRequest* request) const;

  const std::string& server_url() const { return server_url_; }

 private:
  ApiTransport() = default;

  std::unique_ptr<Poco::Net::HTTPClientSession> Acquire(bool* reused);
  void Release(std::unique_ptr<Poco::Net::HTTPClientSession> session);

  std::string server_url_;
  std::string host_;
  uint16_t port_ = 0;
  bool https_ = true;
  std::string token_;
  Poco::Net::Context::Ptr context_;
  size_t max_idle_ = 4;

  std::mutex mu_;
  std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle_;  // mu_
};

}  // namespace berth::client

#endif  // BERTH_KERNEL_CLIENT_API_TRANSPORT_H_
