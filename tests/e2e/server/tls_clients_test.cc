// TLS clients a user points at the API server, against a real `berth
// server`: busybox wget's own TLS (what a busybox pod has; it sends no
// signature_algorithms extension, so only a SHA-1 handshake signature can
// answer it) is served as kube-apiserver serves it, while a client that
// offers only SHA-1 signatures in that extension is still refused.
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
    ASSERT_TRUE(server_.Start()) << server_.log();
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

}  // namespace
}  // namespace berth::testing
