// EchoLogHandler: a test ConnectHandler serving pods/log as one line saying
// what it was asked: "<user> <ns>/<name>/<container> <k=v&...>" (the query
// without container); a pod named "missing" is NotFound.
//
// Thread safety: stateless.
#ifndef BERTH_TESTS_UNIT_API_ECHO_LOG_HANDLER_H_
#define BERTH_TESTS_UNIT_API_ECHO_LOG_HANDLER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "berth/connect.h"

namespace berth::api {

class EchoLogHandler : public ConnectHandler {
 public:
  ResourceRef Resource() const override { return {"", "v1", "pods"}; }
  std::vector<ConnectSubresource> Subresources() const override {
    return {{"log", ConnectProtocol::kStream, "text/plain"}};
  }
  StatusOr<std::unique_ptr<ConnectSession>> Open(
      const ConnectRequest& req) override {
    if (req.name == "missing") {
      return Status::NotFound("pods \"missing\" not found");
    }
    std::string query;
    for (const auto& [k, v] : req.query) {
      if (k != "container") query += (query.empty() ? "" : "&") + k + "=" + v;
    }
    return std::unique_ptr<ConnectSession>(
        new Session(req.user.name + " " + req.namespace_name + "/" + req.name +
                    "/" + req.Param("container").value_or("") + " " + query));
  }

 private:
  class Session : public ConnectSession {
   public:
    explicit Session(std::string text) : text_(std::move(text)) {}
    Status ServeStream(ResponseStream& out) override {
      out.Write(text_);
      return {};
    }

   private:
    std::string text_;
  };
};

}  // namespace berth::api

#endif  // BERTH_TESTS_UNIT_API_ECHO_LOG_HANDLER_H_
