#include "wallet/budget.h"

#include <gtest/gtest.h>

#include "support/wallet_test_support.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kNow = 1763776260;

JournalRecord Signed(std::uint64_t amount, std::int64_t time, std::uint64_t chain_id = 42431) {
  return MakeSignedRecord(testing::TestPayment(amount, chain_id), std::to_string(time), time);
}

JournalRecord OutcomeFor(const JournalRecord& signed_record, RecordType type) {
  JournalRecord outcome;
  outcome.type = type;
  outcome.payment_id = signed_record.payment_id;
  outcome.time = signed_record.time + 1;
  return outcome;
}

TEST(SpentInWindow, CountsSignedAmountsOfTheLast24Hours) {
  const std::vector<JournalRecord> records = {
      Signed(1, kNow - kBudgetWindowSeconds),       // exactly 24 h ago: out of the window
      Signed(10, kNow - kBudgetWindowSeconds + 1),  // just inside
      Signed(100, kNow), Signed(1000, kNow + 60),   // a skewed clock in another process: counts
  };
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(1110));
}

TEST(SpentInWindow, CountsEveryOutcomeBecauseNoneProvesTheMoneyStayed) {
  const JournalRecord settled = Signed(1, kNow - 10);
  const JournalRecord refused = Signed(10, kNow - 9);
  const JournalRecord unknown = Signed(100, kNow - 8);
  const JournalRecord pending = Signed(1000, kNow - 7);
  const std::vector<JournalRecord> records = {
      settled, OutcomeFor(settled, RecordType::kSettled), refused, OutcomeFor(refused, RecordType::kRefused),
      unknown, OutcomeFor(unknown, RecordType::kUnknown), pending};
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(1111));
}

TEST(SpentInWindow, CanBeLimitedToOneChain) {
  const std::vector<JournalRecord> records = {Signed(5, kNow, 4217), Signed(7, kNow, 42431)};
  EXPECT_EQ(SpentInWindow(records, kNow, 4217u), U256(5));
  EXPECT_EQ(SpentInWindow(records, kNow, 42431u), U256(7));
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(12));
}

TEST(SpentInWindow, SaturatesInsteadOfWrapping) {
  JournalRecord huge = Signed(0, kNow);
  huge.amount = U256::Max();
  EXPECT_EQ(SpentInWindow({huge, Signed(5, kNow)}, kNow, std::nullopt), U256::Max());
}

TEST(SpentInWindow, AForcedClosesFeesCountButItsRefundDoesNot) {
  auto close = [](std::optional<std::uint64_t> fee, std::int64_t time, std::uint64_t chain_id = 42431) {
    ChannelCloseEvent event;
    event.mode = fee ? "withdraw" : "withdraw-sent";
    event.chain_id = chain_id;
    event.deposit = U256(5000);
    event.refunded = U256(4000);
    event.kept = U256(1000);
    if (fee) event.fee_paid = U256(*fee);
    return MakeCloseRecord(event, time);
  };
  const std::vector<JournalRecord> records = {
      close(300, kNow - kBudgetWindowSeconds),  // a day old: out of the window
      Signed(10, kNow - 5), close(std::nullopt, kNow - 4), close(7, kNow - 3), close(50, kNow - 2, 4217)};
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(10 + 7 + 50));
  EXPECT_EQ(SpentInWindow(records, kNow, 42431u), U256(10 + 7));
}

TEST(CheckDailyBudget, AllowsUpToTheLimitInclusive) {
  const DailyBudget budget{U256(1'000'000), std::nullopt};
  EXPECT_TRUE(CheckDailyBudget(budget, U256(0), U256(1'000'000)).ok());
  EXPECT_TRUE(CheckDailyBudget(budget, U256(999'000), U256(1'000)).ok());
}

TEST(CheckDailyBudget, RefusesLocallyWithTheAmountLeftToday) {
  const DailyBudget budget{U256(1'000'000), std::nullopt};
  auto refused = CheckDailyBudget(budget, U256(700'000), U256(500'000));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(ExitCode(refused.error().kind), 5);
  EXPECT_NE(refused.error().message.find("0.3 left today"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("daily limit of 1"), std::string::npos);
  EXPECT_NE(refused.error().message.find("payment of 0.5"), std::string::npos);

  auto spent_over = CheckDailyBudget(budget, U256(2'000'000), U256(1));
  ASSERT_FALSE(spent_over.ok());
  EXPECT_NE(spent_over.error().message.find(" 0 left today"), std::string::npos)
      << spent_over.error().message;
}

TEST(SpentInWindow, APaymentStampedEarlyAfterOneOfTodaysStillCounts) {
  // File order is the order of writing: the clock stepped back 30 h between these two payments.
  const std::vector<JournalRecord> records = {Signed(100, kNow - 3600), Signed(10, kNow - 31 * 3600)};
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(110));
}

TEST(SpentInWindow, AnyEarlierRecordTodayVouchesForTheRecordsAfterIt) {
  JournalRecord outcome = OutcomeFor(Signed(1, kNow - 3600), RecordType::kRefused);  // only its stamp counts
  const std::vector<JournalRecord> records = {Signed(1000, kNow - 3 * kBudgetWindowSeconds), outcome,
                                              Signed(10, kNow - 2 * kBudgetWindowSeconds)};
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(10));
}

TEST(SpentInWindow, AFutureStampCountsItselfButVouchesForNothingAfterIt) {
  // A clock that ran ahead once must not keep every later payment in the window for years.
  const std::vector<JournalRecord> records = {Signed(100, kNow + 10 * kBudgetWindowSeconds),
                                              Signed(10, kNow - 2 * kBudgetWindowSeconds)};
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(100));
}

TEST(SpentInWindow, TheLatestFieldVouchesLikeTheRecordsItStandsFor) {
  JournalRecord stepped = Signed(10, kNow - 2 * kBudgetWindowSeconds);
  stepped.latest = kNow - 60;
  EXPECT_EQ(SpentInWindow({stepped}, kNow, std::nullopt), U256(10));
  stepped.latest = kNow + 60;  // in the future: vouches for nothing
  EXPECT_EQ(SpentInWindow({stepped}, kNow, std::nullopt), U256(0));
}

TEST(SpentInWindow, ChainVerdictsApplyToPaymentsCountedAcrossAClockStep) {
  // The clock stepped back 30 h after `today`; `reverted` and `settled` were written after it, so they
  // count, and what the chain said about them (issue 14's verdicts) still replaces their fee reserve.
  JournalRecord today = Signed(1000, kNow - 3600);
  today.fee = U256(2100);
  JournalRecord reverted = Signed(1000, kNow - 31 * 3600);
  reverted.fee = U256(2100);
  JournalRecord settled = Signed(1000, kNow - 31 * 3600 + 1);
  settled.fee = U256(2100);
  JournalRecord reverted_verdict = OutcomeFor(reverted, RecordType::kFailed);
  reverted_verdict.fee_paid = U256(29);  // reverted on chain: only its fee was spent
  JournalRecord settled_verdict = OutcomeFor(settled, RecordType::kSettled);
  settled_verdict.fee_paid = U256(30);  // the receipt's fee replaces the reserve
  const std::vector<JournalRecord> records = {today, reverted, reverted_verdict, settled, settled_verdict};
  EXPECT_EQ(SpentInWindow(records, kNow, std::nullopt), U256(3100 + 29 + 1030));
}

}  // namespace
}  // namespace mpp::wallet
