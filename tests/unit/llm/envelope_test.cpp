#include "llm/envelope.h"

#include <gtest/gtest.h>

#include "llm/model_list.h"
#include "llm/stream_assembler.h"

namespace mpp::llm {
namespace {

// The shape Nuru-AI/igigi-swarm captured from grok.mpp.paywithlocus.com (SERVICES.md 1.3), shortened.
constexpr const char* kLocusGrok =
    R"({"success": true, "data": {"id":"8d536d9d","object":"chat.completion","created":1781875716,)"
    R"("model":"grok-4.3","choices":[{"index":0,"message":{"role":"assistant","content":"Tempo is a )"
    R"(high-performance layer-1","reasoning_content":"...","refusal":null},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}})";

TEST(UnwrapSuccessEnvelope, LiftsExactlyTheTwoKeyEnvelope) {
  auto inner = UnwrapSuccessEnvelope(R"({"success":true,"data":{"a":[1,{"b":null}]}})");
  ASSERT_TRUE(inner);
  EXPECT_EQ(*inner, R"({"a":[1,{"b":null}]})");
  EXPECT_TRUE(UnwrapSuccessEnvelope(kLocusGrok));
}

TEST(UnwrapSuccessEnvelope, LeavesEverythingElseAlone) {
  for (const char* body : {
           R"({"success":true,"data":{},"extra":1})",  // a third key
           R"({"success":false,"data":{}})",           // not a success
           R"({"success":"true","data":{}})",          // not the boolean
           R"({"success":true,"data":[{"id":"m"}]})",  // data not an object
           R"({"success":true})",                      // no data
           R"({"data":{},"other":true})",              // no success
           R"({"success":true,"success":true})",       // duplicate key instead of data
           R"({"success":true,"data":{},"data":{}})",  // a duplicated data
           R"({"id":"c","choices":[]})",               // a bare completion
           R"([{"success":true,"data":{}}])",          // not an object
           R"({"success":true,"data":{})",             // invalid JSON
           "",
       }) {
    EXPECT_FALSE(UnwrapSuccessEnvelope(body)) << body;
  }
}

TEST(UnwrapSuccessEnvelope, AnAssemblerReadsTheLocusAnswerOnlyWhenAskedTo) {
  std::string printed;
  StreamAssemblerOptions options;
  options.on_text = [&printed](std::string_view text) { printed += text; };
  options.unwrap_envelope = true;
  StreamAssembler locus(options);
  ASSERT_TRUE(locus.Feed(kLocusGrok));
  auto answer = locus.Finish();
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(printed, "Tempo is a high-performance layer-1");
  EXPECT_EQ(answer->model, "grok-4.3");
  EXPECT_EQ(answer->usage->total_tokens, 19);

  StreamAssembler plain(StreamAssemblerOptions{});
  ASSERT_TRUE(plain.Feed(kLocusGrok));
  auto unread = plain.Finish();
  ASSERT_FALSE(unread);
  EXPECT_NE(unread.error().message.find("no choices[0].message"), std::string::npos);
}

TEST(UnwrapSuccessEnvelope, ABareAnswerStillReadsWithTheFlagOn) {
  StreamAssemblerOptions options;
  options.unwrap_envelope = true;
  StreamAssembler assembler(options);
  ASSERT_TRUE(assembler.Feed(R"({"choices":[{"message":{"content":"hi"}}]})"));
  auto answer = assembler.Finish();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->text, "hi");
}

TEST(UnwrapSuccessEnvelope, TheGroqModelListingReadsOutOfItsEnvelope) {
  const char* listing =
      R"({"success":true,"data":{"object":"list","data":[{"id":"openai/gpt-oss-20b","object":"model",)"
      R"("owned_by":"OpenAI","active":true,"context_window":131072},{"id":"llama-3.1-8b-instant"}]}})";
  auto ids = ParseModelList(listing, /*unwrap_envelope=*/true);
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(*ids, (std::vector<std::string>{"openai/gpt-oss-20b", "llama-3.1-8b-instant"}));
  EXPECT_FALSE(ParseModelList(listing));
}

}  // namespace
}  // namespace mpp::llm
