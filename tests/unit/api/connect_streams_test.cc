// The server ends of connect sessions over a real socket pair: the exec
// channels of a WebSocket (demultiplexed into stdin, resizes and the v5
// close signal; stdout, stderr and the final status multiplexed out), a
// SPDY/3.1 session (streams opened by the client and replied to, data both
// ways with FIN, PING echo, WINDOW_UPDATE as data is consumed), and
// port-forward's pairing of error and data streams by requestid.
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "kernel/api/server/connect_sessions.h"
#include "kernel/api/server/duplex_connection.h"
#include "kernel/api/server/spdy_port_forward.h"
#include "kernel/api/server/spdy_session.h"
#include "kernel/api/server/websocket_connection.h"
#include "kernel/api/server/websocket_exec_streams.h"
#include "kernel/api/streams/spdy_frame.h"
#include "kernel/api/streams/spdy_header_block.h"
#include "kernel/api/streams/websocket_frame.h"

namespace berth::api {
namespace {

using namespace streams;  // NOLINT

const uint8_t kMask[4] = {1, 2, 3, 4};

// A connected pair: the server's DuplexConnection and the client's fd.
struct Pair {
  std::unique_ptr<DuplexConnection> server;
  int client = -1;
  ~Pair() {
    if (client >= 0) close(client);
  }
};

void MakePair(Pair* p) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  // A safety net against a hang, not an assertion on speed.
  timeval tv{20, 0};
  setsockopt(fds[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  Poco::Net::StreamSocket s(new Poco::Net::StreamSocketImpl(fds[0]));
  auto conn = DuplexConnection::Adopt(s);
  ASSERT_TRUE(conn.ok());
  p->server = std::move(conn).value();
  p->client = fds[1];
}

void Send(int fd, const std::string& bytes) {
  ASSERT_EQ(write(fd, bytes.data(), bytes.size()),
            static_cast<ssize_t>(bytes.size()));
}

// Reads from `fd` into `buf` until `parse` yields a value.
template <typename Parse>
bool ReadUntil(int fd, std::string& buf, Parse parse) {
  for (;;) {
    if (parse()) return true;
    char tmp[65536];
    ssize_t n = read(fd, tmp, sizeof(tmp));
    if (n <= 0) return false;
    buf.append(tmp, static_cast<size_t>(n));
  }
}

WebSocketFrame ReadWsFrame(int fd, std::string& buf) {
  WebSocketFrame f;
  std::string error;
  EXPECT_TRUE(ReadUntil(fd, buf, [&] {
    return ParseWebSocketFrame(buf, false, 1 << 24, &f, &error) ==
           ParseOutcome::kFrame;
  }));
  return f;
}

std::string Message(uint8_t channel, const std::string& payload) {
  return std::string(1, static_cast<char>(channel)) + payload;
}

TEST(WebSocketExecStreamsTest, DemultiplexesClientChannels) {
  Pair p;
  MakePair(&p);
  WebSocketConnection ws(p.server.get());
  WebSocketExecStreams s(&ws, p.server.get(), /*v5=*/true,
                         {/*in=*/true, /*out=*/true, /*err=*/true, false});
  std::pair<uint16_t, uint16_t> size{0, 0};
  s.OnResize([&size](uint16_t w, uint16_t h) { size = {w, h}; });
  s.Start();
  // Fragmented stdin with a ping in between, then a resize, then v5 close.
  Send(p.client,
       EncodeWebSocketFrame(WsOpcode::kBinary, Message(0, "ab"), false, kMask) +
           EncodeWebSocketFrame(WsOpcode::kPing, "p", true, kMask) +
           EncodeWebSocketFrame(WsOpcode::kContinuation, "c", true, kMask) +
           EncodeWebSocketFrame(WsOpcode::kBinary,
                                Message(4, R"({"Width":80,"Height":24})"), true,
                                kMask) +
           EncodeWebSocketFrame(WsOpcode::kBinary,
                                Message(255, std::string(1, '\0')), true,
                                kMask));
  std::string in;
  while (s.ReadStdin(in)) {
  }
  EXPECT_EQ(in, "abc");
  EXPECT_EQ(size, std::make_pair(uint16_t{80}, uint16_t{24}));

  std::string buf;
  WebSocketFrame pong = ReadWsFrame(p.client, buf);
  EXPECT_EQ(pong.opcode, WsOpcode::kPong);
  EXPECT_EQ(pong.payload, "p");
  ASSERT_TRUE(s.WriteStdout("out"));
  ASSERT_TRUE(s.WriteStderr("err"));
  WebSocketFrame out = ReadWsFrame(p.client, buf);
  EXPECT_EQ(out.opcode, WsOpcode::kBinary);
  EXPECT_EQ(out.payload, Message(1, "out"));
  EXPECT_EQ(ReadWsFrame(p.client, buf).payload, Message(2, "err"));

  std::thread finisher([&s] { s.Finish(R"({"status":"Success"})"); });
  EXPECT_EQ(ReadWsFrame(p.client, buf).payload,
            Message(3, R"({"status":"Success"})"));
  WebSocketFrame close = ReadWsFrame(p.client, buf);
  EXPECT_EQ(close.opcode, WsOpcode::kClose);
  EXPECT_EQ(close.payload, ClosePayload(1000));
  Send(p.client,
       EncodeWebSocketFrame(WsOpcode::kClose, ClosePayload(1000), true, kMask));
  finisher.join();
}

TEST(WebSocketExecStreamsTest, TtyHasNoStderrAndV4HasNoCloseSignal) {
  Pair p;
  MakePair(&p);
  WebSocketConnection ws(p.server.get());
  WebSocketExecStreams s(&ws, p.server.get(), /*v5=*/false,
                         {true, true, true, /*tty=*/true});
  s.Start();
  EXPECT_FALSE(s.has_stderr());
  EXPECT_TRUE(s.WriteStderr("dropped"));
  EXPECT_TRUE(s.WriteStdout("kept"));
  // In v4, [255, 0] is not a close signal; end of input is.
  Send(p.client,
       EncodeWebSocketFrame(WsOpcode::kBinary,
                            Message(255, std::string(1, '\0')), true, kMask) +
           EncodeWebSocketFrame(WsOpcode::kBinary, Message(0, "x"), true,
                                kMask));
  std::string in;
  ASSERT_TRUE(s.ReadStdin(in));
  EXPECT_EQ(in, "x");
  shutdown(p.client, SHUT_WR);
  EXPECT_FALSE(s.ReadStdin(in));
  std::string buf;
  EXPECT_EQ(ReadWsFrame(p.client, buf).payload, Message(1, "kept"));
  s.Finish("{}");
}

// A SPDY client over the pair's client fd.
class SpdyClient {
 public:
  explicit SpdyClient(int fd) : fd_(fd) {}
  void Open(uint32_t id, const SpdyHeaders& h, bool fin = false) {
    Send(fd_, EncodeSpdySynStream(id, out_.Compress(h), fin));
  }
  SpdyFrame Next() {
    SpdyFrame f;
    std::string error;
    EXPECT_TRUE(ReadUntil(fd_, buf_, [&] {
      return ParseSpdyFrame(buf_, 1 << 24, &f, &error) == SpdyParse::kFrame;
    }));
    if (f.control && f.type == kSpdySynReply) {
      EXPECT_TRUE(in_.Decompress(f.HeaderBlock()).ok());
    }
    return f;
  }
  // The next frame that is not a WINDOW_UPDATE, counting their deltas.
  SpdyFrame NextSkippingWindow(uint64_t* stream_delta) {
    for (;;) {
      SpdyFrame f = Next();
      if (!(f.control && f.type == kSpdyWindowUpdate)) return f;
      if (f.stream_id != 0) *stream_delta += SpdyU32(f.payload, 4);
    }
  }

 private:
  int fd_;
  std::string buf_;
  SpdyHeaderCompressor out_;
  SpdyHeaderDecompressor in_;
};

TEST(SpdySessionTest, StreamsOpenedByTheClientCarryDataBothWays) {
  Pair p;
  MakePair(&p);
  auto session = std::make_shared<SpdySession>(p.server.get());
  session->Start();
  SpdyClient client(p.client);
  client.Open(1, {{"streamtype", "stdin"}});
  SpdyFrame reply = client.Next();
  EXPECT_TRUE(reply.control);
  EXPECT_EQ(reply.type, kSpdySynReply);
  EXPECT_EQ(reply.stream_id, 1u);
  auto stream = session->Accept(std::chrono::seconds(20));
  ASSERT_TRUE(stream);
  EXPECT_EQ(stream->Header("streamtype"), "stdin");

  const std::string big(200000, 'z');
  Send(p.client, EncodeSpdyData(1, big.substr(0, 100000), false) +
                     EncodeSpdyPing(7) +
                     EncodeSpdyData(1, big.substr(100000), true));
  std::string got;
  while (stream->Read(&got)) {
  }
  EXPECT_EQ(got, big);

  ASSERT_TRUE(stream->Write("hello"));
  stream->CloseWrite();
  EXPECT_FALSE(stream->Write("after close"));
  uint64_t window = 0;
  std::string data;
  bool fin = false;
  bool pinged = false;
  while (!fin) {
    SpdyFrame f = client.NextSkippingWindow(&window);
    if (f.control) {
      EXPECT_EQ(f.type, kSpdyPing);
      EXPECT_EQ(SpdyU32(f.payload, 0), 7u);
      pinged = true;
      continue;
    }
    EXPECT_EQ(f.stream_id, 1u);
    data += f.payload;
    fin = f.fin();
  }
  EXPECT_TRUE(pinged);
  EXPECT_EQ(data, "hello");
  // Every byte the server consumed was handed back to the client's window.
  EXPECT_EQ(window, big.size());
  session->End();
  EXPECT_TRUE(session->ended());
}

TEST(SpdySessionTest, ClientResetEndsTheStreamAndCloseEndsTheSession) {
  Pair p;
  MakePair(&p);
  auto session = std::make_shared<SpdySession>(p.server.get());
  session->Start();
  SpdyClient client(p.client);
  client.Open(1, {{"streamtype", "data"}});
  auto stream = session->Accept(std::chrono::seconds(20));
  ASSERT_TRUE(stream);
  Send(p.client, EncodeSpdyRstStream(1, kSpdyRstCancel));
  std::string got;
  EXPECT_FALSE(stream->Read(&got));
  shutdown(p.client, SHUT_WR);
  EXPECT_TRUE(session->WaitEnded(std::chrono::seconds(20)));
  EXPECT_EQ(session->Accept(std::chrono::seconds(0)), nullptr);
  session->End();
}

TEST(SpdyPortForwardTest, PairsErrorAndDataStreamsByRequestId) {
  Pair p;
  MakePair(&p);
  auto session = std::make_shared<SpdySession>(p.server.get());
  session->Start();
  SpdyClient client(p.client);
  // Two connections whose streams interleave.
  client.Open(1,
              {{"streamtype", "error"}, {"port", "8080"}, {"requestid", "0"}},
              /*fin=*/true);
  client.Open(
      3, {{"streamtype", "error"}, {"port", "9090"}, {"requestid", "1"}}, true);
  client.Open(5,
              {{"streamtype", "data"}, {"port", "9090"}, {"requestid", "1"}});
  client.Open(7,
              {{"streamtype", "data"}, {"port", "8080"}, {"requestid", "0"}});
  SpdyPortForwardSession forward(session);
  auto first = forward.Accept();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->port(), 9090);
  auto second = forward.Accept();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->port(), 8080);
  second->WriteError("refused");
  second->Close();
  // Replies for the four streams, then the error text and FINs for 1 and 7.
  std::string error_text;
  int fins = 0;
  uint64_t window = 0;
  while (fins < 2) {
    SpdyFrame f = client.NextSkippingWindow(&window);
    if (f.control) continue;
    if (f.stream_id == 1) error_text += f.payload;
    if (f.fin()) ++fins;
  }
  EXPECT_EQ(error_text, "refused");
  shutdown(p.client, SHUT_WR);
  EXPECT_EQ(forward.Accept(), nullptr);
  session->End();
}

TEST(ConnectSessionsTest, StopAllEndsRunningSessionsAndRefusesNewOnes) {
  ConnectSessions sessions;
  Pair a, b;
  MakePair(&a);
  MakePair(&b);
  std::atomic<int> ended{0};
  // Sessions that wait for input that never comes, like a quiet follower.
  auto wait_for_input = [&ended](DuplexConnection& conn) {
    std::string in;
    while (conn.Read(&in)) {
    }
    ++ended;
  };
  ASSERT_TRUE(sessions.Start(std::move(a.server), wait_for_input));
  ASSERT_TRUE(sessions.Start(std::move(b.server), wait_for_input));
  // The caller's thread is free at once; the session echoes on its own.
  Pair c;
  MakePair(&c);
  ASSERT_TRUE(sessions.Start(std::move(c.server), [](DuplexConnection& conn) {
    std::string in;
    if (conn.Read(&in)) conn.Write(in);
  }));
  Send(c.client, "ping");
  char buf[4];
  ASSERT_EQ(read(c.client, buf, 4), 4);
  EXPECT_EQ(std::string(buf, 4), "ping");
  sessions.StopAll();
  EXPECT_EQ(ended, 2);
  EXPECT_EQ(sessions.active(), 0u);
  Pair d;
  MakePair(&d);
  EXPECT_FALSE(sessions.Start(std::move(d.server), wait_for_input));
}

}  // namespace
}  // namespace berth::api
