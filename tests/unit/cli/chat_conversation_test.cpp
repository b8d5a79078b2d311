#include "cli/chat_conversation.h"

#include <gtest/gtest.h>

namespace mpp::cli {
namespace {

const ConversationOrigin kOpenAi{"c1", "openai", "https://openai.mpp.tempo.xyz/v1/chat/completions",
                                 "gpt-4o-mini"};

TEST(ContinueOn, UsesTheConversationsServiceAndModelWhenNoFlagChoosesThem) {
  ContinuedTarget target = ContinueOn(kOpenAi, {}, "", ConfigValues{});
  EXPECT_EQ(target.service.service, "openai");
  EXPECT_TRUE(target.service.base_url.empty());
  EXPECT_EQ(target.model, "gpt-4o-mini");
  ASSERT_EQ(target.notes.size(), 2u);
  EXPECT_NE(target.notes[0].find("continuing conversation c1 on openai"), std::string::npos);
}

TEST(ContinueOn, KeepsALocalBaseUrlAndAnAdHocUrl) {
  ConversationOrigin local{"c2", "groq", "http://127.0.0.1:8080/groq/chat", ""};
  ContinuedTarget target = ContinueOn(local, {}, "", ConfigValues{});
  EXPECT_EQ(target.service.service, "groq");
  EXPECT_EQ(target.service.base_url, "http://127.0.0.1:8080");
  ConversationOrigin adhoc{"c3", "http://127.0.0.1:9/v1/chat", "http://127.0.0.1:9/v1/chat", "m"};
  target = ContinueOn(adhoc, {}, "", ConfigValues{});
  EXPECT_EQ(target.service.url, "http://127.0.0.1:9/v1/chat");
  EXPECT_TRUE(target.service.service.empty());
}

TEST(ContinueOn, FlagsWin) {
  ContinuedTarget target = ContinueOn(kOpenAi, {"grok", "", ""}, "grok-3", ConfigValues{});
  EXPECT_EQ(target.service.service, "grok");
  EXPECT_EQ(target.model, "grok-3");
  ASSERT_EQ(target.notes.size(), 1u);
  EXPECT_NE(target.notes[0].find("was held with openai"), std::string::npos);
}

TEST(ContinueOn, AnOldLogWithoutServiceChangesNothing) {
  ContinuedTarget target = ContinueOn({"c4", "", "", ""}, {}, "", ConfigValues{});
  EXPECT_TRUE(target.service.service.empty() && target.service.url.empty());
  EXPECT_TRUE(target.notes.empty());
}

}  // namespace
}  // namespace mpp::cli
