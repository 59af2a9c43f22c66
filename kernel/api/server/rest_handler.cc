#include "kernel/api/server/rest_handler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>

#include "kernel/api/codec/protobuf_codec.h"
#include "kernel/api/codec/yaml_codec.h"
#include "kernel/api/server/api_errors.h"
#include "kernel/api/server/connect_route.h"
#include "kernel/api/server/impersonation.h"
#include "kernel/api/server/list_encoding.h"
#include "kernel/api/server/request_info.h"
#include "kernel/api/server/table.h"
#include "kernel/api/server/version_conversion.h"
#include "kernel/api/server/watch_encoder.h"
#include "kernel/api/server/watch_fanout.h"
#include "kernel/api/tls/authn.h"

namespace berth::api {
namespace {

using Poco::Net::HTTPResponse;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxBodyBytes = 3 * 1024 * 1024;  // etcd's request limit

struct Query {
  std::vector<std::pair<std::string, std::string>> params;
  std::string Get(const std::string& k, const std::string& def = "") const {
    for (const auto& [key, v] : params) {
      if (key == k) return v;
    }
    return def;
  }
  bool Flag(const std::string& k) const {
    std::string v = Get(k);
    return v == "true" || v == "1";
  }
};

std::string VersionBody() {
  return R"({"major":"1","minor":"32","gitVersion":"v1.32.0-berth","gitCommit":"berth","gitTreeState":"clean","buildDate":"2026-01-01T00:00:00Z","goVersion":"go1.23.0","compiler":"gc","platform":"linux/amd64"})";
}

// openapi_v2.Document{swagger: "2.0", info: {title, version}} encoded.
std::string EmptyOpenApiV2() {
  const std::string title = "Kubernetes", version = "v1.32.0";
  std::string info;
  info += '\x0a';
  info += static_cast<char>(title.size());
  info += title;
  info += '\x12';
  info += static_cast<char>(version.size());
  info += version;
  std::string doc =
      "\x0a\x03"
      "2.0";
  doc += '\x12';
  doc += static_cast<char>(info.size());
  doc += info;
  return doc;
}

class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& req,
           Poco::Net::HTTPServerResponse& resp)
      : req_(req), resp_(resp) {}

  int code() const { return code_; }
  void set_code(int code) { code_ = code; }

  void Send(int code, const std::string& body,
            const std::string& content_type = "application/json") {
    code_ = code;
    resp_.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(code));
    resp_.setContentType(content_type);
    resp_.setContentLength(static_cast<std::streamsize>(body.size()));
    for (const auto& w : warnings_) {
      resp_.add("Warning", "299 - \"" + w + "\"");
    }
    resp_.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  }

  void SendStatus(const Status& s, const KindInfo* info = nullptr,
                  const std::string& name = "") {
    Send(HttpCode(s.code()), StatusBody(s, info, name));
  }

  void AddWarnings(const std::vector<std::string>& w) {
    warnings_.insert(warnings_.end(), w.begin(), w.end());
  }

  Poco::Net::HTTPServerRequest& req() { return req_; }
  Poco::Net::HTTPServerResponse& resp() { return resp_; }

  StatusOr<std::string> ReadBody() {
    std::string body;
    std::istream& in = req_.stream();
    char buf[65536];
    while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
      body.append(buf, static_cast<size_t>(in.gcount()));
      if (body.size() > kMaxBodyBytes) {
        return Status(Status::Code::kBadRequest,
                      "the request body is larger than 3 MiB");
      }
    }
    return body;
  }

 private:
  Poco::Net::HTTPServerRequest& req_;
  Poco::Net::HTTPServerResponse& resp_;
  int code_ = 0;
  std::vector<std::string> warnings_;
};

bool WantsTable(const std::string& accept) {
  return accept.find("as=Table") != std::string::npos;
}

std::string MediaType(const std::string& content_type) {
  auto semi = content_type.find(';');
  std::string t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t;
}

