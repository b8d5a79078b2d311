#include "net/http.h"

#include <gtest/gtest.h>

namespace mpp::net {
namespace {

HttpRequest WithHeaders(std::vector<Header> headers) {
  HttpRequest request;
  request.url = "https://groq.mpp.paywithlocus.com/groq/chat";
  request.headers = std::move(headers);
  return request;
}

TEST(RequestHeaderLines, EveryRequestCarriesMppsUserAgentLast) {
  auto lines = RequestHeaderLines(WithHeaders({{"Content-Type", "application/json"}}), "mpp/1.2.3");
  ASSERT_TRUE(lines);
  EXPECT_EQ(*lines, (std::vector<std::string>{"Content-Type: application/json", "User-Agent: mpp/1.2.3"}));
}

TEST(RequestHeaderLines, NoHeaderCanReplaceOrRemoveTheUserAgent) {
  // An empty value would tell libcurl to drop its own header; a User-Agent of the caller's is ignored.
  auto lines = RequestHeaderLines(
      WithHeaders({{"user-agent", ""}, {"USER-AGENT", "curl/8"}, {"X-Empty", ""}, {"Accept", "*/*"}}),
      "mpp/1");
  ASSERT_TRUE(lines);
  EXPECT_EQ(*lines, (std::vector<std::string>{"Accept: */*", "User-Agent: mpp/1"}));
}

TEST(RequestHeaderLines, ARequestWithoutAUserAgentNeverLeaves) {
  auto lines = RequestHeaderLines(WithHeaders({}), "");
  ASSERT_FALSE(lines);
  EXPECT_EQ(lines.error().kind, ErrorKind::kUsage);
  EXPECT_NE(lines.error().message.find("User-Agent"), std::string::npos);
  EXPECT_FALSE(RequestHeaderLines(WithHeaders({}), "mpp/1\r\nX: y"));
}

TEST(RequestHeaderLines, RefusesHeadersThatWouldSplitTheRequest) {
  EXPECT_FALSE(RequestHeaderLines(WithHeaders({{"X-A", "1\r\nUser-Agent:"}}), "mpp/1"));
  EXPECT_FALSE(RequestHeaderLines(WithHeaders({{"X-A\n", "1"}}), "mpp/1"));
  EXPECT_FALSE(RequestHeaderLines(WithHeaders({{"X:A", "1"}}), "mpp/1"));
  EXPECT_FALSE(RequestHeaderLines(WithHeaders({{"", "1"}}), "mpp/1"));
}

}  // namespace
}  // namespace mpp::net
