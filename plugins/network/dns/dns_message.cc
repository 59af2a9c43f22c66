#include "dns_message.h"

#include <algorithm>
#include <unordered_map>

namespace berth::dns {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxName = 255;

void Put16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xff));
}

void Put32(std::string* out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v >> 16));
  Put16(out, static_cast<uint16_t>(v & 0xffff));
}

uint16_t Get16(std::string_view w, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(w[at]) << 8) |
                               static_cast<uint8_t>(w[at + 1]));
}

uint32_t Get32(std::string_view w, size_t at) {
  return (uint32_t(Get16(w, at)) << 16) | Get16(w, at + 2);
}

// The labels of a dotted name; empty for the root.
std::vector<std::string_view> Labels(std::string_view name) {
  std::vector<std::string_view> out;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  while (!name.empty()) {
    size_t dot = name.find('.');
    out.push_back(name.substr(0, dot));
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return out;
}

// Writes names, pointing at earlier copies of a suffix where it can
// (RFC 1035 4.1.4). Offsets above 0x3fff cannot be pointed at.
class NameWriter {
 public:
  explicit NameWriter(std::string* out) : out_(out) {}

  void Write(std::string_view name) {
    auto labels = Labels(name);
    for (size_t i = 0; i < labels.size(); ++i) {
      std::string suffix = LowerName(JoinFrom(labels, i));
      auto it = offsets_.find(suffix);
      if (it != offsets_.end()) {
        Put16(out_, static_cast<uint16_t>(0xc000 | it->second));
        return;
      }
      if (out_->size() <= 0x3fff) offsets_.emplace(suffix, out_->size());
      out_->push_back(static_cast<char>(labels[i].size()));
      out_->append(labels[i]);
    }
    out_->push_back('\0');
  }

 private:
  static std::string JoinFrom(const std::vector<std::string_view>& labels,
                              size_t from) {
    std::string s;
    for (size_t i = from; i < labels.size(); ++i) {
      if (i > from) s.push_back('.');
      s.append(labels[i]);
    }
    return s;
  }

  std::string* out_;
  std::unordered_map<std::string, size_t> offsets_;
};

void WriteRecord(NameWriter& names, std::string* out, const DnsRecord& r) {
  names.Write(r.name);
  Put16(out, r.type);
  Put16(out, r.klass);
  Put32(out, r.ttl);
  Put16(out, static_cast<uint16_t>(r.rdata.size()));
  out->append(r.rdata);
}

std::string OptRecord(uint16_t udp_size) {
  std::string out;
  out.push_back('\0');  // root owner name
  Put16(&out, kTypeOpt);
  Put16(&out, udp_size);
  Put32(&out, 0);  // extended rcode, version 0, no DO bit
  Put16(&out, 0);  // no options
  return out;
}

StatusOr<DnsRecord> ReadRecord(std::string_view w, size_t* at) {
  DnsRecord r;
  auto name = ReadName(w, at);
  if (!name.ok()) return name.status();
  r.name = std::move(*name);
  if (*at + 10 > w.size()) return Status::Invalid("record header truncated");
  r.type = Get16(w, *at);
  r.klass = Get16(w, *at + 2);
  r.ttl = Get32(w, *at + 4);
  const uint16_t len = Get16(w, *at + 8);
  *at += 10;
  if (*at + len > w.size()) return Status::Invalid("record data truncated");
  r.rdata.assign(w.substr(*at, len));
  *at += len;
  return r;
}

}  // namespace

std::string LowerName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string EncodeName(std::string_view name) {
  std::string out;
  for (std::string_view label : Labels(name)) {
    if (label.empty() || label.size() > 63) return "";
    out.push_back(static_cast<char>(label.size()));
    out.append(label);
  }
  out.push_back('\0');
  if (out.size() > kMaxName) return "";
  return out;
}

StatusOr<std::string> ReadName(std::string_view w, size_t* offset) {
  std::string name;
  size_t at = *offset;
  bool jumped = false;
  size_t wire_len = 0;  // bytes of the name as it is spelled, for the limit
  while (true) {
    if (at >= w.size()) return Status::Invalid("name runs past the message");
    const uint8_t len = static_cast<uint8_t>(w[at]);
    if ((len & 0xc0) == 0xc0) {
      if (at + 1 >= w.size()) return Status::Invalid("pointer truncated");
      const size_t target = Get16(w, at) & 0x3fff;
      // Only backward pointers: that also rules out loops.
      if (target >= at) return Status::Invalid("compression pointer forward");
      if (!jumped) *offset = at + 2;
      jumped = true;
      at = target;
      continue;
    }
    if ((len & 0xc0) != 0) return Status::Invalid("unknown label type");
    if (len == 0) {
      if (!jumped) *offset = at + 1;
      return name;
    }
    if (at + 1 + len > w.size()) return Status::Invalid("label truncated");
    wire_len += len + 1;
    if (wire_len + 1 > kMaxName) return Status::Invalid("name too long");
    if (!name.empty()) name.push_back('.');
    name.append(w.substr(at + 1, len));
    at += 1 + len;
  }
}

