#include "kernel/api/server/watch_encoder.h"

#include <gtest/gtest.h>

#include <string>

namespace berth::api {
namespace {

// The fan-out frames chunks itself; clients (Go's net/http) reject a wrong
// size line and read an empty chunk as the end of the watch.
TEST(WatchEncoderTest, ChunkFraming) {
  std::string out;
  AppendChunk("abc", &out);
  EXPECT_EQ(out, "3\r\nabc\r\n");
  AppendChunk("", &out);
  EXPECT_EQ(out, "3\r\nabc\r\n");
  out.clear();
  AppendChunk(std::string(300, 'x'), &out);
  EXPECT_EQ(out.substr(0, 5), "12c\r\n");
  EXPECT_EQ(out.size(), 5u + 300u + 2u);
  EXPECT_EQ(kLastChunk, "0\r\n\r\n");
}

TEST(WatchEncoderTest, ErrorLineCarriesTheStatus) {
  std::string line = WatchErrorLine(Status::Gone("too old resource version"));
  EXPECT_EQ(line.rfind("{\"type\":\"ERROR\",\"object\":{", 0), 0u) << line;
  EXPECT_NE(line.find("\"code\":410"), std::string::npos) << line;
  EXPECT_EQ(line.back(), '\n');
}

}  // namespace
}  // namespace berth::api