// Protobuf bodies are read with the schema the kind's plugin registered.
StatusOr<JsonDoc> DecodeObject(const std::string& content_type,
                               const std::string& body,
                               const KindRegistry& kinds) {
  std::string type = MediaType(content_type);
  if (type == "application/vnd.kubernetes.protobuf") {
    return codec::DecodeKubernetesProtobuf(
        body, [&kinds](std::string_view api_version, std::string_view kind) {
          return kinds.ProtobufSchemaFor(api_version, kind);
        });
  }
  if (type == "application/yaml") return codec::DecodeJsonOrYaml(body, true);
  if (type.empty() || type == "application/json" || type == "*/*") {
    return codec::DecodeJsonOrYaml(body, false);
  }
  return Status::UnsupportedMediaType(
      "the body of the request was in an unknown format - accepted media "
      "types include: application/json, application/yaml, "
      "application/vnd.kubernetes.protobuf");
}

StatusOr<PatchType> PatchTypeOf(const std::string& content_type) {
  std::string type = MediaType(content_type);
  if (type == "application/json-patch+json") return PatchType::kJson;
  if (type == "application/merge-patch+json") return PatchType::kMerge;
  if (type == "application/strategic-merge-patch+json") {
    return PatchType::kStrategic;
  }
  if (type == "application/apply-patch+yaml" ||
      type == "application/apply-patch+cbor") {
    return PatchType::kApply;
  }
  return Status::UnsupportedMediaType(
      "the body of the request was in an unknown format - accepted media "
      "types include: application/json-patch+json, "
      "application/merge-patch+json, application/apply-patch+yaml, "
      "application/strategic-merge-patch+json");
}

StatusOr<WriteOptions> ParseWriteOptions(const Query& q) {
  WriteOptions o;
  std::string dry = q.Get("dryRun");
  if (!dry.empty() && dry != "All") {
    return Status::BadRequest("Invalid dry run value: " + dry +
                              ", supported values: \"All\"");
  }
  o.dry_run = dry == "All";
  o.field_manager = q.Get("fieldManager");
  std::string fv = q.Get("fieldValidation");
  if (fv == "Strict") {
    o.validation = FieldValidation::kStrict;
  } else if (fv == "Warn" || fv.empty()) {
    // The apiserver's default is Warn.
    o.validation = FieldValidation::kWarn;
  } else if (fv == "Ignore") {
    o.validation = FieldValidation::kIgnore;
  } else {
    return Status::BadRequest("invalid fieldValidation directive: " + fv +
                              ", supported values: Ignore, Warn, Strict");
  }
  o.force = q.Flag("force");
  return o;
}

// The field manager of a write that names none: the User-Agent up to its
// first '/' ("kubectl/v1.31.0 (linux/amd64)" -> "kubectl"), at most 128
// characters, as the apiserver derives it.
std::string ManagerFromUserAgent(const std::string& user_agent) {
  std::string m = user_agent.substr(0, user_agent.find('/'));
  if (m.size() > 128) m.resize(128);
  return m;
}

class Router {
 public:
  Router(Exchange& ex, ApiContext* ctx, const UserInfo& user)
      : ex_(ex), ctx_(ctx), user_(user) {}

  // Returns the metrics verb and resource.
  void Route(const RequestInfo& ri, const Query& q, std::string* verb,
             std::string* resource);

 private:
  void Discovery(const RequestInfo& ri);
  void Resource(const RequestInfo& ri, const Kind& kind, const Query& q,
                std::string* verb);
  void Watch(const RequestInfo& ri, const Kind& kind, const Query& q);
  void SendObject(int code, const Kind& kind, const store::Object& o);

  Exchange& ex_;
  ApiContext* ctx_;
  const UserInfo& user_;  // outlives the router
  // The version the request names when it is one the kind is also served
  // in, else "": replies are converted to it (version_conversion.h).
  std::string version_;
};

void Router::SendObject(int code, const Kind& kind, const store::Object& o) {
  if (WantsTable(ex_.req().get("Accept", ""))) {
    ex_.Send(code,
             BuildTable(kind, {o.data}, IncludeObject::kMetadata, "", ""));
    return;
  }
  ex_.Send(code, *ConvertOut(kind, version_, o.data));
}

