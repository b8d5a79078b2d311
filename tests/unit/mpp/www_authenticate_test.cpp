#include "mpp/www_authenticate.h"

#include <gtest/gtest.h>

namespace mpp::protocol {
namespace {

using namespace std::string_view_literals;
using Params = std::vector<std::pair<std::string, std::string>>;

TEST(AuthChallengeParser, ReadsSchemeAndParamsInOrderWithLowercasedNames) {
  auto list = ParseAuthChallenges(R"(Payment ID="a", Realm=b ,  method = "c")");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].scheme, "Payment");
  EXPECT_EQ(list[0].error, "");
  EXPECT_EQ(list[0].params, (Params{{"id", "a"}, {"realm", "b"}, {"method", "c"}}));
}

TEST(AuthChallengeParser, KeepsDuplicateParamsForTheSchemeLayerToJudge) {
  auto list = ParseAuthChallenges(R"(Payment id="a", id="b")");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].params, (Params{{"id", "a"}, {"id", "b"}}));
}

TEST(AuthChallengeParser, RecognisesToken68AfterAScheme) {
  auto list = ParseAuthChallenges("Basic dXNlcjpwYXNz==, Negotiate a+b/c, Payment id=\"x\"");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].token68, "dXNlcjpwYXNz==");
  EXPECT_EQ(list[1].token68, "a+b/c");
  EXPECT_FALSE(list[2].token68);
  EXPECT_EQ(list[2].params, (Params{{"id", "x"}}));
}

TEST(AuthChallengeParser, TreatsNameEqualsValueAfterASchemeAsAParamNotToken68) {
  auto list = ParseAuthChallenges("Payment id=abc");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_FALSE(list[0].token68);
  EXPECT_EQ(list[0].params, (Params{{"id", "abc"}}));
}

TEST(AuthChallengeParser, AcceptsSchemesWithoutParams) {
  auto list = ParseAuthChallenges("Negotiate, Payment");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].scheme, "Negotiate");
  EXPECT_EQ(list[1].scheme, "Payment");
  EXPECT_TRUE(list[1].params.empty());
}

TEST(AuthChallengeParser, UnescapesQuotedPairs) {
  auto list = ParseAuthChallenges(R"(X a="q\"b\\s\,c")");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].params, (Params{{"a", "q\"b\\s,c"}}));
}

TEST(AuthChallengeParser, DecodesMppxUnicodeEscapesIncludingSurrogatePairs) {
  auto list = ParseAuthChallenges(R"(X a="\u2014 \ud83d\ude00 \u00E9 \uzzzz")");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].params[0].second, "\xe2\x80\x94 \xf0\x9f\x98\x80 \xc3\xa9 uzzzz");
}

TEST(AuthChallengeParser, RefusesLoneSurrogatesAndControlCharacterEscapes) {
  for (const char* header : {R"(X a="\ud83d")", R"(X a="\ude00x")", R"(X a="\ud83d\u0041")",
                             R"(X a="\u0000")", R"(X a="\u001b[31m")"}) {
    auto list = ParseAuthChallenges(header);
    ASSERT_EQ(list.size(), 1u) << header;
    EXPECT_EQ(list[0].error, "invalid \\u escape in parameter \"a\"") << header;
  }
}

TEST(AuthChallengeParser, ReadsHighBytesAsLatin1WhenTheValueIsNotUtf8) {
  auto latin1 = ParseAuthChallenges("X a=\"caf\xe9\"");
  EXPECT_EQ(latin1[0].params[0].second, "caf\xc3\xa9");
  auto utf8 = ParseAuthChallenges("X a=\"caf\xc3\xa9\"");
  EXPECT_EQ(utf8[0].params[0].second, "caf\xc3\xa9");
}

TEST(AuthChallengeParser, MarksUnterminatedQuotedStrings) {
  auto list = ParseAuthChallenges(R"(Payment id="abc, realm=x)");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].error, "unterminated quoted-string in parameter \"id\"");
  EXPECT_TRUE(list[0].params.empty());
}

TEST(AuthChallengeParser, TreatsATrailingBackslashAsUnterminated) {
  auto list = ParseAuthChallenges("Payment id=\"abc\\");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].error, "unterminated quoted-string in parameter \"id\"");
}

TEST(AuthChallengeParser, RefusesControlCharactersInQuotedStringsButResumesAfterThem) {
  auto list = ParseAuthChallenges("Payment id=\"a\0b\", realm=\"r\", Bearer realm=\"z\""sv);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].error, "control character in parameter \"id\"");
  EXPECT_EQ(list[1].scheme, "Bearer");
  EXPECT_EQ(list[1].params, (Params{{"realm", "z"}}));
}

TEST(AuthChallengeParser, RequiresACommaBetweenParams) {
  auto list = ParseAuthChallenges(R"(Payment id="a" realm="b", Bearer)");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].error, "unexpected 'r' after parameter \"id\"");
  EXPECT_EQ(list[1].scheme, "Bearer");
}

TEST(AuthChallengeParser, ReportsAParamWithoutValue) {
  auto list = ParseAuthChallenges(R"(Payment realm="r", id=, method="m")");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].error, "parameter \"id\" has no value");
}

TEST(AuthChallengeParser, ReportsJunkBeforeAnySchemeAsASchemelessEntry) {
  auto list = ParseAuthChallenges(R"(="x", a=b, Payment id="y")");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].scheme, "");
  EXPECT_EQ(list[0].error, "unexpected '=' at offset 0");
  EXPECT_EQ(list[1].params, (Params{{"id", "y"}}));
}

TEST(AuthChallengeParser, ReturnsNothingForEmptyInput) {
  EXPECT_TRUE(ParseAuthChallenges("").empty());
  EXPECT_TRUE(ParseAuthChallenges(" ,, ,\t,").empty());
}

TEST(AuthChallengeParser, ToleratesFoldedLines) {
  auto list = ParseAuthChallenges("Payment id=\"a\",\r\n    realm=\"b\"");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].params, (Params{{"id", "a"}, {"realm", "b"}}));
}

}  // namespace
}  // namespace mpp::protocol
