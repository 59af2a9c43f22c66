#include "tests/support/api_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

namespace berth::testing {

ApiClient::ApiClient(const std::string& url, const std::string& data_dir)
    : ApiClient(url, data_dir + "/pki/ca.crt", data_dir + "/pki/admin.crt",
                data_dir + "/pki/admin.key") {}

ApiClient::ApiClient(const std::string& url, const std::string& ca_file,
                     const std::string& cert_file,
                     const std::string& key_file) {
  Poco::URI uri(url);
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, key_file, cert_file, ca_file,
      Poco::Net::Context::VERIFY_RELAXED);
  session_ = std::make_unique<Poco::Net::HTTPSClientSession>(
      uri.getHost(), uri.getPort(), ctx);
  session_->setKeepAlive(true);
  session_->setTimeout(Poco::Timespan(30, 0));
}

ApiClient::~ApiClient() = default;

ApiResponse ApiClient::Request(const std::string& method,
                               const std::string& path, const std::string& body,
                               const std::string& content_type) {
  ApiResponse out;
  try {
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    if (!body.empty()) {
      req.setContentType(content_type);
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session_->sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session_->receiveResponse(resp);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text);
    out.status = resp.getStatus();
    out.body = text.str();
  } catch (const Poco::Exception& e) {
    out.status = 0;
    out.error = e.displayText();
    session_->reset();
  } catch (const std::exception& e) {
    out.status = 0;
    out.error = e.what();
    session_->reset();
  }
  return out;
}

}  // namespace berth::testing
