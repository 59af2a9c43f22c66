// ForwardCache: upstream replies to names outside the cluster, kept for
// their TTL and at most `max_seconds` (CoreDNS's `cache 30` in the kube-dns
// Corefile), so pods asking again get an answer without a round trip
// upstream. Replies are kept whole, as the upstream sent them; a hit is a
// copy with the asker's id and every TTL lowered by the time spent in the
// cache. Only NOERROR and NXDOMAIN replies that are not truncated are kept;
// a reply with no record to take a TTL from (NODATA or NXDOMAIN without
// SOA) is kept for max_seconds at most 5 s. The key is the question's exact
// bytes (name case, type, class) and the query's DO and CD bits.
//
// Thread safety: Get and Put may be called from many threads at once.
#ifndef BERTH_PLUGINS_NETWORK_DNS_FORWARD_CACHE_H_
#define BERTH_PLUGINS_NETWORK_DNS_FORWARD_CACHE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dns {

class ForwardCache {
 public:
  using Clock = std::chrono::steady_clock;

  // `max_seconds` caps how long a reply is kept (0 keeps nothing);
  // `max_entries` bounds memory: when full, expired entries go first, then
  // the oldest.
  ForwardCache(uint32_t max_seconds, size_t max_entries = 10000);

  // The cached reply to `query` (wire form) at `now`, with the query's id
  // and the TTLs lowered; nullopt on a miss.
  std::optional<std::string> Get(std::string_view query,
                                 Clock::time_point now) const;
  // Keeps `reply`, the upstream's answer to `query`, if it may be cached.
  void Put(std::string_view query, std::string_view reply,
           Clock::time_point now);

  size_t size() const;

 private:
  struct Entry {
    std::string reply;
    std::vector<size_t> ttl_offsets;  // where each record's TTL is
    Clock::time_point stored;
    Clock::time_point expires;
  };

  const uint32_t max_seconds_;
  const size_t max_entries_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// The cache key of `query` (question bytes and the DO and CD bits), or ""
// when it is not a one-question query the cache can serve.
std::string ForwardCacheKey(std::string_view query);

// The offsets of the TTL field of every record in `reply` (answer,
// authority and additional sections, the OPT record left out); nullopt when
// the message cannot be walked.
std::optional<std::vector<size_t>> RecordTtlOffsets(std::string_view reply);

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_FORWARD_CACHE_H_
