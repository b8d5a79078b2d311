#include "mpp/challenge.h"

#include <gtest/gtest.h>

#include <random>

#include "util/text.h"

namespace mpp::protocol {
namespace {

using namespace std::string_view_literals;

constexpr const char* kRequest =
    "eyJhbW91bnQiOiIxMDAwIiwiY3VycmVuY3kiOiJVU0QiLCJyZWNpcGllbnQiOiJhY2N0XzEyMyJ9";

std::string Minimal(const std::string& id) {
  return "Payment id=\"" + id +
         "\", realm=\"api.example.com\", method=\"tempo\", intent=\"charge\", request=\"" + kRequest + "\"";
}

// Real header values from mppx 0.11 (Challenge.serialize of Challenge.fromMethod(tempo charge, ...)
// with secretKey "test-secret"), as Node puts them on the wire: characters up to U+00FF as single
// Latin-1 bytes, anything above as \uXXXX.
const std::string kMppxChallenge =
    "Payment id=\"mzue8vStPwIkshHHRhKb9CakxkmYFCp2OS6Y1OTQ85A\", realm=\"api.example.com\", "
    "method=\"tempo\", intent=\"charge\", "
    "request="
    "\"eyJhbW91bnQiOiI1MDAwIiwiY3VycmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi"
    "LCJtZXRob2REZXRhaWxzIjp7ImNoYWluSWQiOjQyNDMxLCJzdXBwb3J0ZWRNb2RlcyI6WyJwdWxsIl19LCJyZWNpcGllbnQiOiIweDc0"
    "MmQzNWNjNjYzNGMwNTMyOTI1YTNiODQ0YmM5ZTc1OTVmOGZlMDAifQ\", "
    "description=\"GPT call \\u2014 \\\"fast\\\" \\\\ caf\xe9 \\ud83d\\ude00\", "
    "expires=\"2025-01-06T12:00:00.000Z\", header=\"Payment-Authorization\", opaque=\"eyJvcmRlciI6IjQyIn0\"";
const std::string kMppxFeePayerChallenge =
    "Payment id=\"c6b8XUW725eLUf6oGRa4ODILDQcPDVB1Og_sqFk7ztU\", realm=\"llm.example\", method=\"tempo\", "
    "intent=\"charge\", "
    "request="
    "\"eyJhbW91bnQiOiIxMDAwMDAwIiwiY3VycmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw"
    "MDEiLCJtZXRob2REZXRhaWxzIjp7ImZlZVBheWVyIjp0cnVlLCJzcGxpdHMiOlt7ImFtb3VudCI6IjEwMDAwMCIsIm1lbW8iOiIweDAw"
    "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwZGVhZGJlZWYiLCJyZWNpcGllbnQiOiIw"
    "eGExYjJjM2Q0ZTVmNmExYjJjM2Q0ZTVmNmExYjJjM2Q0ZTVmNmExYjIifV19LCJyZWNpcGllbnQiOiIweDc0MmQzNWNjNjYzNGMwNTMy"
    "OTI1YTNiODQ0YmM5ZTc1OTVmOGZlMDAifQ\", digest=\"sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:\"";

TEST(ChallengeParser, ParsesTheSpecExampleWithFoldedLines) {
  auto list = ParseChallenges(
      "Payment id=\"x7Tg2pLqR9mKvNwY3hBcZa\",\r\n    realm=\"api.example.com\",\r\n    "
      "method=\"example\",\r\n"
      "    intent=\"charge\",\r\n    expires=\"2025-01-15T12:05:00Z\",\r\n"
      "    request=\"eyJhbW91bnQiOiIxMDAwIiwiY3VycmVuY3kiOiJVU0QiLCJyZWNpcGllbnQiOiJhY2N0XzEyMyJ9\"");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_TRUE(list.rejected.empty());
  const Challenge& c = list.challenges[0];
  EXPECT_EQ(c.id, "x7Tg2pLqR9mKvNwY3hBcZa");
  EXPECT_EQ(c.realm, "api.example.com");
  EXPECT_EQ(c.method, "example");
  EXPECT_EQ(c.intent, "charge");
  EXPECT_EQ(c.request, kRequest);
  EXPECT_EQ(c.expires, "2025-01-15T12:05:00Z");
  EXPECT_EQ(c.expires_at, 1736942700);
  EXPECT_FALSE(c.description);
  EXPECT_FALSE(c.digest);
  EXPECT_FALSE(c.opaque);
  EXPECT_FALSE(c.header);
  EXPECT_EQ(c.params.size(), 6u);
}

TEST(ChallengeParser, ParsesAnMppxChallengeWithEscapesLatin1AndOptionalParams) {
  auto list = ParseChallenges(kMppxChallenge);
  ASSERT_EQ(list.challenges.size(), 1u) << (list.rejected.empty() ? "" : list.rejected[0].reason);
  const Challenge& c = list.challenges[0];
  EXPECT_EQ(c.id, "mzue8vStPwIkshHHRhKb9CakxkmYFCp2OS6Y1OTQ85A");
  EXPECT_EQ(c.description, "GPT call \xe2\x80\x94 \"fast\" \\ caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(c.expires, "2025-01-06T12:00:00.000Z");
  EXPECT_EQ(c.expires_at, 1736164800);
  EXPECT_EQ(c.header, "Payment-Authorization");
  EXPECT_EQ(c.opaque, "eyJvcmRlciI6IjQyIn0");
  EXPECT_TRUE(c.request.starts_with("eyJhbW91bnQiOiI1MDAwIi"));
}

TEST(ChallengeParser, ParsesAnMppxChallengeWithDigestAndNoExpires) {
  auto list = ParseChallenges(kMppxFeePayerChallenge);
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].digest, "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  EXPECT_FALSE(list.challenges[0].expires);
  EXPECT_FALSE(list.challenges[0].expires_at);
}

TEST(ChallengeParser, SplitsTwoChallengesInOneHeaderLine) {
  auto list = ParseChallenges(Minimal("a") + ", " + Minimal("b"));
  ASSERT_EQ(list.challenges.size(), 2u);
  EXPECT_EQ(list.challenges[0].id, "a");
  EXPECT_EQ(list.challenges[1].id, "b");
}

TEST(ChallengeParser, SplitsMppxChallengesJoinedTheWayFetchJoinsHeaderLines) {
  auto list = ParseChallenges(kMppxChallenge + ", " + kMppxFeePayerChallenge);
  ASSERT_EQ(list.challenges.size(), 2u);
  EXPECT_EQ(list.challenges[1].realm, "llm.example");
}

TEST(ChallengeParser, CollectsChallengesOverSeveralHeaderLines) {
  std::string first = Minimal("a");
  std::string second = "Bearer realm=\"x\", " + Minimal("b") + ", " + Minimal("c");
  std::vector<std::string_view> lines = {first, second};
  auto list = ParseChallenges(lines);
  ASSERT_EQ(list.challenges.size(), 3u);
  EXPECT_EQ(list.challenges[0].id, "a");
  EXPECT_EQ(list.challenges[2].id, "c");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].scheme, "Bearer");
}