void Router::Discovery(const RequestInfo& ri) {
  const auto& d = *ctx_->discovery;
  std::string accept = ex_.req().get("Accept", "");
  const auto& p = ri.parts;
  std::string aggregated_version;
  if (accept.find("as=APIGroupDiscoveryList") != std::string::npos) {
    // Honour the first version the client lists.
    size_t v2 = accept.find("v=v2;");
    size_t v2b = accept.find("v=v2beta1");
    if (v2 != std::string::npos && (v2b == std::string::npos || v2 < v2b)) {
      aggregated_version = "v2";
    } else if (v2b != std::string::npos) {
      aggregated_version = "v2beta1";
    }
  }
  if (p.size() == 1) {
    if (!aggregated_version.empty()) {
      const std::string& body = p[0] == "api"
                                    ? d.AggregatedCore(aggregated_version)
                                    : d.AggregatedGroups(aggregated_version);
      ex_.resp().set("ETag", d.etag());
      ex_.resp().set("Vary", "Accept");
      ex_.Send(200, body,
               aggregated_version == "v2"
                   ? Discovery::kAggregatedContentTypeV2
                   : Discovery::kAggregatedContentTypeV2Beta1);
      return;
    }
    if (p[0] == "api") {
      ex_.Send(200, d.ApiVersions(ex_.req().getHost()));
    } else {
      ex_.Send(200, d.ApiGroupList());
    }
    return;
  }
  static const std::string kNone;
  const std::string* body = &kNone;
  if (p[0] == "apis" && p.size() == 2) {
    body = &d.ApiGroup(p[1]);
  } else if (p[0] == "api" && p.size() == 2) {
    body = &d.ResourceList("", p[1]);
  } else if (p[0] == "apis" && p.size() == 3) {
    body = &d.ResourceList(p[1], p[2]);
  }
  if (body->empty()) {
    ex_.SendStatus(
        Status::NotFound("the server could not find the requested resource"));
    return;
  }
  ex_.Send(200, *body);
}

void Router::Route(const RequestInfo& ri, const Query& q, std::string* verb,
                   std::string* resource) {
  const std::string& method = ex_.req().getMethod();
  *verb = method;
  if (!ri.is_resource_request || ri.resource.empty()) {
    if (method != "GET" && method != "HEAD") {
      ex_.SendStatus(Status::MethodNotAllowed(
          "the server does not allow this method on the requested resource"));
      return;
    }
    Discovery(ri);
    return;
  }
  const Kind* kind = ctx_->kinds->ByResource(ri.group, ri.version, ri.resource);
  *resource = ri.resource;
  if (!kind || (!kind->Info().namespaced && !ri.namespace_.empty())) {
    ex_.SendStatus(
        Status::NotFound("the server could not find the requested resource"));
    return;
  }
  Resource(ri, *kind, q, verb);
}

