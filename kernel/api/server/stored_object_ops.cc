#include "kernel/api/server/stored_object_ops.h"

#include <initializer_list>
#include <string_view>

#include "kernel/api/server/object_meta.h"
#include "kernel/api/server/version_conversion.h"

namespace berth::api::object_ops {
namespace {

// Marks a lost compare-and-swap inside UpdateLoop (retried, never returned).
const char kRetryMarker[] = "berth: object changed during update";

// Whether objects a and b have equal members, not counting those in `skip`.
bool MembersEqualExcept(const Json& a, const Json& b,
                        std::initializer_list<std::string_view> skip) {
  auto skipped = [&skip](const Json& name) {
    std::string_view n(name.GetString(), name.GetStringLength());
    for (auto s : skip) {
      if (s == n) return true;
    }
    return false;
  };
  size_t in_a = 0, in_b = 0;
  for (auto& m : a.GetObject()) {
    if (skipped(m.name)) continue;
    ++in_a;
    const Json* other = Member(
        b, std::string_view(m.name.GetString(), m.name.GetStringLength()));
    if (!other || !(*other == m.value)) return false;
  }
  for (auto& m : b.GetObject()) {
    if (!skipped(m.name)) ++in_b;
  }
  return in_a == in_b;
}

}  // namespace

JsonDoc Copy(const Json& v) {
  JsonDoc d;
  d.CopyFrom(v, d.GetAllocator());
  return d;
}

StatusOr<JsonDoc> Parse(const store::Object& o) {
  JsonDoc d;
  d.Parse(o.data->data(), o.data->size());
  if (d.HasParseError() || !d.IsObject()) {
    return Status::Internal("stored object " + o.key + " is not valid JSON");
  }
  return d;
}

// The members other than metadata and status: what `generation` tracks.
bool SpecEqual(const Json& a, const Json& b) {
  return MembersEqualExcept(a, b, {"metadata", "status"});
}

// Equal apart from resourceVersion. managedFields count: an apply that
// only takes ownership is a write, and a write that changes nothing leaves
// them alone.
bool SameObject(const Json& a, const Json& b) {
  if (!MembersEqualExcept(a, b, {"metadata"})) return false;
  const Json* ma = Member(a, "metadata");
  const Json* mb = Member(b, "metadata");
  if (!ma || !mb) return ma == mb;
  if (!ma->IsObject() || !mb->IsObject()) return *ma == *mb;
  return MembersEqualExcept(*ma, *mb, {"resourceVersion"});
}

apply::WriteContext FieldContext(const Kind& kind,
                                 const std::string& subresource,
                                 const WriteOptions& opts) {
  apply::WriteContext ctx;
  ctx.manager = opts.field_manager;
  // managedFields name the version the client wrote in, as in Kubernetes.
  ctx.api_version = ApiVersionOf(kind.Info(), opts.version);
  ctx.subresource = subresource;
  ctx.status_subresource = kind.Info().status_subresource;
  ctx.merge_key = [&kind](const std::string& path) {
    return kind.MergeKey(path);
  };
  ctx.now = NowRfc3339();
  return ctx;
}

bool HasFinalizers(const Json& obj) {
  const Json* f = Find(obj, {"metadata", "finalizers"});
  return f && f->IsArray() && !f->Empty();
}

std::vector<std::string> FinalizersOf(const Json& obj) {
  std::vector<std::string> out;
  const Json* f = Find(obj, {"metadata", "finalizers"});
  if (!f || !f->IsArray()) return out;
  for (auto& v : f->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// Replaces metadata.finalizers; an empty list removes the member.
void SetFinalizers(JsonDoc& obj, const std::vector<std::string>& finalizers) {
  auto& a = obj.GetAllocator();
  Json& meta = EnsureObject(obj, "metadata", a);
  if (finalizers.empty()) {
    meta.RemoveMember("finalizers");
    return;
  }
  Json list(rapidjson::kArrayType);
  for (const auto& f : finalizers) {
    list.PushBack(Json(f.data(), static_cast<rapidjson::SizeType>(f.size()), a),
                  a);
  }
  SetMember(meta, "finalizers", std::move(list), a);
}

// The metadata a client cannot change on update.
void KeepSystemMetadata(const Json& old, Json& obj, JsonAlloc& a) {
  Json& meta = EnsureObject(obj, "metadata", a);
  for (const char* f :
       {"uid", "creationTimestamp", "generation", "deletionTimestamp",
        "deletionGracePeriodSeconds", "namespace", "name"}) {
    const Json* v = Find(old, {"metadata", f});
    if (v) {
      SetMember(meta, f, Json(*v, a), a);
    } else {
      meta.RemoveMember(f);
    }
  }
}

Status CheckTypeMeta(const Kind& kind, Json& obj, JsonAlloc& a) {
  const KindInfo& info = kind.Info();
  std::string api_version = GetString(obj, {"apiVersion"});
  std::string k = GetString(obj, {"kind"});
  if (!api_version.empty() && api_version != info.ApiVersion()) {
    return Status::BadRequest("the API version in the data (" + api_version +
                              ") does not match the expected API version (" +
                              info.ApiVersion() + ")");
  }
  if (!k.empty() && k != info.kind) {
    return Status::BadRequest("the kind in the data (" + k +
                              ") does not match the expected kind (" +
                              info.kind + ")");
  }
  SetString(obj, "apiVersion", info.ApiVersion(), a);
  SetString(obj, "kind", info.kind, a);
  return {};
}

// Writes `stamped` over `key` if nobody wrote it since revision `seen`;
// otherwise fails with the retry marker and leaves the newer state in
// `*newer`, so the caller's next attempt starts from it.
StatusOr<store::Object> CompareAndWrite(store::Store* store,
                                        const std::string& key, uint64_t seen,
                                        const StampedObject& stamped,
                                        const store::Attrs& attrs,
                                        std::optional<store::Object>* newer) {
  return store->GuaranteedUpdate(
      key,
      [&](const store::Object& current,
          uint64_t rev) -> StatusOr<store::NewValue> {
        if (current.mod_revision != seen) {
          *newer = current;
          return Status::Conflict(kRetryMarker);
        }
        store::NewValue v;
        v.data = stamped.Stamp(rev);
        v.attrs = attrs;
        return v;
      });
}

Status RetryStatus() { return Status::Conflict(kRetryMarker); }

bool IsRetry(const Status& s) {
  return s.IsConflict() && s.message() == kRetryMarker;
}

// The state an update attempt starts from: what the last lost
// compare-and-swap saw, else the store's read cache. The cache holds only
// committed writes, so while another write waits for its group commit a
// fresh Get would return the same stale revision on every attempt and the
// loop would use up its attempts in microseconds. The newer state may not
// be durable yet, but a write queued behind it commits after it or fails
// with it, so nothing built on it is acknowledged alone.
StatusOr<store::Object> Current(store::Store* store, const std::string& key,
                                std::optional<store::Object>* newer) {
  if (!*newer) return store->Get(key);
  store::Object o = std::move(**newer);
  newer->reset();
  return o;
}

}  // namespace berth::api::object_ops