TEST(ChallengeParser, SkipsOtherSchemesAndSaysSo) {
  auto list = ParseChallenges("Bearer realm=\"x\", Basic dXNlcjpwYXNz, x402 accepts=\"[]\", " + Minimal("p"));
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].id, "p");
  ASSERT_EQ(list.rejected.size(), 3u);
  EXPECT_EQ(list.rejected[0].scheme, "Bearer");
  EXPECT_EQ(list.rejected[0].reason, "not a Payment challenge");
  EXPECT_EQ(list.rejected[1].scheme, "Basic");
  EXPECT_EQ(list.rejected[2].scheme, "x402");
}

TEST(ChallengeParser, MatchesSchemeAndParamNamesCaseInsensitively) {
  auto list = ParseChallenges(
      std::string("pAYMENT ID=\"a\", REALM=\"r\", Method=\"tempo\", INTENT=charge, Request=") + kRequest);
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].id, "a");
  EXPECT_EQ(list.challenges[0].intent, "charge");
  EXPECT_EQ(list.challenges[0].request, kRequest);
}

TEST(ChallengeParser, AcceptsBareValuesIncludingAnUnquotedExpires) {
  auto list = ParseChallenges(std::string("Payment id=abc, realm=r, method=tempo, intent=charge, request=") +
                              kRequest + ", expires=2025-01-01T00:00:00Z");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].expires_at, 1735689600);
}

