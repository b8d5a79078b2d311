#include "cli/quote_discover.h"

#include <gtest/gtest.h>

namespace mpp::cli {
namespace {

TEST(DiscoveryUrl, IsTheOriginsOpenApiDocument) {
  EXPECT_EQ(DiscoveryUrl("https://openrouter.mpp.tempo.xyz/v1/chat/completions"),
            "https://openrouter.mpp.tempo.xyz/openapi.json");
  EXPECT_EQ(DiscoveryUrl("http://127.0.0.1:8080/openrouter/v1/chat/completions?x=1"),
            "http://127.0.0.1:8080/openapi.json");
  EXPECT_EQ(DiscoveryUrl("https://h.example:443/groq/chat"), "https://h.example/openapi.json");
  EXPECT_EQ(DiscoveryUrl("ftp://h.example/x"), std::nullopt);
}

TEST(UrlPath, DropsOriginAndQuery) {
  EXPECT_EQ(UrlPath("http://127.0.0.1:8080/groq/chat?a=b"), "/groq/chat");
  EXPECT_EQ(UrlPath("https://h.example"), "/");
  EXPECT_EQ(UrlPath("https://h.example?q"), "/");
}

}  // namespace
}  // namespace mpp::cli
