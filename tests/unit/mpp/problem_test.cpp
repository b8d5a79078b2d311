#include "mpp/problem.h"

#include <gtest/gtest.h>

namespace mpp::protocol {
namespace {

TEST(ProblemDetails, ParsesAnMppxVerificationFailure) {
  auto problem = ParseProblemDetails(
      R"({"type":"https://paymentauth.org/problems/verification-failed","title":"Verification Failed",)"
      R"("status":402,"detail":"Payment verification failed: amount mismatch.","challengeId":"abc"})");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->kind, ProblemType::kVerificationFailed);
  EXPECT_EQ(problem->title, "Verification Failed");
  EXPECT_EQ(problem->status, 402);
  EXPECT_EQ(problem->challenge_id, "abc");
  EXPECT_EQ(
      DescribeProblem(*problem),
      "the server could not verify the payment (server: Payment verification failed: amount mismatch.)");
}

TEST(ProblemDetails, ParsesThePaymentRequiredBodyWithAHint) {
  auto problem = ParseProblemDetails(
      R"({"type":"https://paymentauth.org/problems/payment-required","title":"Payment Required",)"
      R"("status":402,"detail":"Payment is required.","hint":"Use a supported wallet"})");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->kind, ProblemType::kPaymentRequired);
  EXPECT_EQ(problem->hint, "Use a supported wallet");
}

TEST(ProblemDetails, ClassifiesEveryKnownType) {
  const std::pair<const char*, ProblemType> cases[] = {
      {"payment-required", ProblemType::kPaymentRequired},
      {"payment-insufficient", ProblemType::kPaymentInsufficient},
      {"payment-expired", ProblemType::kPaymentExpired},
      {"verification-failed", ProblemType::kVerificationFailed},
      {"method-unsupported", ProblemType::kMethodUnsupported},
      {"malformed-credential", ProblemType::kMalformedCredential},
      {"invalid-challenge", ProblemType::kInvalidChallenge},
      {"invalid-payload", ProblemType::kInvalidPayload},
      {"bad-request", ProblemType::kBadRequest},
      {"payment-action-required", ProblemType::kPaymentActionRequired},
      {"internal-payment-error", ProblemType::kInternalPaymentError},
      {"internal-error", ProblemType::kInternalPaymentError},
      {"payment-error", ProblemType::kPaymentError},
      {"session/insufficient-balance", ProblemType::kSession},
      {"session/channel-finalized", ProblemType::kSession},
  };
  for (const auto& [slug, kind] : cases) {
    std::string uri = std::string("https://paymentauth.org/problems/") + slug;
    EXPECT_EQ(ClassifyProblemType(uri), kind) << slug;
    EXPECT_FALSE(ExplainProblemType(uri).empty()) << slug;
  }
}

TEST(ProblemDetails, LeavesOtherTypesUnknown) {
  for (const char* uri :
       {"about:blank", "", "https://paymentauth.org/problems/",
        "http://paymentauth.org/problems/payment-expired",
        "https://paymentauth.org/problems/payment-expired/", "https://example.com/problems/payment-expired",
        "https://paymentauth.org/problems/PAYMENT-EXPIRED"}) {
    EXPECT_EQ(ClassifyProblemType(uri), ProblemType::kUnknown) << uri;
    EXPECT_TRUE(ExplainProblemType(uri).empty()) << uri;
  }
}

TEST(ProblemDetails, DescribesUnknownProblemsByTitleOrType) {
  auto titled =
      ParseProblemDetails(R"({"type":"https://example.com/x","title":"Quota","detail":"too many"})");
  ASSERT_TRUE(titled);
  EXPECT_EQ(titled->kind, ProblemType::kUnknown);
  EXPECT_EQ(DescribeProblem(*titled), "Quota (server: too many)");
  auto bare = ParseProblemDetails(R"({"status":500})");
  ASSERT_TRUE(bare);
  EXPECT_EQ(DescribeProblem(*bare), "the server reported a problem");
}

TEST(ProblemDetails, IgnoresMistypedMembers) {
  auto problem = ParseProblemDetails(R"({"type":5,"title":["x"],"status":"402","detail":"d"})");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->type, "");
  EXPECT_EQ(problem->title, "");
  EXPECT_FALSE(problem->status);
  EXPECT_EQ(problem->detail, "d");
  EXPECT_FALSE(ParseProblemDetails(R"({"status":99999})"));
  EXPECT_FALSE(ParseProblemDetails(R"({"status":402.5})"));
}

TEST(ProblemDetails, MakesServerTextDisplaySafe) {
  auto problem =
      ParseProblemDetails(R"({"detail":"\u001b[2J\u009bwiped","title":")" + std::string(5000, 't') + "\"}");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->detail, "?[2J?wiped");
  EXPECT_LE(problem->title.size(), 303u);
}

TEST(ProblemDetails, RefusesBodiesThatAreNotProblems) {
  for (std::string body :
       {std::string(""), std::string("<html>502 Bad Gateway</html>"), std::string("[]"), std::string("{}"),
        std::string(R"({"error":{"message":"x"}})"), std::string("null"),
        std::string("{\"detail\":\"x\"}\0", 15), std::string("{\"detail\":\"\xff\"}"),
        std::string(R"({"detail":"x")"), "{\"detail\":\"" + std::string(kMaxProblemBodyBytes, 'x') + "\"}"}) {
    EXPECT_FALSE(ParseProblemDetails(body)) << body.substr(0, 60);
  }
}

TEST(ProblemDetails, SurvivesDeepNestingAndRefusesIt) {
  // The bounded reader refuses nesting past kMaxJsonDepth (before, this body was read): no problem
  // details, and no stack walk over 30,000 levels.
  std::string deep = "{\"detail\":\"d\",\"x\":" + std::string(30000, '[') + std::string(30000, ']') + "}";
  EXPECT_FALSE(ParseProblemDetails(deep));
  std::string shallow = "{\"detail\":\"d\",\"x\":" + std::string(100, '[') + std::string(100, ']') + "}";
  auto problem = ParseProblemDetails(shallow);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->detail, "d");
}

}  // namespace
}  // namespace mpp::protocol
