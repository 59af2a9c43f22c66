#include "dns_responder.h"

namespace berth::dns {
namespace {

DnsMessage ReplyTo(const DnsMessage& q, uint8_t rcode) {
  DnsMessage r;
  r.id = q.id;
  r.response = true;
  r.opcode = q.opcode;
  r.recursion_desired = q.recursion_desired;
  r.recursion_available = true;
  r.rcode = rcode;
  r.questions = q.questions;
  if (q.edns_udp_size) r.edns_udp_size = kServerUdpSize;
  return r;
}

// The id of a message too broken to parse, for a FORMERR.
DnsMessage Unparsable(std::string_view wire) {
  DnsMessage q;
  q.id = static_cast<uint16_t>((static_cast<uint8_t>(wire[0]) << 8) |
                               static_cast<uint8_t>(wire[1]));
  return q;
}

}  // namespace

DnsResponder::DnsResponder(ZoneSource zone, const UpstreamForwarder* forwarder,
                           ForwardCache* cache)
    : zone_(std::move(zone)), forwarder_(forwarder), cache_(cache) {}

std::string DnsResponder::Respond(std::string_view wire, bool over_udp) const {
  if (wire.size() < 12 || (static_cast<uint8_t>(wire[2]) & 0x80)) return "";
  auto parsed = ParseDnsMessage(wire);
  if (!parsed.ok()) {
    return SerializeDnsMessage(ReplyTo(Unparsable(wire), kRcodeFormErr));
  }
  const DnsMessage& q = *parsed;
  const size_t limit = over_udp ? MaxUdpReplySize(q) : 0;
  if (q.opcode != 0) {
    return SerializeDnsMessage(ReplyTo(q, kRcodeNotImp), limit);
  }
  if (q.questions.size() != 1) {
    return SerializeDnsMessage(ReplyTo(q, kRcodeFormErr), limit);
  }
  const DnsQuestion& question = q.questions.front();

  std::shared_ptr<const ClusterZone> zone = zone_ ? zone_() : nullptr;
  ZoneAnswer found;
  if (question.klass == kClassIn && zone) {
    found = zone->Lookup(question.name, question.type);
  }
  if (found.outcome == ZoneAnswer::Outcome::kAnswered) {
    DnsMessage r = ReplyTo(q, found.rcode);
    r.authoritative = true;
    r.answers = std::move(found.answers);
    r.authority = std::move(found.authority);
    r.additional = std::move(found.additional);
    // An ExternalName's target: resolve it upstream so stub resolvers that
    // do not follow CNAMEs (musl) get addresses, as CoreDNS does.
    if (!found.cname_target.empty() && forwarder_ &&
        (question.type == kTypeA || question.type == kTypeAaaa)) {
      DnsMessage sub;
      sub.id = q.id;
      sub.recursion_desired = true;
      sub.questions.push_back({found.cname_target, question.type, kClassIn});
      auto reply = forwarder_->Forward(SerializeDnsMessage(sub));
      if (reply.ok()) {
        auto m = ParseDnsMessage(*reply);
        if (m.ok()) {
          for (auto& rr : m->answers) {
            // Only address records: their data holds no compressed names
            // that would point into the other message.
            if (rr.type == kTypeA || rr.type == kTypeAaaa) {
              r.answers.push_back(std::move(rr));
            }
          }
        }
      }
    }
    return SerializeDnsMessage(r, limit);
  }

  if (!zone && question.klass == kClassIn) {
    return SerializeDnsMessage(ReplyTo(q, kRcodeServFail), limit);
  }
  if (!forwarder_ || forwarder_->empty()) {
    return SerializeDnsMessage(ReplyTo(q, kRcodeServFail), limit);
  }
  StatusOr<std::string> reply = Status::NotFound("not cached");
  if (cache_) {
    if (auto hit = cache_->Get(wire, ForwardCache::Clock::now())) {
      reply = std::move(*hit);
    }
  }
  if (!reply.ok()) {
    reply = forwarder_->Forward(wire);
    if (!reply.ok()) {
      return SerializeDnsMessage(ReplyTo(q, kRcodeServFail), limit);
    }
    if (cache_) cache_->Put(wire, *reply, ForwardCache::Clock::now());
  }
  if (!over_udp || reply->size() <= limit) return *reply;
  // Too big for this client over UDP: the header and question with TC, so
  // it asks again over TCP.
  auto upstream = ParseDnsMessage(*reply);
  DnsMessage r = ReplyTo(q, upstream.ok() ? upstream->rcode : kRcodeNoError);
  r.truncated = true;
  return SerializeDnsMessage(r, limit);
}

}  // namespace berth::dns
