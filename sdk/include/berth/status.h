// Status: the outcome of an operation that can fail, and StatusOr<T>: a value
// or the Status saying why there is none. Used across every module and plugin
// boundary instead of exceptions. The codes are the Kubernetes API error
// reasons, so a Status maps one-to-one onto a metav1.Status reply.
//
// Thread safety: values; safe to copy between threads, not to mutate one
// instance from two threads at once.
#ifndef BERTH_SDK_STATUS_H_
#define BERTH_SDK_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berth {

// One invalid field, as in a metav1.Status `details.causes` entry.
// reason: "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported",
// "FieldValueDuplicate", "FieldValueForbidden", "FieldValueTooLong".
// field: dotted path with indexes, e.g. "spec.containers[0].image".
// message: the error body, e.g. "Required value" or
// "Invalid value: \"Foo\": must be lowercase".
struct FieldCause {
  std::string reason;
  std::string field;
  std::string message;
};

class Status {
 public:
  enum class Code {
    kOk = 0,
    kBadRequest,            // 400 BadRequest
    kUnauthorized,          // 401 Unauthorized
    kForbidden,             // 403 Forbidden
    kNotFound,              // 404 NotFound
    kMethodNotAllowed,      // 405 MethodNotAllowed
    kNotAcceptable,         // 406 NotAcceptable
    kAlreadyExists,         // 409 AlreadyExists
    kConflict,              // 409 Conflict
    kGone,                  // 410 Expired (revision compacted)
    kUnsupportedMediaType,  // 415 UnsupportedMediaType
    kInvalid,               // 422 Invalid (with field causes)
    kTooManyRequests,       // 429 TooManyRequests
    kInternal,              // 500 InternalError
    kUnavailable,           // 503 ServiceUnavailable
    kTimeout,               // 504 Timeout
  };

  Status() = default;
  Status(Code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status BadRequest(std::string m) {
    return {Code::kBadRequest, std::move(m)};
  }
  static Status Unauthorized(std::string m) {
    return {Code::kUnauthorized, std::move(m)};
  }
  static Status Forbidden(std::string m) {
    return {Code::kForbidden, std::move(m)};
  }
  static Status NotFound(std::string m) {
    return {Code::kNotFound, std::move(m)};
  }
  static Status MethodNotAllowed(std::string m) {
    return {Code::kMethodNotAllowed, std::move(m)};
  }
  static Status AlreadyExists(std::string m) {
    return {Code::kAlreadyExists, std::move(m)};
  }
  static Status Conflict(std::string m) {
    return {Code::kConflict, std::move(m)};
  }
  static Status Gone(std::string m) { return {Code::kGone, std::move(m)}; }
  static Status UnsupportedMediaType(std::string m) {
    return {Code::kUnsupportedMediaType, std::move(m)};
  }
  static Status Invalid(std::string m, std::vector<FieldCause> causes = {}) {
    Status s(Code::kInvalid, std::move(m));
    s.causes_ = std::move(causes);
    return s;
  }
  static Status Internal(std::string m) {
    return {Code::kInternal, std::move(m)};
  }
  static Status Unavailable(std::string m) {
    return {Code::kUnavailable, std::move(m)};
  }
  static Status Timeout(std::string m) {
    return {Code::kTimeout, std::move(m)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldCause>& causes() const { return causes_; }
  void set_causes(std::vector<FieldCause> c) { causes_ = std::move(c); }

  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsAlreadyExists() const { return code_ == Code::kAlreadyExists; }
  bool IsConflict() const { return code_ == Code::kConflict; }

  // "NotFound: pods \"x\" not found" — for logs, not for API replies.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::vector<FieldCause> causes_;
};

// The Kubernetes `reason` string for a code ("NotFound", "Invalid", ...).
const char* StatusReason(Status::Code code);
// The HTTP status for a code (404, 422, ...).
int HttpCode(Status::Code code);

inline const char* StatusReason(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "";
    case Status::Code::kBadRequest:
      return "BadRequest";
    case Status::Code::kUnauthorized:
      return "Unauthorized";
    case Status::Code::kForbidden:
      return "Forbidden";
    case Status::Code::kNotFound:
      return "NotFound";
    case Status::Code::kMethodNotAllowed:
      return "MethodNotAllowed";
    case Status::Code::kNotAcceptable:
      return "NotAcceptable";
    case Status::Code::kAlreadyExists:
      return "AlreadyExists";
    case Status::Code::kConflict:
      return "Conflict";
    case Status::Code::kGone:
      return "Expired";
    case Status::Code::kUnsupportedMediaType:
      return "UnsupportedMediaType";
    case Status::Code::kInvalid:
      return "Invalid";
    case Status::Code::kTooManyRequests:
      return "TooManyRequests";
    case Status::Code::kInternal:
      return "InternalError";
    case Status::Code::kUnavailable:
      return "ServiceUnavailable";
    case Status::Code::kTimeout:
      return "Timeout";
  }
  return "Unknown";
}

inline int HttpCode(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kBadRequest:
      return 400;
    case Status::Code::kUnauthorized:
      return 401;
    case Status::Code::kForbidden:
      return 403;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kMethodNotAllowed:
      return 405;
    case Status::Code::kNotAcceptable:
      return 406;
    case Status::Code::kAlreadyExists:
      return 409;
    case Status::Code::kConflict:
      return 409;
    case Status::Code::kGone:
      return 410;
    case Status::Code::kUnsupportedMediaType:
      return 415;
    case Status::Code::kInvalid:
      return 422;
    case Status::Code::kTooManyRequests:
      return 429;
    case Status::Code::kInternal:
      return 500;
    case Status::Code::kUnavailable:
      return 503;
    case Status::Code::kTimeout:
      return 504;
  }
  return 500;
}

inline std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusReason(code_)) + ": " + message_;
}

// A value of type T, or the Status explaining its absence.
template <typename T>
class StatusOr {
 public:
  StatusOr(const T& value) : value_(value) {}  // NOLINT: implicit by design
  StatusOr(T&& value) : value_(std::move(value)) {}       // NOLINT
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "StatusOr built from an OK status has no value");
    if (status_.ok()) status_ = Status::Internal("StatusOr without a value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace berth

#endif  // BERTH_SDK_STATUS_H_
