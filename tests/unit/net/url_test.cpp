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

TEST(ParseOrigin, TakesSchemeHostAndPortWithTheSchemesDefault) {
  auto https = ParseOrigin("https://llm.example.com/v1/chat/completions");
  ASSERT_TRUE(https.has_value());
  EXPECT_EQ(*https, (Origin{"https", "llm.example.com", 443}));
  auto http = ParseOrigin("http://llm.example.com");
  ASSERT_TRUE(http.has_value());
  EXPECT_EQ(*http, (Origin{"http", "llm.example.com", 80}));
  auto explicit_port = ParseOrigin("http://127.0.0.1:8080/v1?x=1");
  ASSERT_TRUE(explicit_port.has_value());
  EXPECT_EQ(*explicit_port, (Origin{"http", "127.0.0.1", 8080}));
}

TEST(ParseOrigin, SchemeAndHostAreCaseInsensitive) {
  auto origin = ParseOrigin("HTTPS://LLM.Example.COM:443/Path");
  ASSERT_TRUE(origin.has_value());
  EXPECT_EQ(*origin, (Origin{"https", "llm.example.com", 443}));
  EXPECT_EQ(ParseOrigin("https://llm.example.com/"), ParseOrigin("https://LLM.example.com:443/other"));
}

TEST(ParseOrigin, KeepsTheBracketsOfAnIpv6Literal) {
  auto origin = ParseOrigin("http://[::1]:9/v1");
  ASSERT_TRUE(origin.has_value());
  EXPECT_EQ(*origin, (Origin{"http", "[::1]", 9}));
  auto no_port = ParseOrigin("https://[2001:db8::1]/");
  ASSERT_TRUE(no_port.has_value());
  EXPECT_EQ(*no_port, (Origin{"https", "[2001:db8::1]", 443}));
}

TEST(ParseOrigin, TheAuthorityEndsAtAPathQueryOrFragment) {
  for (const char* url :
       {"http://127.0.0.1/a@b", "http://127.0.0.1?to=a@evil.example", "http://127.0.0.1#a@evil.example"}) {
    auto origin = ParseOrigin(url);
    ASSERT_TRUE(origin.has_value()) << url;
    EXPECT_EQ(origin->host, "127.0.0.1") << url;
  }
}

TEST(ParseOrigin, RefusesWhatIsNotAnAbsoluteHttpUrl) {
  for (const char* url :
       {"", "llm.example.com/v1", "/v1/chat", "https:/llm.example.com", "ftp://example.com/",
        "file:///etc/passwd", "ws://127.0.0.1/", "https://", "http:///path", "http://:80/"}) {
    EXPECT_FALSE(ParseOrigin(url).has_value()) << url;
  }
}

TEST(ParseOrigin, RefusesUserinfoSoAHostCannotHideBehindIt) {
  for (const char* url : {"http://127.0.0.1@evil.example/", "https://user:pass@llm.example.com/",
                          "http://127.0.0.1:80@evil.example:80/", "http://@127.0.0.1/"}) {
    EXPECT_FALSE(ParseOrigin(url).has_value()) << url;
  }
}

TEST(ParseOrigin, RefusesBadPortsAndBrackets) {
  for (const char* url :
       {"http://127.0.0.1:0/", "http://127.0.0.1:65536/", "http://127.0.0.1:-1/", "http://127.0.0.1:+80/",
        "http://127.0.0.1:8o/", "http://127.0.0.1:80:80/", "http://[::1/", "http://[::1]x/"}) {
    EXPECT_FALSE(ParseOrigin(url).has_value()) << url;
  }
  auto highest = ParseOrigin("http://127.0.0.1:65535/");
  ASSERT_TRUE(highest.has_value());
  EXPECT_EQ(highest->port, 65535);
}

TEST(IsLoopbackHost, LocalhostThe127NetworkAndIpv6Loopback) {
  for (const char* host : {"localhost", "127.0.0.1", "127.255.255.254", "127.1.2.3", "[::1]", "::1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(IsLoopbackHost, NothingThatOnlyLooksLikeIt) {
  for (const char* host : {"", "127.0.0.1.evil.example", "127.evil.example", "localhost.evil.example",
                           "evil-localhost", "128.0.0.1", "127.0.0", "127.0.0.1.", "127.0.0.256",
                           "127.0.0.-1", "127.0..1", "127.0.0.0x1", "0.0.0.0", "[::2]", "10.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

bool MayCarry(const char* url) {
  auto origin = ParseOrigin(url);
  return origin.has_value() && MayCarryCredential(*origin);
}

TEST(MayCarryCredential, HttpsGoesAnywhere) {
  EXPECT_TRUE(MayCarry("https://llm.example.com/v1/chat/completions"));
  EXPECT_TRUE(MayCarry("https://127.0.0.1:8443/"));
  EXPECT_TRUE(MayCarry("HTTPS://LLM.EXAMPLE.COM/"));
}

TEST(MayCarryCredential, PlainHttpOnlyToLoopback) {
  for (const char* url : {"http://127.0.0.1:8080/v1", "http://localhost/v1", "http://LOCALHOST:9/",
                          "http://[::1]:9/", "http://127.0.0.53/"}) {
    EXPECT_TRUE(MayCarry(url)) << url;
  }
  for (const char* url : {"http://llm.example.com/v1", "http://10.0.0.1/", "http://192.168.1.2:8080/",
                          "http://127.0.0.1.evil.example/", "http://localhost.evil.example/",
                          "http://127.0.0.1@evil.example/", "http://0.0.0.0/", "http://127.0.0.-1/"}) {
    EXPECT_FALSE(MayCarry(url)) << url;
  }
}

TEST(MayCarryCredential, DecidesOnTheParsedOriginOnly) {
  EXPECT_FALSE(MayCarryCredential(Origin{"http", "llm.example.com", 443}));  // the port does not make it safe
  EXPECT_TRUE(MayCarryCredential(Origin{"https", "llm.example.com", 80}));
  EXPECT_TRUE(MayCarryCredential(Origin{"http", "127.0.0.1", 80}));
}

TEST(ResolveLocation, AbsoluteLocationsStandAndPathsJoinTheOrigin) {
  EXPECT_EQ(ResolveLocation("https://a.example/v1/x", "https://b.example/y"), "https://b.example/y");
  EXPECT_EQ(ResolveLocation("https://a.example/v1/x?q=1", "/v2/z"), "https://a.example/v2/z");
  EXPECT_EQ(ResolveLocation("http://127.0.0.1:9", "/next"), "http://127.0.0.1:9/next");
}

TEST(ResolveLocation, RefusesRelativeAndSchemeRelativeReferences) {
  EXPECT_FALSE(ResolveLocation("https://a.example/v1/x", "y").has_value());
  EXPECT_FALSE(ResolveLocation("https://a.example/v1/x", "").has_value());
  EXPECT_FALSE(ResolveLocation("https://a.example/v1/x", "//evil.example/y").has_value());
  EXPECT_FALSE(ResolveLocation("not a url", "/y").has_value());
}

}  // namespace
}  // namespace mpp::net
