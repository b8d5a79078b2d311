#include "util/text.h"

#include <gtest/gtest.h>

namespace mpp {
namespace {

using namespace std::string_view_literals;

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80"));
  EXPECT_TRUE(IsValidUtf8("nul\0inside"sv));
}

TEST(Utf8, RejectsMalformedSequences) {
  for (std::string_view bad : {"\xe9"sv, "\xc3"sv, "\xc0\x80"sv, "\xe0\x80\x80"sv, "\xed\xa0\x80"sv,
                               "\xf4\x90\x80\x80"sv, "\xf8\x88\x80\x80\x80"sv, "\x80"sv, "ok\xff"sv}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad.size();
  }
}

TEST(Utf8, EncodesEveryLength) {
  std::string out;
  AppendUtf8(out, U'A');
  AppendUtf8(out, 0xe9);
  AppendUtf8(out, 0x2014);
  AppendUtf8(out, 0x1f600);
  EXPECT_EQ(out, "A\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80");
}

TEST(DisplayText, ReplacesControlCharactersAndEscapes) {
  EXPECT_EQ(DisplayText("a\x1b[31mred\x07\n\t\x7f"), "a?[31mred????");
  EXPECT_EQ(DisplayText("nul\0x"sv), "nul?x");
  EXPECT_EQ(DisplayText("c1 \xc2\x9b"
                        "31m"),
            "c1 ?31m");
}

TEST(DisplayText, ReplacesBidirectionalOverrides) {
  EXPECT_EQ(DisplayText("pay \xe2\x80\xae"
                        "evil\xe2\x81\xa6x\xe2\x81\xa9 \xe2\x80\x94 ok"),
            "pay ?evil?x? \xe2\x80\x94 ok");
}

TEST(DisplayText, ReplacesInvalidUtf8ButKeepsValidText) {
  EXPECT_EQ(DisplayText("caf\xe9"), "caf?");
  EXPECT_EQ(DisplayText("caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(DisplayText, CutsLongTextOnACharacterBoundary) {
  EXPECT_EQ(DisplayText("abcdef", 4), "abcd...");
  EXPECT_EQ(DisplayText("ab\xc3\xa9", 3), "ab...");
  EXPECT_EQ(DisplayText("abcd", 4), "abcd");
  EXPECT_EQ(DisplayText(std::string(100000, 'x')).size(), 303u);
}

TEST(AsciiCase, MapsOnlyAsciiLettersAndComparesIgnoringTheirCase) {
  EXPECT_EQ(AsciiLower("HTTPS://Api.Example-1.COM"), "https://api.example-1.com");
  EXPECT_EQ(AsciiUpper("post 64mib \xC3\xA9"), "POST 64MIB \xC3\xA9");  // UTF-8 bytes untouched
  EXPECT_EQ(AsciiLower("\xC3\x89"), "\xC3\x89");
  EXPECT_TRUE(EqualsIgnoreAsciiCase("USDC.e", "usdc.E"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("USDC", "USDC.e"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("a[", "A{"));  // '[' and '{' differ by the case bit but are no letters
}

}  // namespace
}  // namespace mpp
