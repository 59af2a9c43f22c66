// The wire codecs of connect subresources: WebSocket frames as kubectl's
// client masks and fragments them, SPDY/3.1 frames and header blocks
// (compressed with the SPDY/3 dictionary in one zlib stream per
// direction), and the channel protocol's negotiation, resize and status.
#include <gtest/gtest.h>

#include "berth/json.h"
#include "kernel/api/streams/channel_protocol.h"
#include "kernel/api/streams/spdy_frame.h"
#include "kernel/api/streams/spdy_header_block.h"
#include "kernel/api/streams/websocket_frame.h"

namespace berth::api::streams {
namespace {

const uint8_t kMask[4] = {0x37, 0xfa, 0x21, 0x3d};

TEST(WebSocketFrameTest, AcceptValueIsTheRfcExample) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(WebSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketFrameTest, ParsesAMaskedClientFrame) {
  // RFC 6455 section 5.7: a masked "Hello".
  std::string wire =
      EncodeWebSocketFrame(WsOpcode::kText, "Hello", true, kMask);
  EXPECT_EQ(wire,
            std::string("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11));
  wire += "tail";
  WebSocketFrame f;
  std::string error;
  ASSERT_EQ(ParseWebSocketFrame(wire, true, 1 << 20, &f, &error),
            ParseOutcome::kFrame);
  EXPECT_EQ(f.opcode, WsOpcode::kText);
  EXPECT_TRUE(f.fin);
  EXPECT_EQ(f.payload, "Hello");
  EXPECT_EQ(wire, "tail");
}

TEST(WebSocketFrameTest, ServerFramesAreUnmaskedWithExtendedLengths) {
  for (size_t n : {0u, 125u, 126u, 65535u, 65536u, 200000u}) {
    std::string payload(n, 'x');
    std::string wire = EncodeWebSocketFrame(WsOpcode::kBinary, payload);
    EXPECT_EQ(static_cast<uint8_t>(wire[0]), 0x82);
    EXPECT_EQ(static_cast<uint8_t>(wire[1]) & 0x80, 0) << n;
    WebSocketFrame f;
    std::string error;
    ASSERT_EQ(ParseWebSocketFrame(wire, false, 1 << 20, &f, &error),
              ParseOutcome::kFrame)
        << n;
    EXPECT_EQ(f.payload.size(), n);
    EXPECT_TRUE(wire.empty());
  }
}

TEST(WebSocketFrameTest, IncompleteFramesConsumeNothing) {
  std::string whole = EncodeWebSocketFrame(WsOpcode::kBinary,
                                           std::string(300, 'y'), true, kMask);
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    std::string part = whole.substr(0, cut);
    WebSocketFrame f;
    std::string error;
    ASSERT_EQ(ParseWebSocketFrame(part, true, 1 << 20, &f, &error),
              ParseOutcome::kNeedMore)
        << cut;
    EXPECT_EQ(part.size(), cut);
  }
}

TEST(WebSocketFrameTest, RejectsProtocolViolations) {
  WebSocketFrame f;
  std::string error;
  std::string unmasked = EncodeWebSocketFrame(WsOpcode::kBinary, "a");
  EXPECT_EQ(ParseWebSocketFrame(unmasked, true, 100, &f, &error),
            ParseOutcome::kError);
  std::string long_ping =
      EncodeWebSocketFrame(WsOpcode::kPing, std::string(126, 'p'), true, kMask);
  EXPECT_EQ(ParseWebSocketFrame(long_ping, true, 1000, &f, &error),
            ParseOutcome::kError);
  std::string fragmented_close =
      EncodeWebSocketFrame(WsOpcode::kClose, "", false, kMask);
  EXPECT_EQ(ParseWebSocketFrame(fragmented_close, true, 100, &f, &error),
            ParseOutcome::kError);
  std::string too_big = EncodeWebSocketFrame(
      WsOpcode::kBinary, std::string(101, 'b'), true, kMask);
  EXPECT_EQ(ParseWebSocketFrame(too_big, true, 100, &f, &error),
            ParseOutcome::kError);
  std::string reserved("\x83\x80\0\0\0\0", 6);
  EXPECT_EQ(ParseWebSocketFrame(reserved, true, 100, &f, &error),
            ParseOutcome::kError);
}

TEST(WebSocketFrameTest, FragmentsKeepTheirOpcodes) {
  std::string wire =
      EncodeWebSocketFrame(WsOpcode::kBinary, "ab", false, kMask) +
      EncodeWebSocketFrame(WsOpcode::kPing, "hi", true, kMask) +
      EncodeWebSocketFrame(WsOpcode::kContinuation, "cd", true, kMask);
  std::vector<WebSocketFrame> frames;
  WebSocketFrame f;
  std::string error;
  while (ParseWebSocketFrame(wire, true, 100, &f, &error) ==
         ParseOutcome::kFrame) {
    frames.push_back(f);
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_FALSE(frames[0].fin);
  EXPECT_EQ(frames[1].opcode, WsOpcode::kPing);
  EXPECT_EQ(frames[2].opcode, WsOpcode::kContinuation);
  EXPECT_EQ(frames[0].payload + frames[2].payload, "abcd");
}

TEST(WebSocketFrameTest, ClosePayloadCarriesTheCode) {
  EXPECT_EQ(ClosePayload(1000), std::string("\x03\xe8", 2));
}

TEST(SpdyFrameTest, DataFrameRoundTrip) {
  std::string wire = EncodeSpdyData(3, "payload", true);
  EXPECT_EQ(wire.substr(0, 8), std::string("\0\0\0\x03\x01\0\0\x07", 8));
  SpdyFrame f;
  std::string error;
  ASSERT_EQ(ParseSpdyFrame(wire, 1 << 20, &f, &error), SpdyParse::kFrame);
  EXPECT_FALSE(f.control);
  EXPECT_EQ(f.stream_id, 3u);
  EXPECT_TRUE(f.fin());
  EXPECT_EQ(f.payload, "payload");
}

TEST(SpdyFrameTest, ControlFramesNameTheirStream) {
  std::string wire = EncodeSpdyRstStream(5, kSpdyRstCancel) +
                     EncodeSpdyWindowUpdate(7, 4096) + EncodeSpdyPing(1) +
                     EncodeSpdyGoAway(9, 0);
  EXPECT_EQ(wire.substr(0, 4), std::string("\x80\x03\x00\x03", 4));
  SpdyFrame f;
  std::string error;
  ASSERT_EQ(ParseSpdyFrame(wire, 1 << 20, &f, &error), SpdyParse::kFrame);
  EXPECT_EQ(f.type, kSpdyRstStream);
  EXPECT_EQ(f.stream_id, 5u);
  EXPECT_EQ(SpdyU32(f.payload, 4), kSpdyRstCancel);
  ASSERT_EQ(ParseSpdyFrame(wire, 1 << 20, &f, &error), SpdyParse::kFrame);
  EXPECT_EQ(f.type, kSpdyWindowUpdate);
  EXPECT_EQ(f.stream_id, 7u);
  EXPECT_EQ(SpdyU32(f.payload, 4), 4096u);
  ASSERT_EQ(ParseSpdyFrame(wire, 1 << 20, &f, &error), SpdyParse::kFrame);
  EXPECT_EQ(f.type, kSpdyPing);
  EXPECT_EQ(SpdyU32(f.payload, 0), 1u);
  ASSERT_EQ(ParseSpdyFrame(wire, 1 << 20, &f, &error), SpdyParse::kFrame);
  EXPECT_EQ(f.type, kSpdyGoAway);
  EXPECT_TRUE(wire.empty());
}

TEST(SpdyFrameTest, RejectsOtherVersionsAndTruncatedControlFrames) {
  SpdyFrame f;
  std::string error;
  std::string v2("\x80\x02\x00\x06\x00\x00\x00\x04\0\0\0\x01", 12);
  EXPECT_EQ(ParseSpdyFrame(v2, 1 << 20, &f, &error), SpdyParse::kError);
  std::string short_rst("\x80\x03\x00\x03\x00\x00\x00\x04\0\0\0\x01", 12);
  EXPECT_EQ(ParseSpdyFrame(short_rst, 1 << 20, &f, &error), SpdyParse::kError);
  std::string partial = EncodeSpdyData(1, "abc", false).substr(0, 9);
  EXPECT_EQ(ParseSpdyFrame(partial, 1 << 20, &f, &error), SpdyParse::kNeedMore);
  EXPECT_EQ(partial.size(), 9u);
}

TEST(SpdyHeaderBlockTest, DictionaryIsTheSpdy3One) {
  const std::string& d = SpdyDictionary();
  EXPECT_EQ(d.size(), 1423u);
  EXPECT_EQ(d.substr(0, 11), std::string("\0\0\0\x07options", 11));
  EXPECT_EQ(d.substr(d.size() - 6), "enq=0.");
}

TEST(SpdyHeaderBlockTest, BlocksRoundTripInOneStreamPerDirection) {
  SpdyHeaderCompressor client;
  SpdyHeaderDecompressor server;
  for (int i = 0; i < 20; ++i) {
    SpdyHeaders h = {{"streamtype", i % 2 ? "data" : "error"},
                     {"port", "8080"},
                     {"requestid", std::to_string(i)}};
    std::string block = client.Compress(h);
    auto got = server.Decompress(block);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(*got, h);
  }
  // Names are lowercase on the wire.
  auto got = server.Decompress(client.Compress({{"StreamType", "stdin"}}));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->at("streamtype"), "stdin");
}

TEST(SpdyHeaderBlockTest, ABlockOutOfItsStreamFails) {
  SpdyHeaderCompressor client;
  client.Compress({{"a", "1"}});
  std::string second = client.Compress({{"b", "2"}});
  SpdyHeaderDecompressor fresh;
  EXPECT_FALSE(fresh.Decompress(second).ok());
  EXPECT_FALSE(fresh.Decompress("garbage").ok());
}

TEST(ChannelProtocolTest, NegotiatesTheServersPreference) {
  auto offered =
      SplitProtocols("v4.channel.k8s.io, v3.channel.k8s.io,v5.channel.k8s.io");
  ASSERT_EQ(offered.size(), 3u);
  EXPECT_EQ(NegotiateProtocol(offered, {kChannelV5, kChannelV4}), kChannelV5);
  EXPECT_EQ(NegotiateProtocol({"v4.channel.k8s.io"}, {kChannelV5, kChannelV4}),
            kChannelV4);
  EXPECT_FALSE(NegotiateProtocol({"channel.k8s.io"}, {kChannelV5}));
}

TEST(ChannelProtocolTest, ParsesResize) {
  auto size = ParseResize(R"({"Width":100,"Height":30})");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->first, 100);
  EXPECT_EQ(size->second, 30);
  EXPECT_FALSE(ParseResize("{}"));
  EXPECT_FALSE(ParseResize("not json"));
}

TEST(ChannelProtocolTest, StatusesAreWhatKubectlDecodes) {
  EXPECT_EQ(ExecStatusJson(Status(), 0, {"true"}),
            R"({"metadata":{},"status":"Success"})");
  JsonDoc d;
  d.Parse(ExecStatusJson(Status(), 3, {"sh", "-c", "exit 3"}).c_str());
  EXPECT_EQ(GetString(d, {"status"}), "Failure");
  EXPECT_EQ(GetString(d, {"reason"}), "NonZeroExitCode");
  EXPECT_EQ(GetString(d, {"message"}),
            "command terminated with non-zero exit code: error executing "
            "command [sh -c exit 3], exit code 3");
  const Json& cause = d["details"]["causes"][0];
  EXPECT_EQ(GetString(cause, {"reason"}), "ExitCode");
  EXPECT_EQ(GetString(cause, {"message"}), "3");
  d.Parse(ExecStatusJson(Status::NotFound("no such file"), 0, {"x"}).c_str());
  EXPECT_EQ(GetString(d, {"reason"}), "InternalError");
  EXPECT_EQ(d["code"].GetInt(), 500);
}

}  // namespace
}  // namespace berth::api::streams
