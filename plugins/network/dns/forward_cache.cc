#include "forward_cache.h"

#include <algorithm>

#include "dns_message.h"

namespace berth::dns {
namespace {

constexpr size_t kHeaderSize = 12;
// How long a reply without a TTL to go by (NODATA, or NXDOMAIN without an
// SOA) is kept at most.
constexpr uint32_t kNoTtlSeconds = 5;

uint16_t Read16(std::string_view m, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(m[at]) << 8) |
                               static_cast<uint8_t>(m[at + 1]));
}

uint32_t Read32(std::string_view m, size_t at) {
  return (static_cast<uint32_t>(Read16(m, at)) << 16) | Read16(m, at + 2);
}

void Write32(std::string& m, size_t at, uint32_t v) {
  m[at] = static_cast<char>(v >> 24);
  m[at + 1] = static_cast<char>(v >> 16);
  m[at + 2] = static_cast<char>(v >> 8);
  m[at + 3] = static_cast<char>(v);
}

// The offset just past the (possibly compressed) name at `at`, or npos.
size_t SkipName(std::string_view m, size_t at) {
  return ReadName(m, &at).ok() ? at : std::string_view::npos;
}

// Where the question section ends, or npos.
size_t QuestionEnd(std::string_view m) {
  if (m.size() < kHeaderSize || Read16(m, 4) != 1)
    return std::string_view::npos;
  const size_t name_end = SkipName(m, kHeaderSize);
  if (name_end == std::string_view::npos || name_end + 4 > m.size()) {
    return std::string_view::npos;
  }
  return name_end + 4;
}

// The DO bit of the query's OPT record (EDNS0), if it has one.
bool DnssecOk(std::string_view query, size_t question_end) {
  size_t at = question_end;
  const int records = Read16(query, 6) + Read16(query, 8) + Read16(query, 10);
  for (int i = 0; i < records; ++i) {
    const size_t name_end = SkipName(query, at);
    if (name_end == std::string_view::npos || name_end + 10 > query.size()) {
      return false;
    }
    const uint16_t type = Read16(query, name_end);
    const uint16_t rdlength = Read16(query, name_end + 8);
    if (type == kTypeOpt) return (Read32(query, name_end + 4) & 0x8000) != 0;
    at = name_end + 10 + rdlength;
  }
  return false;
}

}  // namespace

std::string ForwardCacheKey(std::string_view query) {
  const size_t end = QuestionEnd(query);
  if (end == std::string_view::npos) return "";
  std::string key(query.substr(kHeaderSize, end - kHeaderSize));
  const bool cd = (static_cast<uint8_t>(query[3]) & 0x10) != 0;
  key.push_back(
      static_cast<char>((cd ? 1 : 0) | (DnssecOk(query, end) ? 2 : 0)));
  return key;
}

std::optional<std::vector<size_t>> RecordTtlOffsets(std::string_view reply) {
  size_t at = QuestionEnd(reply);
  if (at == std::string_view::npos) return std::nullopt;
  std::vector<size_t> offsets;
  const int records = Read16(reply, 6) + Read16(reply, 8) + Read16(reply, 10);
  for (int i = 0; i < records; ++i) {
    const size_t name_end = SkipName(reply, at);
    if (name_end == std::string_view::npos || name_end + 10 > reply.size()) {
      return std::nullopt;
    }
    const uint16_t type = Read16(reply, name_end);
    const uint16_t rdlength = Read16(reply, name_end + 8);
    // OPT's "TTL" holds the extended rcode and flags.
    if (type != kTypeOpt) offsets.push_back(name_end + 4);
    at = name_end + 10 + rdlength;
    if (at > reply.size()) return std::nullopt;
  }
  return offsets;
}

ForwardCache::ForwardCache(uint32_t max_seconds, size_t max_entries)
    : max_seconds_(max_seconds), max_entries_(max_entries) {}

std::optional<std::string> ForwardCache::Get(std::string_view query,
                                             Clock::time_point now) const {
  if (max_seconds_ == 0) return std::nullopt;
  const std::string key = ForwardCacheKey(query);
  if (key.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || now >= it->second.expires) return std::nullopt;
  const Entry& e = it->second;
  std::string reply = e.reply;
  reply[0] = query[0];
  reply[1] = query[1];
  const auto spent = static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now - e.stored).count());
  for (size_t at : e.ttl_offsets) {
    const uint32_t ttl = Read32(reply, at);
    Write32(reply, at, ttl > spent ? ttl - spent : 0);
  }
  return reply;
}

void ForwardCache::Put(std::string_view query, std::string_view reply,
                       Clock::time_point now) {
  if (max_seconds_ == 0 || reply.size() < kHeaderSize) return;
  const uint8_t rcode = static_cast<uint8_t>(reply[3]) & 0x0F;
  const bool truncated = (static_cast<uint8_t>(reply[2]) & 0x02) != 0;
  if (truncated || (rcode != kRcodeNoError && rcode != kRcodeNxDomain)) return;
  const std::string key = ForwardCacheKey(query);
  if (key.empty() || key != ForwardCacheKey(reply)) return;
  auto offsets = RecordTtlOffsets(reply);
  if (!offsets) return;
  uint32_t keep = max_seconds_;
  if (offsets->empty()) keep = std::min(keep, kNoTtlSeconds);
  for (size_t at : *offsets) keep = std::min(keep, Read32(reply, at));
  if (keep == 0) return;
  Entry e{std::string(reply), std::move(*offsets), now,
          now + std::chrono::seconds(keep)};
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= max_entries_ && !entries_.count(key)) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = now >= it->second.expires ? entries_.erase(it) : std::next(it);
    }
    if (entries_.size() >= max_entries_) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                     [](const auto& a, const auto& b) {
                                       return a.second.stored < b.second.stored;
                                     });
      entries_.erase(oldest);
    }
  }
  entries_.insert_or_assign(key, std::move(e));
}

size_t ForwardCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace berth::dns
