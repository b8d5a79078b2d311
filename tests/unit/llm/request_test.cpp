#include "llm/request.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "llm/json_text.h"
#include "util/json_reader.h"

namespace mpp::llm {
namespace {

Service Groq() { return *FindService(BuiltinServices(), "groq"); }
Service OpenAi() { return *FindService(BuiltinServices(), "openai"); }

ChatParams Prompt(std::string text) {
  ChatParams params;
  params.prompt = {std::move(text)};
  return params;
}

rapidjson::Document Body(const ChatRequest& request) {
  rapidjson::Document doc;
  doc.Parse(request.body.data(), request.body.size());
  EXPECT_FALSE(doc.HasParseError()) << request.body;
  return doc;
}

std::string Field(const ChatRequest& request, const char* name) {
  rapidjson::Document doc = Body(request);
  auto it = doc.FindMember(name);
  return it == doc.MemberEnd() ? "<absent>" : json::ToCompact(it->value);
}

TEST(ChatRequest, PromptWordsBecomeOneUserMessageWithTheDefaultModel) {
  ChatParams params;
  params.prompt = {"tell", "me", "a joke"};
  params.stream = false;
  auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->body,
            R"({"model":"openai/gpt-oss-20b","messages":[{"role":"user","content":"tell me a joke"}]})");
  EXPECT_EQ(request->model, "openai/gpt-oss-20b");
  ASSERT_EQ(request->new_messages.size(), 1u);
  EXPECT_EQ(request->new_messages[0], TextMessage("user", "tell me a joke"));
}

TEST(ChatRequest, StdinTextGoesBeforeArgumentPrompt) {
  auto request = BuildChatRequest(Groq(), Prompt("summarize"), "line one\nline two\n", {});
  ASSERT_TRUE(request);
  ASSERT_EQ(request->messages.size(), 1u);
  EXPECT_EQ(request->messages[0].content, "line one\nline two\n summarize");  // llm: stdin + " " + prompt
}

TEST(ChatRequest, StdinTextAloneIsThePrompt) {
  auto request = BuildChatRequest(Groq(), ChatParams{}, "  indented code\n", {});
  ASSERT_TRUE(request);
  EXPECT_EQ(request->messages[0].content, "  indented code\n");
}

TEST(ChatRequest, WhitespaceOnlyStdinIsIgnored) {
  auto request = BuildChatRequest(Groq(), Prompt("hi"), " \n\t\n", {});
  ASSERT_TRUE(request);
  EXPECT_EQ(request->messages[0].content, "hi");
}

TEST(ChatRequest, NoPromptAndNoStdinIsAUsageErrorWithTheFix) {
  for (std::optional<std::string_view> in :
       {std::optional<std::string_view>(), std::optional<std::string_view>("\n")}) {
    auto request = BuildChatRequest(Groq(), ChatParams{}, in, {});
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().kind, ErrorKind::kUsage);
    EXPECT_NE(request.error().message.find("no prompt"), std::string::npos);
  }
}

TEST(ChatRequest, StdinJsonWithMessagesIsTheWholeRequest) {
  std::string in = R"({"model":"m0","messages":[{"role":"user","content":"hi"}],"n":2,"stream":true})";
  ChatParams params;
  params.stream = false;
  auto request = BuildChatRequest(Groq(), params, in, {});
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->body, R"({"model":"m0","messages":[{"role":"user","content":"hi"}],"n":2})");
  EXPECT_EQ(request->model, "m0");
}

TEST(ChatRequest, FlagsOverrideFieldsOfAStdinRequest) {
  std::string in =
      R"({"model":"m0","messages":[{"role":"user","content":"hi"}],"temperature":1.5,"max_tokens":9})";
  ChatParams params;
  params.model = "m1";
  params.temperature = 0.25;
  params.max_tokens = 100;
  params.stream = false;
  auto request = BuildChatRequest(Groq(), params, in, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(
      request->body,
      R"({"model":"m1","messages":[{"role":"user","content":"hi"}],"temperature":0.25,"max_completion_tokens":100})");
}

TEST(ChatRequest, ArgumentPromptIsAppendedToAStdinRequest) {
  std::string in = R"({"messages":[{"role":"system","content":"be brief"}]})";
  auto request = BuildChatRequest(OpenAi(), Prompt("why?"), in, {});
  ASSERT_TRUE(request);
  ASSERT_EQ(request->messages.size(), 2u);
  EXPECT_EQ(request->messages[1], TextMessage("user", "why?"));
  EXPECT_EQ(request->model, "gpt-4o-mini");  // the request named none: the service default
}

TEST(ChatRequest, JsonWithoutMessagesIsJustText) {
  auto request = BuildChatRequest(Groq(), Prompt("explain"), R"({"name":"pkg"})", {});
  ASSERT_TRUE(request);
  EXPECT_EQ(request->messages[0].content, R"({"name":"pkg"} explain)");
  auto broken = BuildChatRequest(Groq(), Prompt("fix"), R"({"messages": [)", {});
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->messages[0].content, R"({"messages": [ fix)");
}

