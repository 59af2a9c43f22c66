// The Kubernetes remote-command channel protocol that exec and attach speak
// (k8s.io/apimachinery/pkg/util/remotecommand, kubelet's streaming server):
// protocol names and their negotiation, the WebSocket channel numbers, the
// SPDY stream types, the terminal-resize message and the metav1.Status that
// reports how the command ended (v4 and later).
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_STREAMS_CHANNEL_PROTOCOL_H_
#define BERTH_KERNEL_API_STREAMS_CHANNEL_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/status.h"

namespace berth::api::streams {

inline constexpr char kChannelV5[] = "v5.channel.k8s.io";
inline constexpr char kChannelV4[] = "v4.channel.k8s.io";
inline constexpr char kPortForwardProtocol[] = "portforward.k8s.io";
// The WebSocket subprotocol of a SPDY session tunnelled in WebSocket.
inline constexpr char kSpdyTunnelPortForward[] = "SPDY/3.1+portforward.k8s.io";

// WebSocket channels: the first byte of every binary message.
enum Channel : uint8_t {
  kChannelStdin = 0,
  kChannelStdout = 1,
  kChannelStderr = 2,
  kChannelError = 3,
  kChannelResize = 4,
  // v5 only: [255, channel] closes `channel` (stdin EOF).
  kChannelClose = 255,
};

// SPDY stream types (the "streamtype" header).
inline constexpr char kStreamTypeError[] = "error";
inline constexpr char kStreamTypeStdin[] = "stdin";
inline constexpr char kStreamTypeStdout[] = "stdout";
inline constexpr char kStreamTypeStderr[] = "stderr";
inline constexpr char kStreamTypeResize[] = "resize";
inline constexpr char kStreamTypeData[] = "data";

// Splits a comma-separated header value ("a, b,c") into its items.
std::vector<std::string> SplitProtocols(std::string_view header);

// The first of `supported` (in the server's order of preference) that the
// client `offered`; nullopt when none is.
std::optional<std::string> NegotiateProtocol(
    const std::vector<std::string>& offered,
    const std::vector<std::string>& supported);

// The metav1.Status (v4 format) reporting how a command ended: Success; a
// NonZeroExitCode Failure whose ExitCode cause kubectl turns into its exit
// code; or an InternalError when the command could not run. `command` is
// the argv, for the message kubelet writes.
std::string ExecStatusJson(const Status& status, int exit_code,
                           const std::vector<std::string>& command);

// {"Width":100,"Height":30} -> {100, 30}; nullopt when malformed.
std::optional<std::pair<uint16_t, uint16_t>> ParseResize(std::string_view json);

}  // namespace berth::api::streams

#endif  // BERTH_KERNEL_API_STREAMS_CHANNEL_PROTOCOL_H_
