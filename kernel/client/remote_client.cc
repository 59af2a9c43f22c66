#include "kernel/client/remote_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>

#include "berth/json.h"
#include "kernel/client/discovery_client.h"
#include "kernel/client/reply_status.h"
#include "kernel/client/resource_path.h"

namespace berth::client {
namespace {

// The server ends a watch after timeoutSeconds (1800 by default); the
// socket must not time out before that while no event arrives.
constexpr int kWatchIdleTimeoutSeconds = 3600;

constexpr char kMergePatch[] = "application/merge-patch+json";

// One watch stream and its reading thread.
class StreamWatch : public WatchHandle {
 public:
  StreamWatch(std::unique_ptr<Poco::Net::HTTPClientSession> session,
              std::istream* body,
              std::function<void(const WatchEvent&)> on_event)
      : session_(std::move(session)) {
    fd_ = session_->socket().impl()->sockfd();
    thread_ = std::thread(
        [this, body, on_event = std::move(on_event)] { Run(*body, on_event); });
  }
  ~StreamWatch() override {
    stop_ = true;
    // Shutting the socket down (not closing it: the thread still owns the
    // descriptor) wakes the blocked read; the thread sees stop_ and quits.
    ::shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run(std::istream& body,
           const std::function<void(const WatchEvent&)>& on_event) {
    std::string error = "the watch stream ended";
    try {
      std::string line;
      while (!stop_ && std::getline(body, line)) {
        if (line.empty()) continue;
        JsonDoc d;
        d.Parse(line.data(), line.size());
        if (d.HasParseError() || !d.IsObject()) {
          error = "the watch stream carried a malformed event";
          break;
        }
        WatchEvent ev;
        ev.type = GetString(d, {"type"});
        const Json* object = Member(d, "object");
        ev.object = object ? ToJson(*object) : "{}";
        if (ev.type == "BOOKMARK") continue;
        if (stop_) return;
        on_event(ev);
        if (ev.type == "ERROR") return;  // the server ends the stream after it
      }
    } catch (const Poco::Exception& e) {
      error = "the watch stream failed: " + e.displayText();
    } catch (const std::exception& e) {
      error = std::string("the watch stream failed: ") + e.what();
    }
    if (!stop_) on_event(WatchEvent{"ERROR", error});
  }

  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

StatusOr<std::unique_ptr<RemoteClient>> RemoteClient::FromKubeconfig(
    const std::string& path) {
  auto credentials = tls::ReadKubeconfig(path);
  if (!credentials.ok()) return credentials.status();
  auto transport = ApiTransport::Create(*credentials);
  if (!transport.ok()) return transport.status();
  return std::make_unique<RemoteClient>(std::move(transport).value());
}

RemoteClient::RemoteClient(std::unique_ptr<ApiTransport> transport)
    : transport_(std::move(transport)) {}

std::vector<ServedResource> RemoteClient::ServerResources() {
  std::vector<ServedResource> out;
  auto resources = DiscoverResources(*transport_);
  if (!resources.ok()) return out;
  for (const auto& r : *resources) {
    out.push_back({r.ref, r.kind, r.namespaced});
  }
  return out;
}

StatusOr<std::string> RemoteClient::Get(const ResourceRef& r,
                                        const std::string& ns,
                                        const std::string& name) {
  return transport_->Call(
      ApiRequest::Bodiless("GET", ResourcePath(r, ns, name)));
}

StatusOr<std::string> RemoteClient::List(const ResourceRef& r,
                                         const std::string& ns,
                                         const ListOptions& opts) {
  std::string path = ResourcePath(r, ns);
  if (!opts.label_selector.empty()) {
    AddQuery(&path, "labelSelector", opts.label_selector);
  }
  if (!opts.field_selector.empty()) {
    AddQuery(&path, "fieldSelector", opts.field_selector);
  }
  return transport_->Call(ApiRequest::Bodiless("GET", path));
}

StatusOr<std::string> RemoteClient::Create(const ResourceRef& r,
                                           const std::string& ns,
                                           const std::string& object) {
  return transport_->Call(ApiRequest::WithBody("POST", ResourcePath(r, ns),
                                               "application/json", object));
}

StatusOr<std::string> RemoteClient::Update(const ResourceRef& r,
                                           const std::string& ns,
                                           const std::string& object,
                                           const std::string& subresource) {
  auto doc = ParseJson(object);
  if (!doc.ok()) return doc.status();
  std::string name = GetString(*doc, {"metadata", "name"});
  if (name.empty()) {
    return Status::BadRequest("the object to update has no metadata.name");
  }
  return transport_->Call(
      ApiRequest::WithBody("PUT", ResourcePath(r, ns, name, subresource),
                           "application/json", object));
}

StatusOr<std::string> RemoteClient::MergePatch(const ResourceRef& r,
                                               const std::string& ns,
                                               const std::string& name,
                                               const std::string& patch,
                                               const std::string& subresource) {
  return transport_->Call(ApiRequest::WithBody(
      "PATCH", ResourcePath(r, ns, name, subresource), kMergePatch, patch));
}

Status RemoteClient::Delete(const ResourceRef& r, const std::string& ns,
                            const std::string& name,
                            const DeleteOptions& opts) {
  JsonDoc body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  SetString(body, "kind", "DeleteOptions", a);
  SetString(body, "apiVersion", "v1", a);
  if (!opts.propagation_policy.empty()) {
    SetString(body, "propagationPolicy", opts.propagation_policy, a);
  }
  if (opts.grace_period_seconds) {
    SetMember(body, "gracePeriodSeconds", Json(*opts.grace_period_seconds), a);
  }
  if (!opts.precondition_uid.empty() ||
      !opts.precondition_resource_version.empty()) {
    Json& pre = EnsureObject(body, "preconditions", a);
    if (!opts.precondition_uid.empty()) {
      SetString(pre, "uid", opts.precondition_uid, a);
    }
    if (!opts.precondition_resource_version.empty()) {
      SetString(pre, "resourceVersion", opts.precondition_resource_version, a);
    }
  }
  auto reply = transport_->Call(ApiRequest::WithBody(
      "DELETE", ResourcePath(r, ns, name), "application/json", ToJson(body)));
  return reply.ok() ? Status::Ok() : reply.status();
}

StatusOr<std::string> RemoteClient::CreateSubresource(
    const ResourceRef& r, const std::string& ns, const std::string& name,
    const std::string& subresource, const std::string& body) {
  return transport_->Call(
      ApiRequest::WithBody("POST", ResourcePath(r, ns, name, subresource),
                           "application/json", body));
}

StatusOr<std::unique_ptr<WatchHandle>> RemoteClient::Watch(
    const ResourceRef& r, const std::string& ns,
    const std::string& resource_version,
    std::function<void(const WatchEvent&)> on_event) {
  return WatchSelected(r, ns, resource_version, {}, std::move(on_event));
}

StatusOr<std::unique_ptr<WatchHandle>> RemoteClient::WatchSelected(
    const ResourceRef& r, const std::string& ns,
    const std::string& resource_version, const ListOptions& options,
    std::function<void(const WatchEvent&)> on_event) {
  std::string path = ResourcePath(r, ns);
  AddQuery(&path, "watch", "1");
  if (!options.label_selector.empty()) {
    AddQuery(&path, "labelSelector", options.label_selector);
  }
  if (!options.field_selector.empty()) {
    AddQuery(&path, "fieldSelector", options.field_selector);
  }
  if (!resource_version.empty()) {
    AddQuery(&path, "resourceVersion", resource_version);
  }
  auto session = transport_->OpenSession();
  session->setTimeout(Poco::Timespan(kWatchIdleTimeoutSeconds, 0));
  try {
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    transport_->Prepare(&req);
    req.set("Accept", "application/json");
    session->sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& body = session->receiveResponse(resp);
    int code = static_cast<int>(resp.getStatus());
    if (code < 200 || code >= 300) {
      std::string text;
      Poco::StreamCopier::copyToString(body, text);
      return StatusFromReply(code, text);
    }
    return std::unique_ptr<WatchHandle>(
        new StreamWatch(std::move(session), &body, std::move(on_event)));
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot reach the server at " +
                               transport_->server_url() + ": " +
                               e.displayText());
  }
}

}  // namespace berth::client
