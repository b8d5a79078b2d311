#include "util/terminal_text.h"

#include <gtest/gtest.h>

#include "util/json_reader.h"

namespace mpp {
namespace {

using namespace std::string_view_literals;

TEST(EscapeForTerminal, LeavesPrintableTextAlone) {
  EXPECT_EQ(EscapeForTerminal("plain: caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 \\ \"q\""),
            "plain: caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 \\ \"q\"");
}

TEST(EscapeForTerminal, EscapesEveryTerminalControlVisibly) {
  EXPECT_EQ(EscapeForTerminal("\x1b]0;title\x07\x1b[31mred"), "\\x1b]0;title\\x07\\x1b[31mred");
  EXPECT_EQ(EscapeForTerminal("a\nb\rc\td\x7f"), "a\\x0ab\\x0dc\\x09d\\x7f");
  EXPECT_EQ(EscapeForTerminal("nul\0"sv), "nul\\x00");
  EXPECT_EQ(EscapeForTerminal("c1 \xc2\x9b"
                              "2J \xc2\x85"),
            "c1 \\u009b2J \\u0085");
  EXPECT_EQ(EscapeForTerminal("bidi \xe2\x80\xae \xe2\x81\xa6 \xe2\x80\x8f \xd8\x9c"),
            "bidi \\u202e \\u2066 \\u200f \\u061c");
}

TEST(EscapeForTerminal, EscapesInvalidUtf8ByteByByte) {
  EXPECT_EQ(EscapeForTerminal("x\xff\xc3"), "x\\xff\\xc3");
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
}

TEST(EscapeForTerminal, CutsLongTextOnACharacterBoundary) {
  EXPECT_EQ(EscapeForTerminal(std::string(20, 'a'), 10), "aaaaaaaaaa...");
  EXPECT_EQ(EscapeForTerminal("aaaa\xc3\xa9", 5), "aaaa...");
  EXPECT_EQ(EscapeForTerminal("aaa\x1b", 5), "aaa...");  // an escape is never cut in half
  EXPECT_LE(EscapeForTerminal(std::string(100'000, '\x1b')).size(), kMaxMessageBytes + 3);
}

TEST(IsTerminalControl, ClassifiesOneCharacter) {
  EXPECT_TRUE(IsTerminalControl("\x1b"));
  EXPECT_TRUE(IsTerminalControl("\xc2\x80"));
  EXPECT_FALSE(IsTerminalControl("\xc2\xa0"));  // no-break space
  EXPECT_FALSE(IsTerminalControl("a"));
  EXPECT_FALSE(IsTerminalControl("\xe2\x80\x94"));
}

TEST(JsonToCompact, WritesAnyDepthWithoutRecursion) {
  rapidjson::Document doc;
  doc.SetArray();
  rapidjson::Value* inner = &doc;
  for (int i = 0; i < 200'000; ++i) {  // far past what json::Parse accepts; built by hand
    inner->PushBack(rapidjson::Value(rapidjson::kArrayType), doc.GetAllocator());
    inner = &(*inner)[0];
  }
  EXPECT_EQ(json::ToCompact(doc), std::string(200'001, '[') + std::string(200'001, ']'));
}

TEST(JsonToCompact, MatchesRapidJsonsWriter) {
  const std::string text = R"({"a":[1,-2,3.5,true,false,null,"s\"\\\n"],"b":{},"c":[],"d":{"e":{"f":[{}]}}})";
  rapidjson::Document doc;
  std::string why;
  ASSERT_TRUE(json::Parse(text, text.size(), doc, why)) << why;
  EXPECT_EQ(json::ToCompact(doc), text);
}

TEST(JsonParse, RefusesNestingPastTheLimitWithTheReason) {
  rapidjson::Document doc;
  std::string why;
  const std::string deep = std::string(129, '[') + std::string(129, ']');
  EXPECT_FALSE(json::Parse(deep, deep.size(), doc, why));
  EXPECT_EQ(why, "nested more than 128 levels deep");
  const std::string ok = std::string(128, '[') + std::string(128, ']');
  EXPECT_TRUE(json::Parse(ok, ok.size(), doc, why)) << why;
}

}  // namespace
}  // namespace mpp
