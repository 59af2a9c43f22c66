#include "probes/http_get.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

namespace berth::node {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxBody = 10 * 1024;
constexpr int kMaxRedirects = 10;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string JoinHostPort(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) {
    return "[" + host + "]:" + std::to_string(port);
  }
  return host + ":" + std::to_string(port);
}

std::string UrlOf(const HttpGetRequest& r) {
  std::string path = r.path.empty() ? "/" : r.path;
  if (path[0] != '/') path = "/" + path;
  return Lower(r.scheme) + "://" + JoinHostPort(r.host, r.port) + path;
}

std::string DeadlineError(const std::string& url) {
  return "Get \"" + url +
         "\": context deadline exceeded (Client.Timeout exceeded while "
         "awaiting headers)";
}

struct Hop {
  int status = 0;
  std::string location;
  std::string body;
};

// One request of the chain. Throws Poco exceptions on transport errors.
Hop SendOnce(const Poco::URI& uri, const HttpGetRequest& req,
             std::chrono::milliseconds left) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (uri.getScheme() == "https") {
    // Probes do not verify certificates (the kubelet's
    // InsecureSkipVerify).
    static Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                               Poco::Net::Context::VERIFY_NONE);
    session = std::make_unique<Poco::Net::HTTPSClientSession>(
        uri.getHost(), uri.getPort(), context);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(),
                                                             uri.getPort());
  }
  const Poco::Timespan t(std::max<int64_t>(left.count(), 1) * 1000);
  session->setTimeout(t, t, t);
  session->setKeepAlive(false);
  std::string target = uri.getPathEtc();
  if (target.empty()) target = "/";
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("User-Agent", kProbeUserAgent);
  request.set("Accept", "*/*");
  request.set("Connection", "close");
  for (const auto& [name, value] : req.headers) {
    if (Lower(name) == "host") {
      request.setHost(value);
    } else {
      request.set(name, value);
    }
  }
  session->sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session->receiveResponse(response);
  Hop hop;
  hop.status = static_cast<int>(response.getStatus());
  hop.location = response.get("Location", "");
  char buf[4096];
  while (hop.body.size() < kMaxBody && in) {
    in.read(buf, static_cast<std::streamsize>(
                     std::min(sizeof buf, kMaxBody - hop.body.size())));
    hop.body.append(buf, static_cast<size_t>(in.gcount()));
    if (in.gcount() == 0) break;
  }
  return hop;
}

}  // namespace

StatusOr<HttpGetResponse> DoHttpGet(const HttpGetRequest& request) {
  const auto deadline = Clock::now() + request.timeout;
  std::string url = UrlOf(request);
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("parse \"" + url + "\": " + e.displayText());
  }
  const std::string first_host = uri.getHost();
  for (int redirects = 0;; ++redirects) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return Status::Unavailable(DeadlineError(url));
    Hop hop;
    try {
      hop = SendOnce(uri, request, left);
    } catch (const Poco::Net::ConnectionRefusedException&) {
      return Status::Unavailable("Get \"" + url + "\": dial tcp " +
                                 JoinHostPort(uri.getHost(), uri.getPort()) +
                                 ": connect: connection refused");
    } catch (const Poco::TimeoutException&) {
      return Status::Unavailable(DeadlineError(url));
    } catch (const Poco::Exception& e) {
      return Status::Unavailable("Get \"" + url + "\": " + e.displayText());
    } catch (const std::exception& e) {
      return Status::Unavailable("Get \"" + url + "\": " + e.what());
    }
    const bool redirect = hop.status == 301 || hop.status == 302 ||
                          hop.status == 303 || hop.status == 307 ||
                          hop.status == 308;
    if (!redirect || hop.location.empty()) {
      return HttpGetResponse{hop.status, std::move(hop.body), false};
    }
    Poco::URI next;
    try {
      next = Poco::URI(uri, hop.location);
    } catch (const Poco::Exception& e) {
      return Status::Unavailable("Get \"" + url + "\": failed to parse " +
                                 "Location header \"" + hop.location +
                                 "\": " + e.displayText());
    }
    // Only redirects to the same host are followed (the kubelet's
    // RedirectChecker with followNonLocalRedirects false).
    if (next.getHost() != first_host) {
      return HttpGetResponse{hop.status, std::move(hop.body), true};
    }
    url = next.toString();
    if (redirects + 1 >= kMaxRedirects) {
      return Status::Unavailable("Get \"" + url +
                                 "\": stopped after 10 redirects");
    }
    uri = next;
  }
}

ProbeOutcome DoHttpProbe(const HttpGetRequest& request) {
  auto response = DoHttpGet(request);
  if (!response.ok()) {
    return {ProbeResult::kFailure, response.status().message(), false};
  }
  const int code = response->status_code;
  if (code >= 200 && code < 400) {
    if (code >= 300) {
      return {ProbeResult::kSuccess,
              "Probe terminated redirects, Response body: " + response->body,
              true};
    }
    return {ProbeResult::kSuccess, response->body, false};
  }
  return {ProbeResult::kFailure,
          "HTTP probe failed with statuscode: " + std::to_string(code), false};
}

ProbeOutcome DoTcpProbe(const std::string& host, int port,
                        std::chrono::milliseconds timeout) {
  const std::string addr = JoinHostPort(host, port);
  auto fail = [&](const std::string& why) {
    return ProbeOutcome{ProbeResult::kFailure, "dial tcp " + addr + ": " + why,
                        false};
  };
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port_text = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), port_text.c_str(), &hints, &res);
      rc != 0 || !res) {
    return fail("lookup " + host + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  int fd =
      socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(std::string("socket: ") + std::strerror(errno));
  int err = 0;
  if (connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      err = errno;
    } else {
      pollfd p{fd, POLLOUT, 0};
      int n;
      do {
        n = poll(&p, 1, static_cast<int>(timeout.count()));
      } while (n < 0 && errno == EINTR);
      if (n == 0) {
        close(fd);
        return fail("i/o timeout");
      }
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    }
  }
  close(fd);
  if (err != 0) {
    std::string text = std::strerror(err);
    if (!text.empty()) text[0] = static_cast<char>(std::tolower(text[0]));
    return fail("connect: " + text);
  }
  return {ProbeResult::kSuccess, "", false};
}

}  // namespace berth::node
