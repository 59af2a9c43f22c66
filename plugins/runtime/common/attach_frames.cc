#include "attach_frames.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace berth::runtime {
namespace {

bool WriteAllFd(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool ReadAllFd(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

bool WriteFrame(int fd, FrameType type, std::string_view payload) {
  char header[5];
  uint32_t len = static_cast<uint32_t>(payload.size());
  header[0] = static_cast<char>(type);
  header[1] = static_cast<char>(len >> 24);
  header[2] = static_cast<char>(len >> 16);
  header[3] = static_cast<char>(len >> 8);
  header[4] = static_cast<char>(len);
  return WriteAllFd(fd, header, 5) &&
         WriteAllFd(fd, payload.data(), payload.size());
}

bool ReadFrame(int fd, FrameType& type, std::string& payload) {
  char header[5];
  if (!ReadAllFd(fd, header, 5)) return false;
  uint32_t len = (uint32_t(uint8_t(header[1])) << 24) |
                 (uint32_t(uint8_t(header[2])) << 16) |
                 (uint32_t(uint8_t(header[3])) << 8) | uint8_t(header[4]);
  if (len > (64u << 20)) return false;
  type = static_cast<FrameType>(header[0]);
  payload.resize(len);
  return ReadAllFd(fd, payload.data(), len);
}

}  // namespace berth::runtime
