// HTTP GET for probes and lifecycle hooks, with the kubelet's rules
// (pkg/probe/http): HTTP/1.1, "User-Agent: kube-probe/<version>" and
// "Accept: */*" unless httpHeaders set them, httpHeaders "Host" sets the
// Host header, no keep-alive, no TLS verification for https, redirects
// followed only to the same host and at most 10 times, the body read up to
// 10 KiB. Transport errors use Go's words so messages match the kubelet's:
// `Get "http://10.0.0.5:8080/healthz": dial tcp 10.0.0.5:8080: connect:
// connection refused`, `... context deadline exceeded (Client.Timeout
// exceeded while awaiting headers)`.
//
// Thread safety: pure function; blocks for at most `timeout` (per request
// in a redirect chain, as a Go client's deadline is per chain: the whole
// chain is bounded by `timeout`).
#ifndef BERTH_PLUGINS_NODE_PROBES_HTTP_GET_H_
#define BERTH_PLUGINS_NODE_PROBES_HTTP_GET_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "berth/status.h"
#include "probes/probe_result.h"

namespace berth::node {

inline constexpr char kProbeUserAgent[] = "kube-probe/1.30";

struct HttpGetRequest {
  std::string scheme = "HTTP";  // "HTTP" or "HTTPS"
  std::string host;             // IP or name to connect to
  int port = 80;
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{1000};
};

struct HttpGetResponse {
  int status_code = 0;
  std::string body;  // at most 10 KiB
  // The last response was a redirect the client did not follow (another
  // host).
  bool redirect_not_followed = false;
};

// Sends the request. Unavailable with the Go-style message above when no
// response arrived (refused, timed out, too many redirects, bad URL).
StatusOr<HttpGetResponse> DoHttpGet(const HttpGetRequest& request);

// The probe verdict for a request: 2xx success, 3xx not followed a warning
// ("Probe terminated redirects, Response body: <body>"), other codes
// failure ("HTTP probe failed with statuscode: 500"), transport errors
// failure with the error text.
ProbeOutcome DoHttpProbe(const HttpGetRequest& request);

// TCP connect probe: success when a connection opens within `timeout`,
// else failure "dial tcp 10.0.0.5:80: connect: connection refused" or
// "dial tcp 10.0.0.5:80: i/o timeout".
ProbeOutcome DoTcpProbe(const std::string& host, int port,
                        std::chrono::milliseconds timeout);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_HTTP_GET_H_