TEST(ChallengeParser, KeepsUnknownParamsWithoutActingOnThem) {
  auto list = ParseChallenges(Minimal("a") + ", future=\"thing\", x-y=1");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].params.at("future"), "thing");
  EXPECT_EQ(list.challenges[0].params.at("x-y"), "1");
}

TEST(ChallengeParser, AQuotedPaymentInsideAValueDoesNotStartANewChallenge) {
  auto list = ParseChallenges(Minimal("a") + R"(, description="x, Payment id=\"evil\", realm=\"r\"")");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_TRUE(list.rejected.empty());
  EXPECT_EQ(list.challenges[0].id, "a");
  EXPECT_EQ(list.challenges[0].description, R"(x, Payment id="evil", realm="r")");
}

TEST(ChallengeParser, RejectsDuplicateParamsAndNamesThem) {
  auto list = ParseChallenges(Minimal("a") + ", ID=\"b\", " + Minimal("ok"));
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].id, "ok");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].scheme, "Payment");
  EXPECT_EQ(list.rejected[0].id, "a");
  EXPECT_EQ(list.rejected[0].reason, "duplicate parameter \"id\"");
}

TEST(ChallengeParser, ReportsEachMissingRequiredParam) {
  for (std::string name : {"id", "realm", "method", "intent", "request"}) {
    std::string header = "Payment";
    const std::pair<const char*, std::string> all[] = {{"id", "\"a\""},
                                                       {"realm", "\"r\""},
                                                       {"method", "tempo"},
                                                       {"intent", "charge"},
                                                       {"request", kRequest}};
    const char* separator = " ";
    for (const auto& [param, value] : all) {
      if (param == name) continue;
      header += separator + std::string(param) + "=" + value;
      separator = ", ";
    }
    auto list = ParseChallenges(header);
    EXPECT_TRUE(list.challenges.empty()) << name;
    ASSERT_EQ(list.rejected.size(), 1u) << name;
    EXPECT_EQ(list.rejected[0].reason, "missing " + name);
  }
}

TEST(ChallengeParser, RejectsAnEmptyId) {
  auto list = ParseChallenges(Minimal(""));
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "empty id");
}

TEST(ChallengeParser, AcceptsAnEmptyRealm) {
  auto list = ParseChallenges(std::string("Payment id=a, realm=\"\", method=tempo, intent=charge, request=") +
                              kRequest);
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].realm, "");
}

TEST(ChallengeParser, RejectsMethodsThatAreNotLowercase) {
  auto list =
      ParseChallenges(std::string("Payment id=a, realm=r, method=Tempo, intent=charge, request=") + kRequest);
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "method \"Tempo\" is not a lowercase method name");
  EXPECT_EQ(
      ParseChallenges(std::string("Payment id=a, realm=r, method=\"\", intent=charge, request=") + kRequest)
          .rejected.size(),
      1u);
}

TEST(ChallengeParser, RejectsMalformedIntents) {
  auto list = ParseChallenges(
      std::string("Payment id=a, realm=r, method=tempo, intent=\"char ge\", request=") + kRequest);
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "intent \"char ge\" is not an intent name");
}

TEST(ChallengeParser, RejectsRequestsThatAreNotUnpaddedBase64Url) {
  for (const char* request : {"\"eyJhIjoxfQ==\"", "\"eyJ+Ijox/Q\"", "\"\"", "\"a\"", "\"ab cd\""}) {
    auto list = ParseChallenges(std::string("Payment id=a, realm=r, method=tempo, intent=charge, request=") +
                                request);
    ASSERT_EQ(list.rejected.size(), 1u) << request;
    EXPECT_EQ(list.rejected[0].reason, "request is not unpadded base64url") << request;
  }
}

