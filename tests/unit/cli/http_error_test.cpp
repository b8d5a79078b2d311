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

TEST(UnpaidAnswerError, A400IsAUsageErrorQuotingTheService) {
  auto error =
      UnpaidAnswerError(Answer(400, R"({"error":"Invalid request","message":"from_symbol is required"})"),
                        "https://x/groq/chat");
  EXPECT_EQ(error.kind, ErrorKind::kUsage);
  EXPECT_NE(error.message.find("HTTP 400 from https://x/groq/chat: Invalid request: from_symbol is required"),
            std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("nothing was paid"), std::string::npos) << error.message;
}

TEST(UnpaidAnswerError, A403NamesTheLikelyCause) {
  auto error = UnpaidAnswerError(Answer(403, "Forbidden\n"), "https://x/groq/chat");
  EXPECT_EQ(error.kind, ErrorKind::kNetwork);
  EXPECT_NE(error.message.find("HTTP 403 from https://x/groq/chat: Forbidden"), std::string::npos);
  EXPECT_NE(error.message.find("User-Agent"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("region"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find('\n'), std::string::npos);
}

TEST(UnpaidAnswerError, OtherStatusesAreHttpStatusErrors) {
  auto answer =
      Answer(404, R"({"success":false,"error":"Not found","message":"This endpoint does not exist."})");
  EXPECT_EQ(UnpaidAnswerError(answer, "https://x/y").message, HttpStatusError(answer, "https://x/y").message);
  EXPECT_EQ(UnpaidAnswerError(answer, "https://x/y").kind, ErrorKind::kNetwork);
}

}  // namespace
}  // namespace mpp::cli
