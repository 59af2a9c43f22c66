#include "kernel/client/reply_status.h"

#include "berth/json.h"

namespace berth::client {
namespace {

using Code = Status::Code;

// Every code, so a reason string or an HTTP status maps back by search.
constexpr Code kAllCodes[] = {Code::kBadRequest,
                              Code::kUnauthorized,
                              Code::kForbidden,
                              Code::kNotFound,
                              Code::kMethodNotAllowed,
                              Code::kNotAcceptable,
                              Code::kAlreadyExists,
                              Code::kConflict,
                              Code::kGone,
                              Code::kUnsupportedMediaType,
                              Code::kInvalid,
                              Code::kTooManyRequests,
                              Code::kInternal,
                              Code::kUnavailable,
                              Code::kTimeout};

Code CodeOfHttp(int http_code) {
  // 409 is Conflict unless the reason says AlreadyExists; 410's reason is
  // "Expired" but "Gone" is what older servers send.
  for (Code c : kAllCodes) {
    if (HttpCode(c) == http_code && c != Code::kAlreadyExists) return c;
  }
  if (http_code >= 500) return Code::kInternal;
  return Code::kBadRequest;
}

Code CodeOf(const std::string& reason, int http_code) {
  for (Code c : kAllCodes) {
    if (reason == StatusReason(c)) return c;
  }
  if (reason == "Gone") return Code::kGone;
  return CodeOfHttp(http_code);
}

}  // namespace

Status StatusFromReply(int http_code, const std::string& body) {
  if (http_code >= 200 && http_code < 300) return Status::Ok();
  JsonDoc d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject() ||
      GetString(d, {"kind"}) != "Status") {
    std::string text = body.empty() ? "the server responded with HTTP " +
                                          std::to_string(http_code)
                                    : body;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    return Status(CodeOfHttp(http_code), text);
  }
  int code = static_cast<int>(GetInt(d, {"code"}, http_code));
  Status s(CodeOf(GetString(d, {"reason"}), code), GetString(d, {"message"}));
  const Json* causes = Find(d, {"details", "causes"});
  if (causes && causes->IsArray()) {
    std::vector<FieldCause> out;
    for (const auto& c : causes->GetArray()) {
      out.push_back({GetString(c, {"reason"}), GetString(c, {"field"}),
                     GetString(c, {"message"})});
    }
    s.set_causes(std::move(out));
  }
  return s;
}

}  // namespace berth::client
