#include "cli/http_error.h"

#include <gtest/gtest.h>

namespace mpp::cli {
namespace {

net::HttpResponse Answer(long status, std::string body) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

TEST(HttpStatusError, UsesProblemDetails) {
  auto error = HttpStatusError(
      Answer(400, R"({"type":"about:blank","title":"Bad Request","detail":"messages must not be empty"})"),
      "http://h/x");
  EXPECT_EQ(error.kind, ErrorKind::kNetwork);
  EXPECT_EQ(error.message.rfind("HTTP 400 from http://h/x: ", 0), 0u) << error.message;
  EXPECT_NE(error.message.find("messages must not be empty"), std::string::npos) << error.message;
}

TEST(HttpStatusError, UsesTheServiceErrorObject) {
  auto error =
      HttpStatusError(Answer(404, R"({"error":{"message":"no route","type":"not_found"}})"), "http://h/x");
  EXPECT_NE(error.message.find("HTTP 404 from http://h/x: no route"), std::string::npos) << error.message;
}

TEST(HttpStatusError, FallsBackToOneSafeLineOfTheBody) {
  auto error = HttpStatusError(Answer(502, "bad gateway\r\n<html>\x1b[2J</html>"), "http://h/x");
  EXPECT_EQ(error.message.find('\n'), std::string::npos);
  EXPECT_EQ(error.message.find('\x1b'), std::string::npos);
  EXPECT_NE(error.message.find("HTTP 502 from http://h/x: bad gateway"), std::string::npos) << error.message;
  EXPECT_EQ(HttpStatusError(Answer(500, ""), "http://h/x").message, "HTTP 500 from http://h/x");
}

}  // namespace
}  // namespace mpp::cli
