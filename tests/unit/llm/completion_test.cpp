#include "llm/completion.h"

#include <gtest/gtest.h>

namespace mpp::llm {
namespace {

TEST(StreamChunk, ReadsContentDeltaModelAndFinishReason) {
  auto chunk = ParseStreamChunk(
      R"({"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]})");
  ASSERT_TRUE(chunk) << chunk.error().message;
  EXPECT_EQ(chunk->content, "Hel");
  EXPECT_EQ(chunk->model, "gpt-4o");
  EXPECT_EQ(chunk->finish_reason, "");
  EXPECT_FALSE(chunk->usage);
}

TEST(StreamChunk, ToleratesRoleOnlyReasoningAndEmptyChoices) {
  auto role = ParseStreamChunk(R"({"choices":[{"delta":{"role":"assistant","content":null}}]})");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->content, "");
  auto reasoning = ParseStreamChunk(R"({"choices":[{"delta":{"reasoning":"think"}}]})");
  ASSERT_TRUE(reasoning);
  EXPECT_EQ(reasoning->reasoning, "think");
  auto deepseek = ParseStreamChunk(R"({"choices":[{"delta":{"reasoning_content":"hmm"}}]})");
  ASSERT_TRUE(deepseek);
  EXPECT_EQ(deepseek->reasoning, "hmm");
  auto none = ParseStreamChunk(R"({"choices":[]})");
  ASSERT_TRUE(none);
  auto missing = ParseStreamChunk(R"({})");
  ASSERT_TRUE(missing);
}

TEST(StreamChunk, ReadsUsageFromTheLastChunk) {
  auto chunk = ParseStreamChunk(
      R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}})");
  ASSERT_TRUE(chunk);
  ASSERT_TRUE(chunk->usage);
  EXPECT_EQ(*chunk->usage, (Usage{12, 30, 42}));
}

TEST(StreamChunk, ReadsGroqUsage) {
  auto chunk = ParseStreamChunk(
      R"({"choices":[{"delta":{},"finish_reason":"stop"}],"x_groq":{"usage":{"prompt_tokens":5,"completion_tokens":6}}})");
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->finish_reason, "stop");
  ASSERT_TRUE(chunk->usage);
  EXPECT_EQ(*chunk->usage, (Usage{5, 6, 11}));  // total derived when absent
}

TEST(StreamChunk, ReadsToolCallFragments) {
  auto chunk = ParseStreamChunk(
      R"({"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"get","arguments":"{\"a\""}}]}}]})");
  ASSERT_TRUE(chunk);
  ASSERT_EQ(chunk->tool_calls.size(), 1u);
  EXPECT_EQ(chunk->tool_calls[0].index, 1);
  EXPECT_EQ(chunk->tool_calls[0].id, "call_1");
  EXPECT_EQ(chunk->tool_calls[0].name, "get");
  EXPECT_EQ(chunk->tool_calls[0].arguments, "{\"a\"");
}

TEST(StreamChunk, ErrorObjectIsAnError) {
  auto chunk = ParseStreamChunk(R"({"error":{"message":"rate limited","type":"rate_limit_error"}})");
  ASSERT_FALSE(chunk);
  EXPECT_EQ(chunk.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(chunk.error().message.find("rate limited (rate_limit_error)"), std::string::npos);
}

TEST(StreamChunk, GarbageIsACleanError) {
  for (const char* bad : {"", "not json", "[1]", "{\"a\":", "\"str\""}) {
    auto chunk = ParseStreamChunk(bad);
    ASSERT_FALSE(chunk) << bad;
    EXPECT_EQ(chunk.error().kind, ErrorKind::kNetwork);
  }
}

TEST(Completion, ReadsMessageModelAndUsage) {
  auto completion = ParseCompletion(
      R"({"id":"x","model":"llama","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})");
  ASSERT_TRUE(completion) << completion.error().message;
  EXPECT_EQ(completion->content, "Hi!");
  EXPECT_EQ(completion->model, "llama");
  EXPECT_EQ(completion->finish_reason, "stop");
  EXPECT_EQ(*completion->usage, (Usage{1, 2, 3}));
  EXPECT_EQ(OutputText(*completion), "Hi!");
}

TEST(Completion, ToolCallsAreOutputAsJsonAfterTheContent) {
  auto completion = ParseCompletion(
      R"({"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}}]})");
  ASSERT_TRUE(completion);
  EXPECT_EQ(completion->content, "");
  EXPECT_EQ(OutputText(*completion),
            R"([{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}])");
  completion->content = "calling";
  EXPECT_EQ(OutputText(*completion),
            "calling\n"
            R"([{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}])");
}

TEST(Completion, ReasoningIsKeptApart) {
  auto completion = ParseCompletion(
      R"({"choices":[{"message":{"role":"assistant","content":"42","reasoning":"because"}}]})");
  ASSERT_TRUE(completion);
  EXPECT_EQ(completion->content, "42");
  EXPECT_EQ(completion->reasoning, "because");
}

TEST(Completion, ErrorInA200BodyIsAnError) {
  auto completion = ParseCompletion(R"({"error":{"message":"model not found","code":"model_not_found"}})");
  ASSERT_FALSE(completion);
  EXPECT_NE(completion.error().message.find("model not found (model_not_found)"), std::string::npos);
  auto text = ParseCompletion(R"({"error":"upstream \u001b[31mfailed"})");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message.find('\x1b'), std::string::npos);  // display-safe
}

TEST(Completion, NullErrorIsNotAnError) {
  auto completion = ParseCompletion(R"({"error":null,"choices":[{"message":{"content":"ok"}}]})");
  ASSERT_TRUE(completion);
  EXPECT_EQ(completion->content, "ok");
}

TEST(Completion, MissingMessageIsAnError) {
  for (const char* bad : {R"({"choices":[]})", R"({"choices":[{"delta":{}}]})", R"({"id":"x"})"}) {
    auto completion = ParseCompletion(bad);
    ASSERT_FALSE(completion) << bad;
    EXPECT_NE(completion.error().message.find("choices[0].message"), std::string::npos);
  }
}

TEST(ServiceErrorText, AStringErrorCarriesTheMessageBesideIt) {
  rapidjson::Document doc;
  doc.Parse(R"({"error":"Invalid request","message":"from_symbol is required"})");
  EXPECT_EQ(ServiceErrorText(doc), "Invalid request: from_symbol is required");
  doc.Parse(R"({"success":false,"error":"Upstream API call failed","paymentId":"x"})");
  EXPECT_EQ(ServiceErrorText(doc), "Upstream API call failed");
}

}  // namespace
}  // namespace mpp::llm
