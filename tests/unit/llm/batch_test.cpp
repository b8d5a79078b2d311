#include "llm/batch.h"

#include <gtest/gtest.h>

namespace mpp::llm {
namespace {

TEST(BatchInput, SkipsBlankLinesAndNumbersTheRest) {
  auto lines = SplitBatchLines("\"a\"\r\n\n  \n{\"messages\":[]}\n\"last\"");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].index, 0u);
  EXPECT_EQ(lines[0].line_number, 1u);
  EXPECT_EQ(lines[0].text, "\"a\"");
  EXPECT_EQ(lines[1].index, 1u);
  EXPECT_EQ(lines[1].line_number, 4u);
  EXPECT_EQ(lines[2].line_number, 5u);
  EXPECT_TRUE(SplitBatchLines("").empty());
}

TEST(BatchInput, StringLineIsAPrompt) {
  auto item = ParseBatchLine({0, 1, R"("what is \"x\"?")"});
  ASSERT_TRUE(item);
  EXPECT_EQ(item->kind, BatchItem::Kind::kPrompt);
  EXPECT_EQ(item->prompt, "what is \"x\"?");
}

TEST(BatchInput, ObjectLineIsARequest) {
  auto item = ParseBatchLine({0, 1, R"( {"model":"m", "messages":[{"role":"user","content":"hi"}]} )"});
  ASSERT_TRUE(item);
  EXPECT_EQ(item->kind, BatchItem::Kind::kRequest);
  EXPECT_EQ(item->request_json, R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
}

TEST(BatchInput, OtherLinesAreErrorsNamingTheLine) {
  for (const char* bad :
       {"plain text", "42", "[\"a\"]", "null", "{\"prompt\":\"x\"}", "\"  \"", "{\"messages\":"}) {
    auto item = ParseBatchLine({3, 7, bad});
    ASSERT_FALSE(item) << bad;
    EXPECT_EQ(item.error().kind, ErrorKind::kUsage);
    EXPECT_NE(item.error().message.find("line 7"), std::string::npos) << item.error().message;
  }
}

}  // namespace
}  // namespace mpp::llm