TEST(ChallengeParser, RejectsRequestsLargerThanTheLimit) {
  std::string big(kMaxRequestChars + 4, 'A');
  auto list = ParseChallenges("Payment id=a, realm=r, method=tempo, intent=charge, request=" + big);
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "request is larger than 16384 characters");
  EXPECT_EQ(ParseChallenges("Payment id=a, realm=r, method=tempo, intent=charge, request=" +
                            std::string(kMaxRequestChars, 'A'))
                .challenges.size(),
            1u);
}

TEST(ChallengeParser, RejectsAnExpiresThatIsNotRfc3339) {
  auto list = ParseChallenges(Minimal("a") + ", expires=\"tomorrow\"");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "expires \"tomorrow\" is not an RFC 3339 date-time");
  EXPECT_EQ(ParseChallenges(Minimal("a") + ", expires=\"2025-02-29T00:00:00Z\"").rejected.size(), 1u);
}

TEST(ChallengeParser, RejectsHeaderParamsThatCannotCarryACredential) {
  EXPECT_EQ(ParseChallenges(Minimal("a") + ", header=\"Payment-Authorization\"").challenges.size(), 1u);
  for (const char* header : {"\"Host\"", "\"content-length\"", "\"Cookie\"", "\"Transfer-Encoding\""}) {
    auto list = ParseChallenges(Minimal("a") + ", header=" + header);
    ASSERT_EQ(list.rejected.size(), 1u) << header;
    EXPECT_TRUE(list.rejected[0].reason.starts_with("header parameter names ")) << header;
  }
  for (const char* header : {"\"X: y\"", "\"\"", "\"a b\"", "\"a/b\"", "\"caf\xe9\""}) {
    auto list = ParseChallenges(Minimal("a") + ", header=" + header);
    ASSERT_EQ(list.rejected.size(), 1u) << header;
    EXPECT_EQ(list.rejected[0].reason, "header parameter is not a header name") << header;
  }
}

TEST(ChallengeParser, RejectsAPaymentToken68) {
  auto list = ParseChallenges("Payment eyJhYmMiOjF9");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "carries a token68 instead of parameters");
}

TEST(ChallengeParser, RejectsAnUnterminatedQuoteAndKeepsEarlierChallenges) {
  auto list =
      ParseChallenges(Minimal("a") + ", Payment id=\"b\", realm=\"r\", method=\"tempo\", request=\"eyJ");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].id, "a");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].id, "b");
  EXPECT_EQ(list.rejected[0].reason, "unterminated quoted-string in parameter \"request\"");
}

TEST(ChallengeParser, RejectsATrailingBackslash) {
  auto list = ParseChallenges(Minimal("a") + ", description=\"x\\");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "unterminated quoted-string in parameter \"description\"");
}

TEST(ChallengeParser, RejectsNulBytesAndResumesAtTheNextChallenge) {
  std::string header = Minimal("a");
  header += ", description=\"nul\0here\", "sv;
  header += Minimal("b");
  header += "\0, "sv;
  header += Minimal("c");
  auto list = ParseChallenges(header);
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].id, "c");
  ASSERT_EQ(list.rejected.size(), 2u);
  EXPECT_EQ(list.rejected[0].reason, "control character in parameter \"description\"");
  EXPECT_EQ(list.rejected[1].id, "b");
  EXPECT_EQ(list.rejected[1].reason, "unexpected byte 0x00 after parameter \"request\"");
}

TEST(ChallengeParser, ReadsNonUtf8BytesAsLatin1SoEveryFieldIsUtf8) {
  auto list = ParseChallenges(Minimal("a") + ", description=\"\xff\xfe caf\xe9\"");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].description, "\xc3\xbf\xc3\xbe caf\xc3\xa9");
}

TEST(ChallengeParser, RejectsRawHighBytesOutsideQuotes) {
  auto list = ParseChallenges("Payment id=caf\xe9, realm=r");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].reason, "unexpected byte 0xe9 after parameter \"id\"");
}