TEST(ChatRequest, StdinRequestWithBadMessagesIsRefused) {
  for (const char* in :
       {R"({"messages":"hi"})", R"({"messages":[{"content":"x"}]})", R"({"messages":[3]})"}) {
    auto request = BuildChatRequest(Groq(), ChatParams{}, in, {});
    ASSERT_FALSE(request) << in;
    EXPECT_EQ(request.error().kind, ErrorKind::kUsage);
    EXPECT_NE(request.error().message.find("messages"), std::string::npos);
  }
  auto empty = BuildChatRequest(Groq(), ChatParams{}, R"({"messages":[]})", {});
  ASSERT_FALSE(empty);
}

TEST(ChatRequest, RichMessagesAreSentUnchanged) {
  std::string in =
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"data:x"}}]}]})";
  auto request = BuildChatRequest(Groq(), ChatParams{}, in, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(
      Field(*request, "messages"),
      R"([{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"data:x"}}]}])");
  EXPECT_EQ(request->messages[0].content, "what is this");
}

TEST(ChatRequest, StreamingAsksForUsage) {
  auto request = BuildChatRequest(OpenAi(), Prompt("hi"), std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "stream"), "true");
  EXPECT_EQ(Field(*request, "stream_options"), R"({"include_usage":true})");
}

TEST(ChatRequest, AServiceWithoutEventStreamsGetsNoStreamField) {
  // Locus (groq, grok) has no SSE: nothing about streaming is sent, even from a stdin request.
  std::string in = R"({"messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"a":1}})";
  for (const char* name : {"groq", "grok"}) {
    const Service service = *FindService(BuiltinServices(), name);
    auto request = BuildChatRequest(service, Prompt("hi"), std::nullopt, {});
    ASSERT_TRUE(request);
    EXPECT_EQ(Field(*request, "stream"), "<absent>") << name;
    EXPECT_EQ(Field(*request, "stream_options"), "<absent>") << name;
    auto from_stdin = BuildChatRequest(service, ChatParams{}, in, {});
    ASSERT_TRUE(from_stdin);
    EXPECT_EQ(Field(*from_stdin, "stream"), "<absent>") << name;
    EXPECT_EQ(Field(*from_stdin, "stream_options"), "<absent>") << name;
  }
  ChatParams forced = Prompt("hi");
  forced.options = {"stream=true"};  // -o still reaches any field
  auto request = BuildChatRequest(Groq(), forced, std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "stream"), "true");
}

TEST(ChatRequest, StreamOptionsGoWhenAnOptionTurnsStreamingOff) {
  ChatParams params = Prompt("hi");
  params.options = {"stream=false"};
  auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "stream"), "false");
  EXPECT_EQ(Field(*request, "stream_options"), "<absent>");
}

TEST(ChatRequest, NotStreamingRemovesStreamFieldsOfAStdinRequest) {
  ChatParams params;
  params.stream = false;
  auto request = BuildChatRequest(
      Groq(), params,
      R"({"messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":true}})",
      {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "stream"), "<absent>");
  EXPECT_EQ(Field(*request, "stream_options"), "<absent>");
}

TEST(ChatRequest, MaxTokensGoesToTheServiceField) {
  ChatParams params = Prompt("hi");
  params.max_tokens = 50;
  auto groq = BuildChatRequest(Groq(), params, std::nullopt, {});
  auto openai = BuildChatRequest(OpenAi(), params, std::nullopt, {});
  ASSERT_TRUE(groq && openai);
  EXPECT_EQ(Field(*groq, "max_completion_tokens"), "50");
  EXPECT_EQ(Field(*groq, "max_tokens"), "<absent>");
  EXPECT_EQ(Field(*openai, "max_tokens"), "50");
}

