// RestHandler: serves one HTTP request against an ApiContext — the routing
// and the wire format of every verb (status codes, list and Table shapes,
// watch streaming, Warning headers, metav1.Status errors).
//
// Thread safety: one instance per request, on one thread; the ApiContext
// it reads is shared and thread-safe.
#ifndef BERTH_KERNEL_API_SERVER_REST_HANDLER_H_
#define BERTH_KERNEL_API_SERVER_REST_HANDLER_H_

#include <Poco/Net/HTTPRequestHandler.h>

#include "kernel/api/server/api_server.h"

namespace berth::api {

class RestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RestHandler(ApiContext* ctx) : ctx_(ctx) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  ApiContext* ctx_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_REST_HANDLER_H_