void Router::Resource(const RequestInfo& ri, const Kind& kind, const Query& q,
                      std::string* verb) {
  const KindInfo& info = kind.Info();
  ResourceService& svc = *ctx_->service;
  const std::string& method = ex_.req().getMethod();
  const std::string& ns = ri.namespace_;
  const std::string& sub = ri.subresource;
  if (IsOtherVersion(info, ri.version)) version_ = ri.version;
  if (!sub.empty() && !ri.name.empty()) {
    if (const ConnectRegistry::Entry* entry =
            ctx_->connect->Find(info.group, info.plural, sub)) {
      *verb = "CONNECT";
      ex_.set_code(
          ServeConnect(*entry, info, ri, user_, ctx_->service->authorizer(),
                       ctx_->connect_sessions, ctx_->connect_proxy.get(),
                       ex_.req(), ex_.resp()));
      return;
    }
  }
  // An action subresource the kind declares, or one another plugin's
  // handler answers (serviceaccounts/token).
  const ActionHandler* handler =
      sub.empty() ? nullptr
                  : ctx_->kinds->ActionHandlerFor(info.group, info.plural, sub);
  bool action = handler != nullptr;
  for (const auto& a : kind.ActionSubresources()) {
    if (!sub.empty() && a.name == sub) action = true;
  }
  const bool update_sub = std::find(info.update_subresources.begin(),
                                    info.update_subresources.end(),
                                    sub) != info.update_subresources.end();
  if (!sub.empty() && !action && !update_sub &&
      !((sub == "status" && info.status_subresource) ||
        (sub == "scale" && info.scale_subresource))) {
    ex_.SendStatus(
        Status::NotFound("the server could not find the requested resource"));
    return;
  }
  // An action subresource (pods/binding) is served for create only.
  if (action && (method != "POST" || ri.name.empty())) {
    ex_.SendStatus(Status::MethodNotAllowed(
        "the server does not allow this method on the requested resource"));
    return;
  }
  // Review kinds answer a create and nothing else, as in Kubernetes.
  if (!info.stored && !(method == "POST" && ri.name.empty() && sub.empty())) {
    ex_.SendStatus(Status::MethodNotAllowed(
        "the server does not allow this method on the requested resource"));
    return;
  }
  std::string content_type = ex_.req().getContentType();
  if (method == "GET" && ri.name.empty()) {
    if (q.Flag("watch")) {
      *verb = "WATCH";
      Watch(ri, kind, q);
      return;
    }
    *verb = "LIST";
    ListOptions lo;
    lo.label_selector = q.Get("labelSelector");
    lo.field_selector = q.Get("fieldSelector");
    std::string limit = q.Get("limit");
    if (!limit.empty()) lo.limit = std::atoll(limit.c_str());
    lo.continue_token = q.Get("continue");
    auto list = svc.List(kind, ns, lo);
    if (!list.ok()) return ex_.SendStatus(list.status(), &info);
    if (WantsTable(ex_.req().get("Accept", ""))) {
      std::vector<std::shared_ptr<const std::string>> objs;
      objs.reserve(list->items.size());
      for (const auto& o : list->items) objs.push_back(o.data);
      ex_.Send(200, BuildTable(
                        kind, objs, ParseIncludeObject(q.Get("includeObject")),
                        std::to_string(list->revision), list->continue_token));
      return;
    }
    ex_.Send(200, EncodeList(kind, *list, version_));
    return;
  }
  if (method == "GET") {
    if (sub == "scale") {
      auto scale = svc.GetScale(kind, ns, ri.name);
      if (!scale.ok()) return ex_.SendStatus(scale.status(), &info, ri.name);
      return ex_.Send(200, *scale);
    }
    auto o = svc.Get(kind, ns, ri.name);
    if (!o.ok()) return ex_.SendStatus(o.status(), &info, ri.name);
    return SendObject(200, kind, *o);
  }
  if (method == "DELETE") {
    DeleteOptions d;
    d.user = user_;
    d.dry_run = q.Get("dryRun") == "All";
    d.propagation_policy = q.Get("propagationPolicy");
    if (std::string gp = q.Get("gracePeriodSeconds"); !gp.empty()) {
      char* end = nullptr;
      long long v = std::strtoll(gp.c_str(), &end, 10);
      if (end == gp.c_str() || *end != '\0') {
        return ex_.SendStatus(
            Status::BadRequest("invalid value for gracePeriodSeconds: " + gp));
      }
      d.grace_period_seconds = v;
    }
    if (std::string od = q.Get("orphanDependents"); !od.empty()) {
      d.orphan_dependents = od == "true";
    }
    auto body = ex_.ReadBody();
    if (!body.ok()) return ex_.SendStatus(body.status());
    if (!body->empty()) {
      auto opts = codec::DecodeJsonOrYaml(*body, false);
      if (!opts.ok()) return ex_.SendStatus(opts.status());
      std::string pp = GetString(*opts, {"propagationPolicy"});
      if (!pp.empty()) d.propagation_policy = pp;
      if (const Json* gp = Member(*opts, "gracePeriodSeconds");
          gp && gp->IsInt64()) {
        d.grace_period_seconds = gp->GetInt64();
      }
      if (const Json* od = Member(*opts, "orphanDependents");
          od && od->IsBool()) {
        d.orphan_dependents = od->GetBool();
      }
      d.precondition_uid = GetString(*opts, {"preconditions", "uid"});
      d.precondition_resource_version =
          GetString(*opts, {"preconditions", "resourceVersion"});
      if (const Json* dr = Member(*opts, "dryRun"); dr && dr->IsArray()) {
        for (auto& v : dr->GetArray()) {
          if (v.IsString() && std::string(v.GetString()) == "All") {
            d.dry_run = true;
          }
        }
      }
    }
    if (ri.name.empty()) {
      // deletecollection
      ListOptions lo;
      lo.label_selector = q.Get("labelSelector");
      lo.field_selector = q.Get("fieldSelector");
      auto list = svc.List(kind, ns, lo);
      if (!list.ok()) return ex_.SendStatus(list.status(), &info);
      store::ListResult deleted;
      for (const auto& o : list->items) {
        // The store keeps name and namespace as selector fields
        // (ResourceService::AttrsFor); no need to parse the object.
        const auto& fields = o.attrs->fields;
        auto field = [&fields](const char* name) {
          auto it = fields.find(name);
          return it == fields.end() ? std::string() : it->second;
        };
        auto r = svc.Delete(kind, field("metadata.namespace"),
                            field("metadata.name"), d);
        if (r.ok()) deleted.items.push_back(std::move(r).value());
      }
      deleted.revision = svc.store().CurrentRevision();
      return ex_.Send(200, EncodeList(kind, deleted, version_));
    }
    auto o = svc.Delete(kind, ns, ri.name, d);
    if (!o.ok()) return ex_.SendStatus(o.status(), &info, ri.name);
    return ex_.Send(200, *ConvertOut(kind, version_, o->data));
  }
  auto wo = ParseWriteOptions(q);
  if (!wo.ok()) return ex_.SendStatus(wo.status(), &info);
  wo->user = user_;
  wo->version = version_;
  const bool manager_requested = !wo->field_manager.empty();
  if (!manager_requested) {
    wo->field_manager = ManagerFromUserAgent(ex_.req().get("User-Agent", ""));
  }
  auto body = ex_.ReadBody();
  if (!body.ok()) return ex_.SendStatus(body.status());
  if (method == "POST") {
    if (action) {
      // The request object may come as YAML or protobuf like any other.
      auto request = DecodeObject(content_type, *body, *ctx_->kinds);
      if (!request.ok()) return ex_.SendStatus(request.status(), &info);
      if (handler) {
        auto r = svc.PostAction(*handler, ns, ri.name, ToJson(*request), *wo);
        if (!r.ok() && r.status().code() == Status::Code::kInvalid) {
          // An invalid request names the request's kind, as the apiserver
          // does ("TokenRequest.authentication.k8s.io").
          const ActionSubresource a = handler->Subresource();
          KindInfo request_info;
          const size_t slash = a.request_group_version.find('/');
          if (slash != std::string::npos) {
            request_info.group = a.request_group_version.substr(0, slash);
          }
          request_info.kind = a.request_kind;
          return ex_.SendStatus(r.status(), &request_info, ri.name);
        }
        if (!r.ok()) return ex_.SendStatus(r.status(), &info, ri.name);
        return ex_.Send(201, *r);
      }
      auto r =
          svc.PostSubresource(kind, ns, ri.name, sub, ToJson(*request), *wo);
      if (!r.ok()) return ex_.SendStatus(r.status(), &info, ri.name);
      return ex_.Send(201, *r);
    }
    if (!ri.name.empty()) {
      return ex_.SendStatus(Status::MethodNotAllowed(
          "the server does not allow this method on the requested resource"));
    }
    auto obj = DecodeObject(content_type, *body, *ctx_->kinds);
    if (!obj.ok()) return ex_.SendStatus(obj.status(), &info);
    std::string name = GetString(*obj, {"metadata", "name"});
    auto r = svc.Create(kind, ns, std::move(obj).value(), *wo);
    if (!r.ok()) return ex_.SendStatus(r.status(), &info, name);
    ex_.AddWarnings(r->warnings);
    return SendObject(201, kind, r->object);
  }
  if (ri.name.empty()) {
    return ex_.SendStatus(Status::MethodNotAllowed(
        "the server does not allow this method on the requested resource"));
  }
  if (method == "PUT") {
    if (sub == "scale") {
      auto scale = svc.UpdateScale(kind, ns, ri.name, std::nullopt, *body, *wo);
      if (!scale.ok()) return ex_.SendStatus(scale.status(), &info, ri.name);
      return ex_.Send(200, *scale);
    }
    auto obj = DecodeObject(content_type, *body, *ctx_->kinds);
    if (!obj.ok()) return ex_.SendStatus(obj.status(), &info, ri.name);
    auto r = svc.Update(kind, ns, ri.name, sub, std::move(obj).value(), *wo);
    if (!r.ok()) return ex_.SendStatus(r.status(), &info, ri.name);
    ex_.AddWarnings(r->warnings);
    return SendObject(200, kind, r->object);
  }
  if (method == "PATCH") {
    auto type = PatchTypeOf(content_type);
    if (!type.ok()) return ex_.SendStatus(type.status(), &info, ri.name);
    if (*type == PatchType::kApply && !manager_requested) {
      return ex_.SendStatus(Status::BadRequest(
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required "
          "value: is required for apply patch"));
    }
    if (sub == "scale") {
      auto scale = svc.UpdateScale(kind, ns, ri.name, *type, *body, *wo);
      if (!scale.ok()) return ex_.SendStatus(scale.status(), &info, ri.name);
      return ex_.Send(200, *scale);
    }
    auto r = svc.Patch(kind, ns, ri.name, sub, *type, *body, *wo);
    if (!r.ok()) return ex_.SendStatus(r.status(), &info, ri.name);
    ex_.AddWarnings(r->warnings);
    return SendObject(r->created ? 201 : 200, kind, r->object);
  }
  ex_.SendStatus(Status::MethodNotAllowed(
      "the server does not allow this method on the requested resource"));
}

