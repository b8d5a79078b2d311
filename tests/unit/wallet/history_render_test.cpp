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

std::vector<JournalRecord> SampleCloses() {
  ChannelCloseEvent close;
  close.mode = "cooperative";
  close.endpoint = "https://llm.example.com/v1/chat/completions";
  close.channel_id = "0x" + std::string(64, 'c');
  close.payee = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  close.token = "0x20C0000000000000000000000000000000000000";
  close.chain_id = 42431;
  close.deposit = U256(5000);
  close.refunded = U256(3000);
  close.kept = U256(2000);
  close.tx_hash = "0x" + std::string(64, 'e');
  ChannelCloseEvent forced = close;
  forced.mode = "request-close";
  forced.endpoint.clear();
  forced.refunded = U256();
  forced.kept = U256();
  forced.tx_hash = "0x" + std::string(64, 'f');
  forced.fee_paid = U256(1200);
  return {MakeCloseRecord(close, kTime), MakeCloseRecord(forced, kTime + 5)};
}

TEST(RenderHistoryText, AForcedCloseWithoutARecordedOutcomeSaysSo) {
  auto closes = SampleCloses();
  closes[1].mode = "withdraw-sent";
  closes[1].fee_paid.reset();
  const std::string text = RenderHistoryText({}, Summarize({}, closes), closes);
  EXPECT_NE(
      text.find("2025-11-22T01:51:05Z  close sent, outcome not recorded ('mpp wallet channels' shows the "
                "chain's view)  0x70997970C51812dc3A010C7d01b50e0d17dc79C8  withdraw-sent channel 0x"),
      std::string::npos)
      << text;
}

TEST(RenderHistoryText, ClosesAreLinesOfTheirOwnInTimeOrder) {
  const auto payments = SamplePayments();  // at kTime and kTime + 1
  const auto closes = SampleCloses();      // at kTime and kTime + 5
  const std::string text = RenderHistoryText(payments, Summarize(payments, closes), closes);
  const std::size_t first_payment = text.find("settled  0.005");
  const std::size_t closed = text.find(
      "2025-11-22T01:51:00Z  closed  0.003 pathUSD (testnet) refunded, 0.002 kept by the payee  "
      "llm.example.com  cooperative channel 0x" +
      std::string(64, 'c') + "  tx 0x" + std::string(64, 'e'));
  const std::size_t requested = text.find(
      "2025-11-22T01:51:05Z  close requested  fee 0.0012  0x70997970C51812dc3A010C7d01b50e0d17dc79C8  "
      "request-close channel 0x");
  ASSERT_NE(closed, std::string::npos) << text;
  ASSERT_NE(requested, std::string::npos) << text;
  EXPECT_LT(first_payment, closed) << "same second: the payment first";
  EXPECT_LT(text.find("refused  1.5"), requested);
  EXPECT_LT(requested, text.find("Totals per day"));
  EXPECT_NE(
      text.find(
          "Totals per token:\n  pathUSD (testnet): settled 0.005, unsettled 1.5, fees 0.0012 (2 payments)"),
      std::string::npos)
      << text;
  // Only closes: still a history.
  EXPECT_NE(RenderHistoryText({}, Summarize({}, closes), closes), "no payments\n");
}

TEST(RenderHistoryJson, ClosesAreTheirOwnArray) {
  const auto payments = SamplePayments();
  const auto closes = SampleCloses();
  rapidjson::Document doc;
  doc.Parse(RenderHistoryJson(payments, Summarize(payments, closes), closes).c_str());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["payments"].Size(), 2u);
  ASSERT_EQ(doc["closes"].Size(), 2u);
  const auto& close = doc["closes"][0];
  EXPECT_STREQ(close["mode"].GetString(), "cooperative");
  EXPECT_STREQ(close["refunded"].GetString(), "3000");
  EXPECT_STREQ(close["kept"].GetString(), "2000");
  EXPECT_STREQ(close["deposit"].GetString(), "5000");
  EXPECT_STREQ(close["service"].GetString(), "llm.example.com");
  EXPECT_TRUE(close["fee_paid"].IsNull());
  EXPECT_STREQ(doc["closes"][1]["fee_paid"].GetString(), "1200");
  EXPECT_STREQ(doc["totals"]["per_token"][0]["fees"].GetString(), "1200");
  rapidjson::Document empty;
  empty.Parse(RenderHistoryJson({}, HistoryTotals{}).c_str());
  EXPECT_EQ(empty["closes"].Size(), 0u);
}

}  // namespace
}  // namespace mpp::wallet
