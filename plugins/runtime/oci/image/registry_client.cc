#include "plugins/runtime/oci/image/registry_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "berth/json.h"
#include "plugins/runtime/oci/image/sha256.h"

namespace berth::oci {
namespace {

constexpr int kMaxRedirects = 5;
constexpr int kTimeoutSeconds = 60;
constexpr int kProbeTimeoutSeconds = 3;
// Manifests, indexes, tokens and errors are read into memory: a bound keeps
// a broken or hostile registry from exhausting it (containerd uses 4 MiB).
constexpr size_t kMaxDocumentBytes = 8 << 20;

std::string Base64(const std::string& s) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << s;
  enc.close();
  return out.str();
}

// Parameters of a WWW-Authenticate challenge: scheme and key="value"s.
struct Challenge {
  std::string scheme;
  std::map<std::string, std::string> params;
};

Challenge ParseChallenge(const std::string& header) {
  Challenge c;
  size_t sp = header.find(' ');
  c.scheme = header.substr(0, sp);
  for (auto& ch : c.scheme) ch = static_cast<char>(std::tolower(ch));
  size_t i = sp == std::string::npos ? header.size() : sp + 1;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = header.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      size_t end = header.find('"', i + 1);
      if (end == std::string::npos) end = header.size();
      value = header.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      size_t end = header.find(',', i);
      if (end == std::string::npos) end = header.size();
      value = header.substr(i, end - i);
      i = end;
    }
    c.params[key] = value;
  }
  return c;
}

std::string UrlEncode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=+?:/ ", out);
  return out;
}

}  // namespace

RegistryClient::RegistryClient(ImageReference ref,
                               std::optional<ImageAuth> auth,
                               RegistryHostSettings settings)
    : ref_(std::move(ref)),
      auth_(std::move(auth)),
      settings_(std::move(settings)) {
  base_url_ =
      (settings_.plain_http ? "http://" : "https://") + ref_.RegistryHost();
  if (auth_ && !auth_->identity_token.empty()) {
    authorization_ = "Bearer " + auth_->identity_token;
  }
}

StatusOr<RegistryClient::Response> RegistryClient::Get(
    const std::string& url, const std::string& accept, const std::string& file,
    const std::string& authorization) {
  Poco::URI uri(url);
  Response r;
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
          Poco::Net::Context::TLS_CLIENT_USE, "", "", settings_.ca_file,
          settings_.insecure ? Poco::Net::Context::VERIFY_NONE
                             : Poco::Net::Context::VERIFY_RELAXED,
          9, /*loadDefaultCAs=*/true);
      session = std::make_unique<Poco::Net::HTTPSClientSession>(
          uri.getHost(), uri.getPort(), ctx);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(),
                                                               uri.getPort());
    }
    session->setTimeout(Poco::Timespan(timeout_seconds_, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET,
                               uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("User-Agent", "berth");
    if (!accept.empty()) req.set("Accept", accept);
    if (!authorization.empty()) req.set("Authorization", authorization);
    session->sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& body = session->receiveResponse(resp);
    r.status = static_cast<int>(resp.getStatus());
    r.content_type = resp.getContentType();
    r.www_authenticate = resp.get("WWW-Authenticate", "");
    r.location = resp.get("Location", "");
    char buf[1 << 16];
    if (!file.empty() && r.status == 200) {
      std::ofstream out(file, std::ios::binary);
      while (body) {
        body.read(buf, sizeof(buf));
        out.write(buf, body.gcount());
      }
      out.close();
      if (!out) return Status::Internal("cannot write " + file);
    } else {
      std::ostringstream ss;
      size_t total = 0;
      while (body) {
        body.read(buf, sizeof(buf));
        ss.write(buf, body.gcount());
        total += static_cast<size_t>(body.gcount());
        if (total > kMaxDocumentBytes) {
          return Status::Invalid("pulling image \"" + ref_.String() +
                                 "\": reply from " + uri.getAuthority() +
                                 " is larger than " +
                                 std::to_string(kMaxDocumentBytes) + " bytes");
        }
      }
      r.body = ss.str();
    }
  } catch (const Poco::Net::ConnectionRefusedException& e) {
    return Status::Unavailable("pulling image \"" + ref_.String() +
                               "\": registry " + uri.getAuthority() +
                               " refused the connection");
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("pulling image \"" + ref_.String() +
                               "\": cannot reach " + uri.getAuthority() + ": " +
                               e.displayText());
  } catch (const std::exception& e) {
    return Status::Unavailable("pulling image \"" + ref_.String() +
                               "\": cannot reach " + uri.getAuthority() + ": " +
                               e.what());
  }
  return r;
}

