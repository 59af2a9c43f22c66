// AttachFrames: the framing on a shim's attach socket (<dir>/attach.sock).
// Every message is a frame: one type byte, a 4-byte big-endian length, then
// the payload. The shim sends the container's output (kStdout, kStderr) to
// every attached client; a client sends kStdin data for the container's
// stdin and kCloseStdin to end it (with stdinOnce the first client's
// departure ends it too), and kResize for a tty container's terminal.
//
// Thread safety: free functions; the caller serializes writes on a socket.
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_ATTACH_FRAMES_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_ATTACH_FRAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::runtime {

inline constexpr char kAttachSocket[] = "attach.sock";

enum class FrameType : uint8_t {
  kStdin = 0,
  kStdout = 1,
  kStderr = 2,
  kCloseStdin = 3,
  kResize = 4,  // payload: columns then rows, 2 bytes each, big-endian
};

// Writes one frame; false when the peer is gone.
bool WriteFrame(int fd, FrameType type, std::string_view payload);
// Reads one frame (blocking); false at end of stream or on a bad frame.
bool ReadFrame(int fd, FrameType& type, std::string& payload);

// Appends complete frames' worth of `data` to `buffer` and pops the frames
// it now holds, calling fn(type, payload) for each (for poll loops).
template <typename F>
void PopFrames(std::string& buffer, F fn) {
  while (buffer.size() >= 5) {
    uint32_t len = (uint32_t(uint8_t(buffer[1])) << 24) |
                   (uint32_t(uint8_t(buffer[2])) << 16) |
                   (uint32_t(uint8_t(buffer[3])) << 8) | uint8_t(buffer[4]);
    if (buffer.size() < 5 + size_t(len)) return;
    fn(static_cast<FrameType>(buffer[0]),
       std::string_view(buffer).substr(5, len));
    buffer.erase(0, 5 + size_t(len));
  }
}

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_ATTACH_FRAMES_H_