TEST(ChatRequest, SamplingFlagsAreSent) {
  ChatParams params = Prompt("hi");
  params.top_p = 0.9;
  params.stops = {"END", "\n\n"};
  params.seed = -7;
  auto request = BuildChatRequest(OpenAi(), params, std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "top_p"), "0.9");
  EXPECT_EQ(Field(*request, "stop"), R"(["END","\n\n"])");
  EXPECT_EQ(Field(*request, "seed"), "-7");
}

TEST(ChatRequest, OutOfRangeNumbersAreUsageErrors) {
  ChatParams zero = Prompt("hi");
  zero.max_tokens = 0;
  ChatParams hot = Prompt("hi");
  hot.temperature = 2.5;
  ChatParams top = Prompt("hi");
  top.top_p = -0.1;
  for (const auto& [params, flag] :
       {std::pair{zero, "--max-tokens"}, std::pair{hot, "--temperature"}, std::pair{top, "--top-p"}}) {
    auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().kind, ErrorKind::kUsage);
    EXPECT_NE(request.error().message.find(flag), std::string::npos);
  }
}

TEST(ChatRequest, OptionValuesAreJsonWhenTheyParseElseStrings) {
  ChatParams params = Prompt("hi");
  params.options = {"reasoning_format=parsed",         "n=2",   "logprobs=true",
                    "tools=[{\"type\":\"function\"}]", "user=", "note=a=b"};
  auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "reasoning_format"), R"("parsed")");
  EXPECT_EQ(Field(*request, "n"), "2");
  EXPECT_EQ(Field(*request, "logprobs"), "true");
  EXPECT_EQ(Field(*request, "tools"), R"([{"type":"function"}])");
  EXPECT_EQ(Field(*request, "user"), R"("")");
  EXPECT_EQ(Field(*request, "note"), R"("a=b")");
}

TEST(ChatRequest, OptionsOverrideNamedFlags) {
  ChatParams params = Prompt("hi");
  params.model = "m1";
  params.options = {"model=m2"};
  auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(request->model, "m2");
}

TEST(ChatRequest, MalformedOptionsAreRefused) {
  for (const char* option : {"temperature", "=5", "messages=[]"}) {
    ChatParams params = Prompt("hi");
    params.options = {option};
    auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
    ASSERT_FALSE(request) << option;
    EXPECT_EQ(request.error().kind, ErrorKind::kUsage);
    EXPECT_NE(request.error().message.find("-o"), std::string::npos);
  }
}

TEST(ChatRequest, SchemaBecomesAStrictJsonSchemaResponseFormat) {
  ChatParams params = Prompt("hi");
  params.schema_json = R"({"type":"object","properties":{"a":{"type":"string"}}})";
  auto request = BuildChatRequest(OpenAi(), params, std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(
      Field(*request, "response_format"),
      R"({"type":"json_schema","json_schema":{"name":"output","schema":{"type":"object","properties":{"a":{"type":"string"}}},"strict":true}})");
}

TEST(ChatRequest, InvalidSchemaIsAUsageError) {
  for (const char* schema : {"{not json", "[1,2]", ""}) {
    ChatParams params = Prompt("hi");
    params.schema_json = schema;
    auto request = BuildChatRequest(OpenAi(), params, std::nullopt, {});
    ASSERT_FALSE(request) << schema;
    EXPECT_EQ(request.error().kind, ErrorKind::kUsage);
    EXPECT_NE(request.error().message.find("--schema"), std::string::npos);
  }
}

TEST(ChatRequest, HistoryComesBeforeTheNewTurn) {
  std::vector<Message> history = {TextMessage("user", "hi"), TextMessage("assistant", "hello")};
  auto request = BuildChatRequest(Groq(), Prompt("again"), std::nullopt, history);
  ASSERT_TRUE(request);
  ASSERT_EQ(request->messages.size(), 3u);
  EXPECT_EQ(request->messages[2], TextMessage("user", "again"));
  ASSERT_EQ(request->new_messages.size(), 1u);
}

TEST(ChatRequest, SystemPromptGoesFirstOrReplacesTheLeadingOne) {
  ChatParams params = Prompt("q");
  params.system = "be terse";
  auto fresh = BuildChatRequest(Groq(), params, std::nullopt, {});
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->messages.size(), 2u);
  EXPECT_EQ(fresh->messages[0], TextMessage("system", "be terse"));
  EXPECT_EQ(fresh->new_messages, fresh->messages);

  std::vector<Message> history = {TextMessage("system", "old"), TextMessage("user", "a"),
                                  TextMessage("assistant", "b")};
  auto continued = BuildChatRequest(Groq(), params, std::nullopt, history);
  ASSERT_TRUE(continued);
  ASSERT_EQ(continued->messages.size(), 4u);
  EXPECT_EQ(continued->messages[0], TextMessage("system", "be terse"));
  ASSERT_EQ(continued->new_messages.size(), 2u);
  EXPECT_EQ(continued->new_messages[0], TextMessage("system", "be terse"));

  std::vector<Message> same = {TextMessage("system", "be terse"), TextMessage("user", "a")};
  auto unchanged = BuildChatRequest(Groq(), params, std::nullopt, same);
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->new_messages.size(), 1u);
}

