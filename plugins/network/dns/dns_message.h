// DnsMessage: a DNS message (RFC 1035) as plain values, and its wire codec:
// names decompressed on parse, owner names compressed on write, EDNS0's
// OPT record (RFC 6891) read into edns_udp_size and written back from it.
// Resource data stays in wire form; the Rdata helpers build it for the
// record types cluster DNS answers with.
//
// Thread safety: plain values and pure functions.
#ifndef BERTH_PLUGINS_NETWORK_DNS_DNS_MESSAGE_H_
#define BERTH_PLUGINS_NETWORK_DNS_DNS_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/status.h"

namespace berth::dns {

constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeNs = 2;
constexpr uint16_t kTypeCname = 5;
constexpr uint16_t kTypeSoa = 6;
constexpr uint16_t kTypePtr = 12;
constexpr uint16_t kTypeTxt = 16;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kTypeSrv = 33;
constexpr uint16_t kTypeOpt = 41;
constexpr uint16_t kTypeAny = 255;
constexpr uint16_t kClassIn = 1;

constexpr uint8_t kRcodeNoError = 0;
constexpr uint8_t kRcodeFormErr = 1;
constexpr uint8_t kRcodeServFail = 2;
constexpr uint8_t kRcodeNxDomain = 3;
constexpr uint8_t kRcodeNotImp = 4;
constexpr uint8_t kRcodeRefused = 5;

// The UDP payload a client without EDNS0 accepts (RFC 1035 4.2.1).
constexpr size_t kClassicUdpSize = 512;
// What this server says it accepts over UDP in its own OPT record.
constexpr uint16_t kServerUdpSize = 1232;

struct DnsQuestion {
  std::string name;  // dotted, without the trailing dot; "" is the root
  uint16_t type = kTypeA;
  uint16_t klass = kClassIn;
};

struct DnsRecord {
  std::string name;  // as DnsQuestion::name
  uint16_t type = kTypeA;
  uint16_t klass = kClassIn;
  uint32_t ttl = 0;
  std::string rdata;  // wire form, names in it uncompressed
};

struct DnsMessage {
  uint16_t id = 0;
  bool response = false;             // QR
  uint8_t opcode = 0;                // 0 is QUERY
  bool authoritative = false;        // AA
  bool truncated = false;            // TC
  bool recursion_desired = false;    // RD
  bool recursion_available = false;  // RA
  uint8_t rcode = kRcodeNoError;     // the low 4 bits on the wire
  std::vector<DnsQuestion> questions;
  std::vector<DnsRecord> answers;
  std::vector<DnsRecord> authority;
  std::vector<DnsRecord> additional;  // without the OPT record
  // The OPT record's UDP payload size; nullopt when the message has none.
  std::optional<uint16_t> edns_udp_size;
};

// Parses a whole message. Invalid (with a reason) for truncated input,
// compression loops, pointers forward, labels over 63 bytes or names over
// 255. A record's rdata is copied as it is on the wire (so compressed
// names inside it are only meaningful with the original message).
StatusOr<DnsMessage> ParseDnsMessage(std::string_view wire);

// Encodes `m`. When the result would exceed `max_size` bytes the answer,
// authority and additional records that do not fit are left out and TC is
// set (the client retries over TCP); the question and the OPT record are
// always kept. max_size 0 means no limit (TCP, up to 65535).
std::string SerializeDnsMessage(const DnsMessage& m, size_t max_size = 0);

// The UDP payload size a reply to `query` may use: its EDNS0 size (at
// least 512, at most 65535), else 512.
size_t MaxUdpReplySize(const DnsMessage& query);

// Name comparison is case-insensitive (RFC 4343): the lowercase form.
std::string LowerName(std::string_view name);

// The resource data of one record type, in wire form.
std::string ARdata(uint32_t ipv4_host_order);
std::string AaaaRdata(const uint8_t (&ipv6)[16]);
std::string NameRdata(std::string_view name);  // CNAME, PTR, NS
std::string SrvRdata(uint16_t priority, uint16_t weight, uint16_t port,
                     std::string_view target);
std::string SoaRdata(std::string_view mname, std::string_view rname,
                     uint32_t serial, uint32_t refresh, uint32_t retry,
                     uint32_t expire, uint32_t minimum);

// A name encoded in wire form without compression; an empty string when a
// label is longer than 63 bytes or the name longer than 255.
std::string EncodeName(std::string_view name);

// Reads the name at `*offset` of `wire` (following compression pointers)
// and moves *offset past it. Invalid as ParseDnsMessage says.
StatusOr<std::string> ReadName(std::string_view wire, size_t* offset);

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_DNS_MESSAGE_H_