void Router::Watch(const RequestInfo& ri, const Kind& kind, const Query& q) {
  const KindInfo& info = kind.Info();
  ListOptions lo;
  lo.label_selector = q.Get("labelSelector");
  lo.field_selector = q.Get("fieldSelector");
  auto watcher =
      ctx_->service->Watch(kind, ri.namespace_, lo, q.Get("resourceVersion"));
  int timeout_s = std::atoi(q.Get("timeoutSeconds", "1800").c_str());
  if (timeout_s <= 0) timeout_s = 1800;
  if (!watcher.ok() && !watcher.status().IsNotFound() &&
      watcher.status().code() != Status::Code::kGone) {
    return ex_.SendStatus(watcher.status(), &info);
  }
  auto& resp = ex_.resp();
  resp.setStatusAndReason(HTTPResponse::HTTP_OK);
  resp.setContentType("application/json");
  resp.setChunkedTransferEncoding(true);
  resp.set("Cache-Control", "no-cache, private");
  if (!watcher.ok()) {
    std::ostream& out = resp.send();
    out << WatchErrorLine(watcher.status());
    out.flush();
    return;
  }
  // The stream leaves this thread: the fan-out writes the head and every
  // event, and closes the connection when the watch ends.
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&ex_.req());
  if (impl == nullptr) {
    return ex_.SendStatus(
        Status::Internal("the watch connection cannot be handed off"));
  }
  resp.setKeepAlive(false);
  std::ostringstream head;
  resp.write(head);
  WatchStreamSpec spec;
  spec.response_head = head.str();
  spec.watcher = std::move(watcher).value();
  spec.kind = &kind;
  spec.version = version_;
  spec.table = WantsTable(ex_.req().get("Accept", ""));
  spec.include = ParseIncludeObject(q.Get("includeObject"));
  spec.bookmarks = q.Flag("allowWatchBookmarks");
  spec.deadline = Clock::now() + std::chrono::seconds(timeout_s);
  spec.socket = impl->detachSocket();
  ex_.set_code(200);
  ctx_->metrics->WatchOpened(info.plural);
  ctx_->fanout->Add(std::move(spec));
}

}  // namespace

void RestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response) {
  const auto start = Clock::now();
  Exchange ex(request, response);
  std::string verb = request.getMethod();
  std::string resource;
  try {
    Poco::URI uri(request.getURI());
    Query q;
    q.params = uri.getQueryParameters();
    const std::string& path = uri.getPath();
    // Public endpoints, as kube-apiserver's system:public-info-viewer.
    if (path == "/version") {
      ex.Send(200, VersionBody());
    } else if (path == "/healthz" || path == "/livez" ||
               path.rfind("/healthz/", 0) == 0 ||
               path.rfind("/livez/", 0) == 0) {
      ex.Send(200, "ok", "text/plain; charset=utf-8");
    } else if (path == "/cacerts" && !ctx_->options.ca_cert_pem.empty()) {
      ex.Send(200, ctx_->options.ca_cert_pem, "application/x-pem-file");
    } else if (path == "/readyz" || path.rfind("/readyz/", 0) == 0) {
      if (ctx_->ready) {
        ex.Send(200, "ok", "text/plain; charset=utf-8");
      } else {
        ex.Send(503, "[-]startup not finished\nreadyz check failed",
                "text/plain; charset=utf-8");
      }
    } else {
      StatusOr<UserInfo> acting = Status::Unauthorized("Unauthorized");
      if (ctx_->options.tokens) {
        acting = tls::AuthenticateRequest(request, *ctx_->options.tokens,
                                          ctx_->options.authenticators);
      }
      if (acting.ok()) {
        acting = Impersonate(request, *acting, ctx_->service->authorizer());
      } else if (ctx_->options.allow_anonymous) {
        acting = UserInfo{"system:anonymous", "", {}};
      }
      if (!acting.ok()) {
        ex.SendStatus(acting.status());
      } else {
        const UserInfo user = std::move(acting).value();
        if (path == "/metrics") {
          ex.Send(200, ctx_->metrics->Render(),
                  "text/plain; version=0.0.4; charset=utf-8");
        } else if (path == "/openapi/v2") {
          // Kinds are described in v3. v2 answers with an empty document
          // (protobuf, the only form kubectl asks for) so that older clients
          // validating client-side skip kinds they cannot find instead of
          // failing on a 404.
          ex.Send(200, EmptyOpenApiV2(),
                  "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
        } else if (path == "/openapi/v3" || path == "/openapi/v3/") {
          ex.Send(200, ctx_->openapi->Root());
        } else if (path.rfind("/openapi/v3/", 0) == 0) {
          std::string gv = path.substr(std::string("/openapi/v3/").size());
          const std::string* doc = ctx_->openapi->Document(gv);
          if (!doc) {
            ex.SendStatus(Status::NotFound(
                "the server could not find the requested resource"));
          } else {
            response.set("ETag", "\"" + ctx_->openapi->Hash(gv) + "\"");
            response.set("Cache-Control", "public, immutable");
            ex.Send(200, *doc);
          }
        } else {
          RequestInfo ri = ParseRequestPath(path);
          if (ri.parts.empty() || (ri.api_prefix.empty())) {
            ex.SendStatus(Status::NotFound(
                "the server could not find the requested resource"));
          } else {
            Router router(ex, ctx_, user);
            router.Route(ri, q, &verb, &resource);
          }
        }
      }
    }
  } catch (const Poco::Exception& e) {
    // The client went away mid-reply; nothing left to tell it.
    if (!response.sent()) {
      ex.SendStatus(Status::Internal(e.displayText()));
    }
  } catch (const std::exception& e) {
    if (!response.sent()) ex.SendStatus(Status::Internal(e.what()));
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  ctx_->metrics->ObserveRequest(verb, resource, ex.code() ? ex.code() : 200,
                                secs);
}

}  // namespace berth::api
