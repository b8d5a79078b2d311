#include "cli/logs_render.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

namespace mpp::cli {
namespace {

llm::LoggedExchange ShownExchange(std::string prompt, std::string answer) {
  llm::ExchangeRecord record;
  record.unix_time = 1764811425;  // 2025-12-04T01:23:45Z
  record.service = "groq";
  record.model = "llama-3.3";
  record.messages = {llm::TextMessage("user", std::move(prompt))};
  record.response = std::move(answer);
  return {"20251204-012345-0a1b2c3d", std::move(record)};
}

TEST(LogsRender, ListLineHasTimeServiceModelCostIdAndPrompt) {
  auto free = ShownExchange("what is MPP?", "a protocol");
  auto paid = ShownExchange("\n\n  second\tline one  \nline two", "b");
  paid.record.paid = "0.001";
  paid.record.service.clear();
  EXPECT_EQ(RenderExchangeList({free, paid}),
            "2025-12-04 01:23:45  groq  llama-3.3  free  20251204-012345-0a1b2c3d  what is MPP?\n"
            "2025-12-04 01:23:45  -  llama-3.3  0.001  20251204-012345-0a1b2c3d  second line one\n");
  EXPECT_EQ(RenderExchangeList({}), "");
}

TEST(LogsRender, PromptLineIsDisplaySafeAndCut) {
  auto exchange = ShownExchange("\x1b[31mred\x1b[0m " + std::string(200, 'x'), "");
  std::string line = PromptLine(exchange.record);
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_TRUE(line.starts_with("?[31mred?[0m x")) << line;
  EXPECT_LE(line.size(), 64u);
  EXPECT_TRUE(line.ends_with("...")) << line;
}

TEST(LogsRender, PromptLineTakesTheLastUserMessage) {
  auto exchange = ShownExchange("first", "");
  exchange.record.messages.insert(exchange.record.messages.begin(), llm::TextMessage("system", "be brief"));
  exchange.record.messages.push_back(llm::TextMessage("user", "second"));
  EXPECT_EQ(PromptLine(exchange.record), "second");
  exchange.record.messages = {llm::TextMessage("system", "only a system")};
  EXPECT_EQ(PromptLine(exchange.record), "only a system");
  exchange.record.messages.clear();
  EXPECT_EQ(PromptLine(exchange.record), "");
}

TEST(LogsRender, TranscriptShowsPromptsAndAnswersSafely) {
  auto first = ShownExchange("hi\n\tthere", "hello\x1b]0;pwned\x07 you\n");
  first.record.messages.insert(first.record.messages.begin(), llm::TextMessage("system", "be brief"));
  auto second = ShownExchange("more", "sure");
  second.record.paid = "0.002";
  second.record.tx = "0xabc";
  EXPECT_EQ(RenderTranscript({first, second}),
            "# 2025-12-04 01:23:45 UTC  conversation 20251204-012345-0a1b2c3d\n"
            "\n"
            "groq, llama-3.3, free\n"
            "\n"
            "## System\n\nbe brief\n"
            "\n"
            "## Prompt\n\nhi\n\tthere\n"
            "\n"
            "## Response\n\nhello?]0;pwned? you\n"
            "\n"
            "# 2025-12-04 01:23:45 UTC  conversation 20251204-012345-0a1b2c3d\n"
            "\n"
            "groq, llama-3.3, paid 0.002, tx 0xabc\n"
            "\n"
            "## Prompt\n\nmore\n"
            "\n"
            "## Response\n\nsure\n");
}

TEST(LogsRender, JsonIsAnArrayOfRecordsWithTheirConversation) {
  auto exchange = ShownExchange("q", "a\"nswer");
  exchange.record.paid = "0.001";
  exchange.record.usage = llm::Usage{1, 2, 3};
  std::string text = ExchangesJson({exchange, ShownExchange("q2", "b")});
  ASSERT_TRUE(text.ends_with("]\n")) << text;
  EXPECT_TRUE(
      text.starts_with(R"([{"conversation_id":"20251204-012345-0a1b2c3d","time":"2025-12-04T01:23:45Z",)"))
      << text;
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc.IsArray());
  ASSERT_EQ(doc.Size(), 2u);
  EXPECT_STREQ(doc[0]["response"].GetString(), "a\"nswer");
  EXPECT_STREQ(doc[0]["paid"].GetString(), "0.001");
  EXPECT_EQ(doc[0]["usage"]["total_tokens"].GetInt(), 3);
  EXPECT_STREQ(doc[0]["messages"][0]["content"].GetString(), "q");
  EXPECT_FALSE(doc[1].HasMember("paid"));
  EXPECT_EQ(ExchangesJson({}), "[]\n");
}

TEST(LogsRender, AnswerOutputEndsInExactlyTheNewlineChatAdds) {
  EXPECT_EQ(AnswerOutput(ShownExchange("q", "text").record), "text\n");
  EXPECT_EQ(AnswerOutput(ShownExchange("q", "text\n").record), "text\n");
  EXPECT_EQ(AnswerOutput(ShownExchange("q", "\x1b[1mraw\n\n").record), "\x1b[1mraw\n\n");
  EXPECT_EQ(AnswerOutput(ShownExchange("q", "").record), "");
}

}  // namespace
}  // namespace mpp::cli