TEST(ChallengeParser, FindsNothingInEmptyOrCommaOnlyInput) {
  for (std::string_view header : {""sv, ","sv, " , ,, "sv, "\t"sv}) {
    auto list = ParseChallenges(header);
    EXPECT_TRUE(list.challenges.empty());
    EXPECT_TRUE(list.rejected.empty());
  }
  EXPECT_TRUE(ParseChallenges(std::span<const std::string_view>()).challenges.empty());
}

TEST(ChallengeParser, ReportsJunkWithoutAScheme) {
  auto list = ParseChallenges("\"just a string\", " + Minimal("a"));
  ASSERT_EQ(list.challenges.size(), 1u);
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].scheme, "");
  EXPECT_EQ(list.rejected[0].reason, "unexpected '\"' at offset 0");
}

TEST(ChallengeParser, HandlesA64KiBDescription) {
  std::string description(64 * 1024, 'd');
  auto list = ParseChallenges(Minimal("a") + ", description=\"" + description + "\"");
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].description->size(), description.size());
}

TEST(ChallengeParser, CapsTheRejectedListOnFloodsOfJunkSchemes) {
  std::string flood;
  for (int i = 0; i < 100000; ++i) flood += "a, ";
  flood += Minimal("last");
  auto list = ParseChallenges(flood);
  ASSERT_EQ(list.challenges.size(), 1u);
  EXPECT_EQ(list.challenges[0].id, "last");
  EXPECT_EQ(list.rejected.size(), kMaxRejectedReported);
  EXPECT_EQ(list.more_rejected, 100000 - kMaxRejectedReported);
}

TEST(ChallengeParser, StaysLinearOnPathologicalQuotesAndBackslashes) {
  // Megabytes of the characters that drive the quoted-string and recovery paths.
  for (std::string unit : {"\"", "\\", "\\\"", "Payment a=\"", "=", "Payment ", ",\"\\"}) {
    std::string input;
    while (input.size() < 2 * 1024 * 1024) input += unit;
    auto list = ParseChallenges(input);
    EXPECT_TRUE(list.challenges.empty()) << unit;
  }
}

TEST(ChallengeParser, DisplaysRejectedIdsSafely) {
  auto list = ParseChallenges("Payment id=\"\\u001b\", realm=r");
  ASSERT_EQ(list.rejected.size(), 1u);
  auto list2 = ParseChallenges("Payment id=\"caf\xe9\x1b\"");
  ASSERT_EQ(list2.rejected.size(), 1u);
  EXPECT_EQ(list2.rejected[0].id, "");  // the control character spoiled the whole challenge
  auto list3 = ParseChallenges("Payment id=\"" + std::string(500, 'x') + "\"");
  ASSERT_EQ(list3.rejected.size(), 1u);
  EXPECT_LE(list3.rejected[0].id.size(), 83u);
}

// Whatever the bytes, every challenge that comes out satisfies the contract.
TEST(ChallengeParser, RandomInputNeverYieldsAnInvalidChallenge) {
  const std::string alphabet(
      "Payment id realm method intent request expires tempo charge =\",\\ \t\r\n\0\x80\xe9\xc3u0d8"sv);
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 200);
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    // Half the inputs start from a valid challenge, so mutations reach the deeper checks.
    if (round % 2 == 0) input = Minimal("seed");
    int n = length(rng);
    for (int i = 0; i < n; ++i) {
      std::size_t at = input.empty() ? 0 : rng() % (input.size() + 1);
      input.insert(at, 1, alphabet[pick(rng)]);
    }
    auto list = ParseChallenges(input);
    for (const Challenge& c : list.challenges) {
      EXPECT_FALSE(c.id.empty());
      EXPECT_FALSE(c.request.empty());
      for (const auto& [name, value] : c.params) {
        EXPECT_TRUE(IsValidUtf8(value)) << input;
        EXPECT_EQ(value.find('\0'), std::string::npos) << input;
      }
    }
    for (const RejectedChallenge& r : list.rejected) {
      EXPECT_FALSE(r.reason.empty()) << input;
      EXPECT_TRUE(IsValidUtf8(r.reason) && IsValidUtf8(r.id) && IsValidUtf8(r.scheme)) << input;
    }
  }
}

}  // namespace
}  // namespace mpp::protocol
