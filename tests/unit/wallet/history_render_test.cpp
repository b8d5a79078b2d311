#include "wallet/history_render.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/wallet_test_support.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kTime = 1763776260;  // 2025-11-22T01:51:00Z

std::vector<Payment> SamplePayments() {
  protocol::PaymentRecord paid = testing::TestPayment(5000);
  protocol::PaymentRecord refused = testing::TestPayment(1'500'000);
  refused.realm = "evil\x1b[31m.example";
  refused.tx_hash.clear();
  JournalRecord refusal;
  refusal.type = RecordType::kRefused;
  refusal.payment_id = "p2";
  refusal.problem = "HTTP 402:\nverification-failed";
  JournalRecord settled;
  settled.type = RecordType::kSettled;
  settled.payment_id = "p1";
  settled.reference = "0xreceipt";
  return CollectPayments(
      {MakeSignedRecord(paid, "p1", kTime), settled, MakeSignedRecord(refused, "p2", kTime + 1), refusal});
}

TEST(HistoryTokenLabel, NamesKnownTokensAndFallsBackToTheAddress) {
  EXPECT_EQ(HistoryTokenLabel(TokenKey{42431, "0x20C0000000000000000000000000000000000000"}),
            "pathUSD (testnet)");
  EXPECT_EQ(TokenDecimals(TokenKey{42431, "0x20C0000000000000000000000000000000000000"}), 6);
  EXPECT_EQ(HistoryTokenLabel(TokenKey{999, "0x1111111111111111111111111111111111111111"}),
            "0x1111111111111111111111111111111111111111 (chain 999)");
}

TEST(RenderHistoryText, OneLinePerPaymentThenTotals) {
  const auto payments = SamplePayments();
  const std::string text = RenderHistoryText(payments, Summarize(payments));
  EXPECT_NE(
      text.find("2025-11-22T01:51:00Z  settled  0.005 pathUSD (testnet)  llm.example.com  pull  tx 0xaaaa"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("refused  1.5 pathUSD (testnet)"), std::string::npos) << text;
  EXPECT_NE(text.find("(HTTP 402:?verification-failed)"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("Totals per day (UTC):\n  2025-11-22  pathUSD (testnet): settled 0.005, unsettled 1.5 "
                      "(2 payments)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Totals per service:"), std::string::npos);
  EXPECT_NE(text.find("Totals per token:\n  pathUSD (testnet): settled 0.005, unsettled 1.5 (2 payments)"),
            std::string::npos)
      << text;
}

TEST(RenderHistoryText, SaysSoWhenThereAreNoPayments) {
  EXPECT_EQ(RenderHistoryText({}, HistoryTotals{}), "no payments\n");
}

TEST(RenderHistoryJson, CarriesPaymentsAndTotalsWithBaseUnitAmounts) {
  const auto payments = SamplePayments();
  const std::string json = RenderHistoryJson(payments, Summarize(payments));
  EXPECT_EQ(json.find('\n'), json.size() - 1);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_TRUE(doc.IsObject());
  ASSERT_EQ(doc["payments"].Size(), 2u);
  EXPECT_STREQ(doc["payments"][0]["outcome"].GetString(), "settled");
  EXPECT_STREQ(doc["payments"][0]["amount"].GetString(), "5000");
  EXPECT_STREQ(doc["payments"][0]["time"].GetString(), "2025-11-22T01:51:00Z");
  EXPECT_STREQ(doc["payments"][1]["detail"].GetString(), "HTTP 402:\nverification-failed");
  const auto& per_token = doc["totals"]["per_token"];
  ASSERT_EQ(per_token.Size(), 1u);
  EXPECT_STREQ(per_token[0]["settled"].GetString(), "5000");
  EXPECT_STREQ(per_token[0]["unsettled"].GetString(), "1500000");
  EXPECT_EQ(per_token[0]["count"].GetUint(), 2u);
  EXPECT_STREQ(doc["totals"]["per_day"][0]["day"].GetString(), "2025-11-22");
  EXPECT_EQ(doc["totals"]["per_service"].Size(), 2u);
}

}  // namespace
}  // namespace mpp::wallet
