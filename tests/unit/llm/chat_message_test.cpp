#include "llm/chat_message.h"

#include <gtest/gtest.h>

#include "llm/json_text.h"
#include "util/json_reader.h"

namespace mpp::llm {
namespace {

Result<Message> FromText(const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  return MessageFromJson(doc, "messages[0]");
}

TEST(ChatMessage, PlainMessageHasNoRawForm) {
  auto message = FromText(R"({"role":"user","content":"hi"})");
  ASSERT_TRUE(message);
  EXPECT_EQ(*message, TextMessage("user", "hi"));
}

TEST(ChatMessage, RichMessageKeepsItsJson) {
  const char* json = R"({"role":"assistant","content":null,"tool_calls":[{"id":"c"}]})";
  auto message = FromText(json);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->raw, json);
  rapidjson::Document doc;
  EXPECT_EQ(json::ToCompact(MessageToJson(*message, doc.GetAllocator())), json);
}

TEST(ChatMessage, ContentPartsGiveTheirText) {
  auto message = FromText(
      R"({"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url"},{"type":"text","text":"b"}]})");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->content, "a\nb");
  EXPECT_FALSE(message->raw.empty());
}

TEST(ChatMessage, RefusesNonObjectsAndMissingRoles) {
  for (const char* bad : {"3", R"({"content":"x"})", R"({"role":1})"}) {
    auto message = FromText(bad);
    ASSERT_FALSE(message) << bad;
    EXPECT_EQ(message.error().kind, ErrorKind::kUsage);
    EXPECT_NE(message.error().message.find("messages[0]"), std::string::npos);
  }
}

TEST(ChatMessage, PlainMessageSerializesAsRoleAndContent) {
  rapidjson::Document doc;
  EXPECT_EQ(json::ToCompact(MessageToJson(TextMessage("system", "be \"brief\""), doc.GetAllocator())),
            R"({"role":"system","content":"be \"brief\""})");
}

}  // namespace
}  // namespace mpp::llm