StatusOr<DnsMessage> ParseDnsMessage(std::string_view w) {
  if (w.size() < kHeaderSize) return Status::Invalid("header truncated");
  DnsMessage m;
  m.id = Get16(w, 0);
  const uint16_t flags = Get16(w, 2);
  m.response = flags & 0x8000;
  m.opcode = (flags >> 11) & 0xf;
  m.authoritative = flags & 0x0400;
  m.truncated = flags & 0x0200;
  m.recursion_desired = flags & 0x0100;
  m.recursion_available = flags & 0x0080;
  m.rcode = flags & 0xf;
  const uint16_t qd = Get16(w, 4), an = Get16(w, 6), ns = Get16(w, 8),
                 ar = Get16(w, 10);
  size_t at = kHeaderSize;
  for (uint16_t i = 0; i < qd; ++i) {
    DnsQuestion q;
    auto name = ReadName(w, &at);
    if (!name.ok()) return name.status();
    if (at + 4 > w.size()) return Status::Invalid("question truncated");
    q.name = std::move(*name);
    q.type = Get16(w, at);
    q.klass = Get16(w, at + 2);
    at += 4;
    m.questions.push_back(std::move(q));
  }
  for (int section = 0; section < 3; ++section) {
    const uint16_t count = section == 0 ? an : section == 1 ? ns : ar;
    for (uint16_t i = 0; i < count; ++i) {
      auto r = ReadRecord(w, &at);
      if (!r.ok()) return r.status();
      if (section == 2 && r->type == kTypeOpt) {
        m.edns_udp_size = r->klass;  // OPT's class is the payload size
        continue;
      }
      (section == 0   ? m.answers
       : section == 1 ? m.authority
                      : m.additional)
          .push_back(std::move(*r));
    }
  }
  return m;
}

std::string SerializeDnsMessage(const DnsMessage& m, size_t max_size) {
  if (max_size == 0 || max_size > 65535) max_size = 65535;
  std::string out;
  out.resize(kHeaderSize);
  NameWriter names(&out);
  for (const auto& q : m.questions) {
    names.Write(q.name);
    Put16(&out, q.type);
    Put16(&out, q.klass);
  }
  const std::string opt =
      m.edns_udp_size ? OptRecord(*m.edns_udp_size) : std::string();
  bool truncated = m.truncated;
  uint16_t counts[3] = {0, 0, 0};
  const std::vector<DnsRecord>* sections[3] = {&m.answers, &m.authority,
                                               &m.additional};
  for (int s = 0; s < 3 && !truncated; ++s) {
    for (const auto& r : *sections[s]) {
      const size_t before = out.size();
      WriteRecord(names, &out, r);
      if (out.size() + opt.size() > max_size) {
        out.resize(before);
        // Missing additional records are no reason to retry over TCP
        // (RFC 2181 9); missing answers or authority are.
        truncated = s < 2;
        break;
      }
      ++counts[s];
    }
    if (counts[s] < sections[s]->size()) break;
  }
  out.append(opt);
  uint16_t flags = 0;
  if (m.response) flags |= 0x8000;
  flags |= (m.opcode & 0xf) << 11;
  if (m.authoritative) flags |= 0x0400;
  if (truncated) flags |= 0x0200;
  if (m.recursion_desired) flags |= 0x0100;
  if (m.recursion_available) flags |= 0x0080;
  flags |= m.rcode & 0xf;
  std::string header;
  Put16(&header, m.id);
  Put16(&header, flags);
  Put16(&header, static_cast<uint16_t>(m.questions.size()));
  Put16(&header, counts[0]);
  Put16(&header, counts[1]);
  Put16(&header, static_cast<uint16_t>(counts[2] + (opt.empty() ? 0 : 1)));
  out.replace(0, kHeaderSize, header);
  return out;
}

size_t MaxUdpReplySize(const DnsMessage& query) {
  if (!query.edns_udp_size) return kClassicUdpSize;
  return std::max<size_t>(kClassicUdpSize, *query.edns_udp_size);
}

std::string ARdata(uint32_t ip) {
  std::string out;
  Put32(&out, ip);
  return out;
}

std::string AaaaRdata(const uint8_t (&ipv6)[16]) {
  return std::string(reinterpret_cast<const char*>(ipv6), 16);
}

std::string NameRdata(std::string_view name) { return EncodeName(name); }

std::string SrvRdata(uint16_t priority, uint16_t weight, uint16_t port,
                     std::string_view target) {
  std::string out;
  Put16(&out, priority);
  Put16(&out, weight);
  Put16(&out, port);
  out.append(EncodeName(target));
  return out;
}

std::string SoaRdata(std::string_view mname, std::string_view rname,
                     uint32_t serial, uint32_t refresh, uint32_t retry,
                     uint32_t expire, uint32_t minimum) {
  std::string out = EncodeName(mname) + EncodeName(rname);
  Put32(&out, serial);
  Put32(&out, refresh);
  Put32(&out, retry);
  Put32(&out, expire);
  Put32(&out, minimum);
  return out;
}

}  // namespace berth::dns
