// ApiClient: a minimal HTTPS client for tests that talk to a started
// `berth server` directly (not through kubectl), authenticating with the
// admin client certificate from the server's data dir. One keep-alive
// connection per instance.
//
// Thread safety: one thread per instance; use one instance per thread.
#ifndef BERTH_TESTS_SUPPORT_API_CLIENT_H_
#define BERTH_TESTS_SUPPORT_API_CLIENT_H_

#include <memory>
#include <string>

namespace Poco::Net {
class HTTPSClientSession;
}

namespace berth::testing {

struct ApiResponse {
  int status = 0;  // HTTP status; 0 when the request did not complete
  std::string body;
  std::string error;  // transport error text when status is 0
};

class ApiClient {
 public:
  // `url` is the server's https://host:port; `data_dir` holds pki/ca.crt,
  // pki/admin.crt and pki/admin.key.
  ApiClient(const std::string& url, const std::string& data_dir);
  // Authenticates with the client certificate and key in these PEM files.
  ApiClient(const std::string& url, const std::string& ca_file,
            const std::string& cert_file, const std::string& key_file);
  ~ApiClient();

  // Sends one request with a body (may be empty) of `content_type`. Never
  // throws: a transport failure (refused, reset, server killed) gives
  // status 0.
  ApiResponse Request(const std::string& method, const std::string& path,
                      const std::string& body = "",
                      const std::string& content_type = "application/json");

 private:
  std::unique_ptr<Poco::Net::HTTPSClientSession> session_;
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_API_CLIENT_H_
