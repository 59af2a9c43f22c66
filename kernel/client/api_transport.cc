#include "kernel/client/api_transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "kernel/api/tls/server_context.h"
#include "kernel/client/reply_status.h"

namespace berth::client {
namespace {

// Long enough for a slow write under load; a watch uses its own session.
constexpr int kRequestTimeoutSeconds = 60;

}  // namespace

StatusOr<std::unique_ptr<ApiTransport>> ApiTransport::Create(
    const tls::KubeconfigCredentials& credentials, size_t max_idle) {
  std::unique_ptr<ApiTransport> t(new ApiTransport());
  try {
    Poco::URI uri(credentials.server_url);
    if ((uri.getScheme() != "https" && uri.getScheme() != "http") ||
        uri.getHost().empty()) {
      return Status::BadRequest("server URL \"" + credentials.server_url +
                                "\" is not http(s)://host[:port]");
    }
    t->https_ = uri.getScheme() == "https";
    t->host_ = uri.getHost();
    t->port_ = uri.getPort();
  } catch (const Poco::Exception& e) {
    return Status::BadRequest("server URL \"" + credentials.server_url +
                              "\": " + e.displayText());
  }
  t->server_url_ = credentials.server_url;
  t->token_ = credentials.token;
  t->max_idle_ = max_idle;
  if (t->https_) {
    auto ctx = tls::MakeClientContextFromPem(
        credentials.ca_pem, credentials.client_cert_pem,
        credentials.client_key_pem, credentials.insecure_skip_verify);
    if (!ctx.ok()) return ctx.status();
    t->context_ = *ctx;
  }
  return t;
}

std::unique_ptr<Poco::Net::HTTPClientSession> ApiTransport::OpenSession()
    const {
  std::unique_ptr<Poco::Net::HTTPClientSession> s;
  if (https_) {
    s = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, context_);
  } else {
    s = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  }
  s->setKeepAlive(true);
  s->setTimeout(Poco::Timespan(kRequestTimeoutSeconds, 0));
  return s;
}

void ApiTransport::Prepare(Poco::Net::HTTPRequest* request) const {
  request->set("User-Agent", "berth");
  if (!token_.empty()) request->set("Authorization", "Bearer " + token_);
}

std::unique_ptr<Poco::Net::HTTPClientSession> ApiTransport::Acquire(
    bool* reused) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      *reused = true;
      return s;
    }
  }
  *reused = false;
  return OpenSession();
}

void ApiTransport::Release(
    std::unique_ptr<Poco::Net::HTTPClientSession> session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(session));
}

StatusOr<ApiReply> ApiTransport::Send(const ApiRequest& request) {
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    bool sent = false;
    auto session = Acquire(&reused);
    try {
      Poco::Net::HTTPRequest req(request.method, request.path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      Prepare(&req);
      req.set("Accept", request.accept);
      if (!request.content_type.empty()) {
        req.setContentType(request.content_type);
      }
      if (!request.body.empty() || request.method == "POST" ||
          request.method == "PUT" || request.method == "PATCH") {
        req.setContentLength(static_cast<std::streamsize>(request.body.size()));
      }
      std::ostream& out = session->sendRequest(req);
      out << request.body;
      sent = true;
      Poco::Net::HTTPResponse resp;
      std::istream& in = session->receiveResponse(resp);
      ApiReply reply;
      reply.http_code = static_cast<int>(resp.getStatus());
      reply.content_type = resp.getContentType();
      Poco::StreamCopier::copyToString(in, reply.body);
      if (resp.getKeepAlive()) Release(std::move(session));
      return reply;
    } catch (const Poco::Exception& e) {
      // A pooled connection the server closed while idle fails on first
      // use, either while sending or with no reply at all; the server never
      // handled the request, so one retry on a new connection is safe.
      // Other failures are retried only for methods that may be repeated.
      bool stale = !sent ||
                   dynamic_cast<const Poco::Net::NoMessageException*>(&e) ||
                   request.method == "GET" || request.method == "PUT" ||
                   request.method == "DELETE";
      if (reused && attempt == 0 && stale) continue;
      return Status::Unavailable("cannot reach the server at " + server_url_ +
                                 ": " + e.displayText());
    }
  }
}

StatusOr<std::string> ApiTransport::Call(const ApiRequest& request) {
  auto reply = Send(request);
  if (!reply.ok()) return reply.status();
  Status s = StatusFromReply(reply->http_code, reply->body);
  if (!s.ok()) return s;
  return std::move(reply->body);
}

}  // namespace berth::client
