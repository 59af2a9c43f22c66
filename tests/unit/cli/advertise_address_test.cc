// The address `berth server` advertises in the kubernetes Service's
// endpoints: the flag, else a bind address pods can reach, else the host's
// own address — never a loopback or wildcard one.
#include "kernel/cli/advertise_address.h"

#include <gtest/gtest.h>

namespace berth::cli {
namespace {

TEST(AdvertiseAddress, FlagThenBindAddress) {
  EXPECT_EQ(ChooseAdvertiseAddress("192.0.2.9", "10.0.0.1"), "192.0.2.9");
  EXPECT_EQ(ChooseAdvertiseAddress("", "10.0.0.1"), "10.0.0.1");
}

TEST(AdvertiseAddress, WildcardOrLoopbackBindAdvertisesTheHost) {
  for (const char* bind :
       {"", "0.0.0.0", "::", "127.0.0.1", "127.1.2.3", "::1"}) {
    const std::string chosen = ChooseAdvertiseAddress("", bind);
    EXPECT_NE(chosen, "0.0.0.0");
    EXPECT_FALSE(chosen.empty());
    // The host's first non-loopback IPv4 address, or 127.0.0.1 on a host
    // that has none (the only answer left).
    EXPECT_EQ(chosen, ChooseAdvertiseAddress("", "0.0.0.0")) << bind;
  }
}

}  // namespace
}  // namespace berth::cli
