#include <gtest/gtest.h>

#include "support/wallet_test_support.h"
#include "wallet/history.h"
#include "wallet/history_render.h"

namespace mpp::wallet {
namespace {

JournalRecord FeeRecord(const char* id, std::uint64_t fee, std::string tx_hash) {
  protocol::PaymentRecord payment = testing::TestPayment(1000);
  payment.fee = U256(fee);
  payment.tx_hash = std::move(tx_hash);
  return MakeSignedRecord(payment, id, 1'800'000'000);
}

JournalRecord ThenRecord(const char* id, RecordType type) {
  JournalRecord record;
  record.type = type;
  record.payment_id = id;
  record.time = 1'800'000'010;
  return record;
}

TEST(HistoryWithFees, FailedPaymentsCountOnlyTheirFeeAndLostAnswersAreNoted) {
  JournalRecord failed = ThenRecord("f", RecordType::kFailed);
  failed.evidence = "no receipt, validBefore passed";
  JournalRecord settled = ThenRecord("s", RecordType::kSettled);
  settled.fee_paid = U256(29);
  settled.evidence = "receipt status 0x1";
  JournalRecord lost = ThenRecord("s", RecordType::kLost);
  lost.reason = "cannot write standard output: No space left on device";
  auto payments =
      CollectPayments({FeeRecord("f", 2100, "0x01"), failed, FeeRecord("s", 2100, "0x02"), settled, lost,
                       FeeRecord("u", 2100, "0x03"), ThenRecord("u", RecordType::kUnknown)});
  ASSERT_EQ(payments.size(), 3u);
  EXPECT_EQ(payments[0].outcome, Outcome::kFailed);
  EXPECT_EQ(CountedFee(payments[0]), U256(0));
  EXPECT_EQ(payments[1].outcome, Outcome::kSettled);
  EXPECT_EQ(CountedFee(payments[1]), U256(29));
  EXPECT_EQ(payments[1].answer_lost, lost.reason);
  EXPECT_EQ(CountedFee(payments[2]), U256(2100));
  EXPECT_NE(StillUnknownWhy(payments[2]).find("mpp wallet reconcile"), std::string::npos);

  const auto totals = Summarize(payments);
  const Spend& spend = totals.per_token.begin()->second;
  EXPECT_EQ(spend.settled, U256(1000));
  EXPECT_EQ(spend.unsettled, U256(1000));  // the unknown one; the failed one moved nothing
  EXPECT_EQ(spend.fees, U256(29 + 2100));
  const std::string text = RenderHistoryText(payments, totals);
  EXPECT_NE(text.find("failed  0.001 pathUSD (testnet)  llm.example.com"), std::string::npos) << text;
  EXPECT_NE(text.find("settled  0.001 pathUSD (testnet)  fee 0.000029"), std::string::npos) << text;
  EXPECT_NE(text.find("(on chain: receipt status 0x1)  (answer lost: cannot write standard output"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("still unknown: the chain has not confirmed it either way"), std::string::npos) << text;
  EXPECT_NE(text.find("fees 0.002129"), std::string::npos) << text;
  const std::string json = RenderHistoryJson(payments, totals);
  EXPECT_NE(json.find(R"("fee":"2100","fee_paid":"29")"), std::string::npos) << json;
}

TEST(HistoryWithFees, AnUnknownPaymentWithNothingToSearchBySaysSo) {
  JournalRecord record = FeeRecord("x", 0, "");
  auto payments = CollectPayments({record, ThenRecord("x", RecordType::kUnknown)});
  EXPECT_NE(StillUnknownWhy(payments[0]).find("neither its transaction hash nor the block"),
            std::string::npos);
}

}  // namespace
}  // namespace mpp::wallet
