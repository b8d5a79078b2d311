#include "cli/chat_render.h"

#include <gtest/gtest.h>

#include "tempo/chains.h"

namespace mpp::cli {
namespace {

protocol::PaymentSummary Paid(std::uint64_t amount, std::string tx) {
  protocol::PaymentSummary payment;
  payment.amount = U256(amount);
  payment.currency = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
  payment.chain_id = tempo::kTestnetChainId;
  payment.tx_hash = std::move(tx);
  return payment;
}

TEST(ChatSummaryLine, NamesModelTokensAmountAndTx) {
  EXPECT_EQ(ChatSummaryLine("gpt-4o-mini", llm::Usage{5, 7, 12}, Paid(1000, "0xabc")),
            "gpt-4o-mini, 12 tokens (5 in, 7 out), paid 0.001 pathUSD, tx 0xabc");
}

TEST(ChatSummaryLine, LeavesOutWhatIsUnknownAndSaysFree) {
  EXPECT_EQ(ChatSummaryLine("", std::nullopt, std::nullopt), "free");
  EXPECT_EQ(ChatSummaryLine("m", std::nullopt, std::nullopt), "m, free");
}

TEST(ChatSummaryLine, ModelNamesAreMadeSafe) {
  EXPECT_EQ(ChatSummaryLine("m\x1b[31m", std::nullopt, std::nullopt), "m?[31m, free");
}

TEST(ProgressBarText, FillsInProportionAndCountsFailures) {
  EXPECT_EQ(ProgressBarText(0, 0, 4, 8), "[--------]  0/4");
  EXPECT_EQ(ProgressBarText(2, 0, 4, 8), "[####----]  2/4");
  EXPECT_EQ(ProgressBarText(4, 1, 4, 8), "[########]  4/4  1 failed");
  EXPECT_EQ(ProgressBarText(3, 0, 12, 4), "[#---]   3/12");
}

TEST(ProgressBarText, SurvivesDegenerateInput) {
  EXPECT_EQ(ProgressBarText(0, 0, 0, 2), "[##]  0/0");
  EXPECT_EQ(ProgressBarText(9, 0, 3, 0), "[#]  3/3");
}

TEST(RenderConversationList, OneLinePerConversation) {
  std::vector<llm::ConversationSummary> list{{"20251122-015100-0a1b2c3d", 1763776260, "hello there", 3},
                                             {"20251121-000000-ffffffff", 1763683200, "x", 1}};
  EXPECT_EQ(RenderConversationList(list),
            "20251122-015100-0a1b2c3d  2025-11-22 01:51  3 turns  hello there\n"
            "20251121-000000-ffffffff  2025-11-21 00:00  1 turn   x\n");
  EXPECT_EQ(RenderConversationList({}), "no conversations yet\n");
}

TEST(RenderModelList, OneIdPerLine) {
  EXPECT_EQ(RenderModelList({"a", "b/c"}), "a\nb/c\n");
  EXPECT_EQ(RenderModelList({}), "");
}

}  // namespace
}  // namespace mpp::cli
