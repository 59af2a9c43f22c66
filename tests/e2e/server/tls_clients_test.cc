// TLS clients a user points at the API server, against a real `berth
// server`: busybox wget's own TLS (what a busybox pod has; it sends no
// signature_algorithms extension, so only a SHA-1 handshake signature can
// answer it) is served as kube-apiserver serves it, while a client that
// offers only SHA-1 signatures in that extension is still refused; clients
// that dial the server by the `kubernetes` Service's names and ClusterIP (as
// pods do) or by its advertised address verify its certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;

class TlsClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand("busybox true").exit_code != 0 ||
        RunCommand("openssl version").exit_code != 0) {
      GTEST_SKIP() << "busybox or openssl missing (scripts/install-deps.sh)";
    }
    ASSERT_TRUE(server_.Start({"--advertise-address", "192.0.2.10"}))
        << server_.log();
    host_port_ = server_.url().substr(server_.url().find("://") + 3);
  }

  TempDir dir_;
  BerthServer server_{dir_.path()};
  std::string host_port_;
};

TEST_F(TlsClientsTest, BusyboxWgetsOwnTlsReachesTheApi) {
  // With no openssl on PATH, busybox wget uses its own TLS code instead of
  // running `openssl s_client`.
  auto r = RunCommand(
      "env PATH=/nonexistent /bin/busybox wget "
      "--no-check-certificate -qO- https://" +
      host_port_ + "/api 2>&1");
  EXPECT_THAT(r.out, HasSubstr("HTTP/1.1 401 Unauthorized")) << r.out;
}

TEST_F(TlsClientsTest, AClientOfferingOnlySha1SignaturesIsRefused) {
  auto r = RunCommand("openssl s_client -connect " + host_port_ +
                      " -tls1_2 -cipher 'DEFAULT@SECLEVEL=0' "
                      "-sigalgs ECDSA+SHA1 </dev/null 2>&1");
  EXPECT_THAT(r.out, HasSubstr("handshake failure")) << r.out;
  // The same client with SHA-256 offered gets through.
  auto ok = RunCommand("openssl s_client -connect " + host_port_ +
                       " -tls1_2 -sigalgs ECDSA+SHA256 </dev/null 2>&1");
  EXPECT_THAT(ok.out, HasSubstr("Peer signature type: ECDSA")) << ok.out;
}

// What a pod's client checks: the certificate, verified against the CA every
// pod gets, must name the host it dialed.
TEST_F(TlsClientsTest, TheCertificateNamesTheKubernetesServiceAndAddress) {
  const std::string port = host_port_.substr(host_port_.rfind(':') + 1);
  const std::string ca = server_.data_dir() + "/pki/ca.crt";
  for (const std::string name :
       {"kubernetes", "kubernetes.default", "kubernetes.default.svc"}) {
    auto r = RunCommand("curl -s -o /dev/null -w '%{http_code}' --cacert " +
                        ca + " --resolve " + name + ":" + port +
                        ":127.0.0.1 https://" + name + ":" + port + "/readyz");
    EXPECT_EQ(r.out, "200") << name << ": " << r.err;
  }
  // The first address of the default Service range (the kubernetes
  // Service's ClusterIP, what KUBERNETES_SERVICE_HOST holds) and the
  // advertised address, checked as IP names.
  for (const std::string ip : {"10.96.0.1", "192.0.2.10"}) {
    auto r = RunCommand("openssl s_client -connect " + host_port_ +
                        " -CAfile " + ca + " -verify_ip " + ip +
                        " -verify_return_error </dev/null 2>&1");
    EXPECT_THAT(r.out, HasSubstr("Verify return code: 0 (ok)")) << ip << r.out;
  }
  // A name the server does not have is refused, so the checks above mean
  // something.
  auto wrong =
      RunCommand("openssl s_client -connect " + host_port_ + " -CAfile " + ca +
                 " -verify_ip 10.96.0.2 -verify_return_error "
                 "</dev/null 2>&1");
  EXPECT_THAT(wrong.out, ::testing::Not(HasSubstr("Verify return code: 0")));
}

}  // namespace
}  // namespace berth::testing
