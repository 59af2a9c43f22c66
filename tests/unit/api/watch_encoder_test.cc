#include "kernel/api/server/watch_encoder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "berth/kind.h"
#include "kernel/store/store.h"

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

class ConfigMapKind : public Kind {
 public:
  ConfigMapKind() {
    info_.version = "v1";
    info_.kind = "ConfigMap";
    info_.plural = "configmaps";
  }
  const KindInfo& Info() const override { return info_; }

 private:
  KindInfo info_;
};

// One chunk per event, the object as stored; its bytes are made once and
// every stream's encoder appends the same ones.
TEST(WatchEncoderTest, PlainEventIsEncodedOnceForAllStreams) {
  ConfigMapKind kind;
  store::Object obj;
  obj.key = "/registry/configmaps/default/a";
  obj.data = std::make_shared<const std::string>("{\"kind\":\"ConfigMap\"}");
  const store::SharedEvent ev(
      store::Event{store::Event::Type::kModified, obj, 7});
  const std::string line =
      "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\"}}\n";
  std::string expected;
  AppendChunk(line, &expected);

  WatchEncoder first(kind, false, IncludeObject::kMetadata);
  WatchEncoder second(kind, false, IncludeObject::kMetadata);
  std::string a = "head";
  std::string b;
  first.AppendEvent(ev, &a);
  second.AppendEvent(ev, &b);
  EXPECT_EQ(a, "head" + expected);
  EXPECT_EQ(b, expected);
  // Cached on the event: a later request for its bytes does not encode.
  EXPECT_EQ(ev.Encoded([](const store::Event&) { return std::string("x"); }),
            expected);
}

TEST(WatchEncoderTest, ErrorLineCarriesTheStatus) {
  std::string line = WatchErrorLine(Status::Gone("too old resource version"));
  EXPECT_EQ(line.rfind("{\"type\":\"ERROR\",\"object\":{", 0), 0u) << line;
  EXPECT_NE(line.find("\"code\":410"), std::string::npos) << line;
  EXPECT_EQ(line.back(), '\n');
}

}  // namespace
}  // namespace berth::api
