// Reply status mapping: turns an API server's error reply (an HTTP status
// and, usually, a metav1.Status body) back into the berth::Status the server
// started from, so a remote caller sees the same code, message and field
// causes an in-process caller would.
//
// Thread safety: a pure function.
#ifndef BERTH_KERNEL_CLIENT_REPLY_STATUS_H_
#define BERTH_KERNEL_CLIENT_REPLY_STATUS_H_

#include <string>

#include "berth/status.h"

namespace berth::client {

// OK for 2xx. Otherwise the Status whose code is the body's `reason` (or,
// when the body is not a metav1.Status, the HTTP code's usual reason), with
// the body's `message` (or the body text itself) and its `details.causes`.
Status StatusFromReply(int http_code, const std::string& body);

}  // namespace berth::client

#endif  // BERTH_KERNEL_CLIENT_REPLY_STATUS_H_
