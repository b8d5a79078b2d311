#include "net/url.h"

#include <gtest/gtest.h>

namespace mpp::net {
namespace {

TEST(MustBypassProxy, LoopbackIsAlwaysDirect) {
  for (const char* url :
       {"http://127.0.0.1:8080/v1", "http://localhost/x", "https://127.0.0.2/x", "http://[::1]:9/"}) {
    EXPECT_TRUE(MustBypassProxy(url, false)) << url;
    EXPECT_TRUE(MustBypassProxy(url, true)) << url;
  }
}

TEST(MustBypassProxy, ACredentialNeverGoesThroughAProxyInClear) {
  EXPECT_TRUE(MustBypassProxy("http://llm.example.com/v1", true));
  EXPECT_FALSE(MustBypassProxy("http://llm.example.com/v1", false));  // a probe may use the proxy
  EXPECT_FALSE(MustBypassProxy("https://llm.example.com/v1", true));  // the proxy sees only a tunnel
}

TEST(MustBypassProxy, AnythingUnparsableIsNeverHandedToAProxy) {
  EXPECT_TRUE(MustBypassProxy("ftp://example.com/", false));
  EXPECT_TRUE(MustBypassProxy("not a url", false));
}

}  // namespace
}  // namespace mpp::net