Status RegistryClient::Authenticate(const std::string& header) {
  Challenge c = ParseChallenge(header);
  bool have_creds = auth_ && !auth_->username.empty();
  if (c.scheme == "basic") {
    if (!have_creds) {
      return Status::Unauthorized("pulling image \"" + ref_.String() +
                                  "\": registry requires credentials");
    }
    authorization_ = "Basic " + Base64(auth_->username + ":" + auth_->password);
    return Status::Ok();
  }
  if (c.scheme != "bearer" || c.params["realm"].empty()) {
    return Status::Unauthorized("pulling image \"" + ref_.String() +
                                "\": unsupported authentication challenge \"" +
                                header + "\"");
  }
  std::string url = c.params["realm"];
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += "scope=" + UrlEncode("repository:" + ref_.repository + ":pull");
  if (!c.params["service"].empty()) {
    url += "&service=" + UrlEncode(c.params["service"]);
  }
  auto r = Get(url, "application/json", "",
               have_creds
                   ? "Basic " + Base64(auth_->username + ":" + auth_->password)
                   : "");
  if (!r.ok()) return r.status();
  if (r->status != 200) {
    Status st = ErrorFrom(*r);
    if (r->status == 401 || r->status == 403) {
      return Status::Unauthorized(st.message());
    }
    return st;
  }
  auto doc = ParseJson(r->body);
  if (!doc.ok()) return Status::Unauthorized("bad token reply from " + url);
  std::string token = GetString(*doc, {"token"});
  if (token.empty()) token = GetString(*doc, {"access_token"});
  if (token.empty()) return Status::Unauthorized("no token from " + url);
  authorization_ = "Bearer " + token;
  return Status::Ok();
}

Status RegistryClient::ErrorFrom(const Response& r) const {
  std::string code, message;
  auto doc = ParseJson(r.body);
  if (doc.ok()) {
    if (const Json* errs = Member(*doc, "errors");
        errs && errs->IsArray() && !errs->Empty()) {
      code = GetString((*errs)[0], {"code"});
      message = GetString((*errs)[0], {"message"});
    }
  }
  std::string text =
      "pulling image \"" + ref_.String() + "\": " +
      (message.empty() ? "HTTP " + std::to_string(r.status) : message) +
      (code.empty() ? "" : " (" + code + ")");
  if (code == "MANIFEST_UNKNOWN" || code == "NAME_UNKNOWN" ||
      code == "BLOB_UNKNOWN" || (code.empty() && r.status == 404)) {
    return Status::NotFound(text);
  }
  if (code == "UNAUTHORIZED" || code == "DENIED" ||
      (code.empty() && (r.status == 401 || r.status == 403))) {
    return Status::Unauthorized(text);
  }
  if (code == "TOOMANYREQUESTS" || r.status >= 500) {
    return Status::Unavailable(text);
  }
  return Status::Invalid(text);
}

StatusOr<RegistryClient::Response> RegistryClient::RegistryGet(
    const std::string& path, const std::string& accept,
    const std::string& file) {
  // An insecure registry is tried over HTTPS without verification first
  // and over plain HTTP when TLS fails (as docker does). One quick probe of
  // /v2/ settles the scheme: a plain HTTP server may never answer a TLS
  // handshake, so it must not wait for the full timeout.
  if (settings_.insecure && !settings_.plain_http && !scheme_settled_) {
    scheme_settled_ = true;
    timeout_seconds_ = kProbeTimeoutSeconds;
    auto probe = Get(base_url_ + "/v2/", "", "", "");
    timeout_seconds_ = kTimeoutSeconds;
    if (!probe.ok()) base_url_ = "http://" + ref_.RegistryHost();
  }
  std::string url = base_url_ + path;
  bool authenticated = false;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    // Credentials go to the registry only, not to a blob redirect target.
    bool to_registry =
        Poco::URI(url).getAuthority() == Poco::URI(base_url_).getAuthority();
    auto r = Get(url, accept, file, to_registry ? authorization_ : "");
    if (!r.ok()) return r.status();
    if (r->status == 401 && !authenticated && !r->www_authenticate.empty()) {
      Status st = Authenticate(r->www_authenticate);
      if (!st.ok()) return st;
      authenticated = true;
      --hop;
      continue;
    }
    if (r->status >= 300 && r->status < 400 && !r->location.empty()) {
      Poco::URI next(Poco::URI(url), r->location);
      url = next.toString();
      continue;
    }
    if (r->status != 200) return ErrorFrom(*r);
    return r;
  }
  return Status::Unavailable("pulling image \"" + ref_.String() +
                             "\": too many redirects");
}

StatusOr<FetchedManifest> RegistryClient::GetManifest(
    const std::string& tag_or_digest) {
  std::string accept = std::string(kOciIndex) + ", " + kOciManifest + ", " +
                       kDockerList + ", " + kDockerManifest;
  auto r = RegistryGet("/v2/" + ref_.repository + "/manifests/" + tag_or_digest,
                       accept, "");
  if (!r.ok()) return r.status();
  FetchedManifest m;
  m.media_type = r->content_type;
  if (size_t semi = m.media_type.find(';'); semi != std::string::npos) {
    m.media_type = m.media_type.substr(0, semi);
  }
  m.body = std::move(r->body);
  m.digest = "sha256:" + Sha256Hex(m.body);
  if (IsSha256Digest(tag_or_digest) && m.digest != tag_or_digest) {
    return Status::Invalid("pulling image \"" + ref_.String() +
                           "\": manifest digest mismatch: expected " +
                           tag_or_digest + ", got " + m.digest);
  }
  return m;
}

Status RegistryClient::DownloadBlob(const std::string& digest,
                                    const std::string& path) {
  auto r = RegistryGet("/v2/" + ref_.repository + "/blobs/" + digest, "", path);
  return r.ok() ? Status::Ok() : r.status();
}

}  // namespace berth::oci
