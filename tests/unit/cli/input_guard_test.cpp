#include "cli/input_guard.h"

#include <gtest/gtest.h>

namespace mpp::cli {
namespace {

std::vector<llm::Message> TwoTurns() {
  return {llm::TextMessage("user", "hello there"), llm::TextMessage("assistant", "hi, how can I help?")};
}

TEST(InputGuard, EstimatesOneTokenPerFourBytesRoundedUp) {
  EXPECT_EQ(EstimateTokens(0), 0u);
  EXPECT_EQ(EstimateTokens(1), 1u);
  EXPECT_EQ(EstimateTokens(8), 2u);
  EXPECT_EQ(EstimateTokens(9), 3u);
}

TEST(InputGuard, DescribesTheHistoryAContinuedCallReSends) {
  EXPECT_EQ(DescribeHistory(TwoTurns()), "2 earlier messages (30 bytes, ~8 tokens)");
  EXPECT_EQ(DescribeHistory({llm::TextMessage("user", "abcd")}), "1 earlier message (4 bytes, ~1 tokens)");
}

TEST(InputGuard, ARequestWithinTheBoundPassesAndOneOverItIsAUsageError) {
  EXPECT_TRUE(CheckInputSize(100, {}, 100).ok());
  auto over = CheckInputSize(101, {}, 100);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kUsage);
  EXPECT_NE(over.error().message.find("101 bytes (~26 tokens), over --max-input 100 bytes"),
            std::string::npos)
      << over.error().message;
  EXPECT_NE(over.error().message.find("nothing was sent"), std::string::npos);
  EXPECT_EQ(over.error().message.find("conversation"), std::string::npos);
  auto continued = CheckInputSize(101, TwoTurns(), 100);
  ASSERT_FALSE(continued.ok());
  EXPECT_NE(continued.error().message.find("2 earlier messages"), std::string::npos);
  EXPECT_NE(continued.error().message.find("new conversation"), std::string::npos);
}

TEST(InputGuard, MaxInputTakesASizeAndDefaultsToOneMebibyte) {
  EXPECT_EQ(*ResolveMaxInput(""), kDefaultMaxInputBytes);
  EXPECT_EQ(*ResolveMaxInput("512K"), 512u << 10);
  EXPECT_EQ(*ResolveMaxInput("2000"), 2000u);
  for (const char* bad : {"0", "lots", "-5", "1T"}) {
    auto refused = ResolveMaxInput(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::kUsage);
  }
}

TEST(InputGuard, AContinuedCallAnnouncesItsPrice) {
  llm::ChatRequest request;
  request.body = R"({"messages":[]})";
  PaymentSettings settings;
  auto fresh = GuardInput(request, {}, "", settings);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->confirm.announce);
  auto continued = GuardInput(request, TwoTurns(), "", settings);
  ASSERT_TRUE(continued.ok());
  EXPECT_TRUE(continued->confirm.announce);
  EXPECT_FALSE(GuardInput(request, TwoTurns(), "4", settings).ok());
}

}  // namespace
}  // namespace mpp::cli