TEST(ChatRequest, SystemFlagReplacesTheSystemMessageOfAStdinRequest) {
  ChatParams params;
  params.system = "new";
  auto request = BuildChatRequest(
      Groq(), params, R"({"messages":[{"role":"system","content":"old"},{"role":"user","content":"x"}]})",
      {});
  ASSERT_TRUE(request);
  ASSERT_EQ(request->messages.size(), 2u);
  EXPECT_EQ(request->messages[0], TextMessage("system", "new"));
  EXPECT_EQ(request->new_messages, request->messages);
}

TEST(ChatRequest, BareUrlServiceSendsNoModelUnlessAsked) {
  auto service = ServiceForUrl("http://127.0.0.1:9/chat");
  ASSERT_TRUE(service);
  auto request = BuildChatRequest(*service, Prompt("hi"), std::nullopt, {});
  ASSERT_TRUE(request);
  EXPECT_EQ(Field(*request, "model"), "<absent>");
  EXPECT_EQ(request->model, "");
}

TEST(ChatRequest, FilesGoBetweenStdinAndThePromptEachNamedAndSeparatedByABlankLine) {
  ChatParams params = Prompt("review");
  params.stream = false;
  params.files = {{"RULES.md", "Be strict.\n"}, {"notes \"x\".txt", "no newline"}};
  auto request = BuildChatRequest(Groq(), params, std::string_view("diff --git a/x b/x\n+line\n"), {});
  ASSERT_TRUE(request) << request.error().message;
  ASSERT_EQ(request->new_messages.size(), 1u);
  EXPECT_EQ(request->new_messages[0].content,
            "diff --git a/x b/x\n+line\n\n<file name=\"RULES.md\">\nBe strict.\n</file>\n\n"
            "<file name=\"notes &quot;x&quot;.txt\">\nno newline\n</file>\n\nreview");
  EXPECT_TRUE(request->new_messages[0].raw.empty());
}

TEST(ChatRequest, AFileAloneIsAPrompt) {
  ChatParams params;
  params.files = {{"stdin", "hello"}};
  auto request = BuildChatRequest(Groq(), params, std::nullopt, {});
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->new_messages.at(0).content, "<file name=\"stdin\">\nhello\n</file>");
}

TEST(ChatRequest, ImagesMakeTheUserMessageAContentArrayAfterItsText) {
  ChatParams params = Prompt("what is this?");
  params.stream = false;
  params.image_urls = {"data:image/png;base64,iVBORw0KGgo=", "https://example.com/cat.jpg"};
  auto request = BuildChatRequest(OpenAi(), params, std::nullopt, {});
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(Field(*request, "messages"),
            "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is this?\"},"
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}},"
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}}]}]");
  EXPECT_EQ(request->new_messages.at(0).content, "what is this?");  // the log's text
}

TEST(ChatRequest, AnImageWithoutTextIsAPromptToo) {
  ChatParams params;
  params.stream = false;
  params.image_urls = {"https://example.com/cat.jpg"};
  auto request = BuildChatRequest(OpenAi(), params, std::nullopt, {});
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(Field(*request, "messages"),
            "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
            "\"https://example.com/cat.jpg\"}}]}]");
}

TEST(ChatRequest, FilesAfterAWholeRequestOnStdinJoinThePromptAsANewUserMessage) {
  ChatParams params = Prompt("and this");
  params.stream = false;
  params.files = {{"a.txt", "A"}};
  auto request = BuildChatRequest(Groq(), params,
                                  std::string_view(R"({"messages":[{"role":"user","content":"hi"}]})"), {});
  ASSERT_TRUE(request) << request.error().message;
  ASSERT_EQ(request->new_messages.size(), 2u);
  EXPECT_EQ(request->new_messages[1].content, "<file name=\"a.txt\">\nA\n</file>\n\nand this");
}

}  // namespace
}  // namespace mpp::llm
