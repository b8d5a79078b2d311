#include "wallet/history.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/wallet_test_support.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kDay1 = 1763769600;  // 2025-11-22T00:00:00Z
constexpr std::int64_t kDay2 = kDay1 + 86400;

JournalRecord Signed(const std::string& id, std::uint64_t amount, std::int64_t time, const std::string& realm,
                     std::uint64_t chain_id = 42431) {
  protocol::PaymentRecord payment = testing::TestPayment(amount, chain_id);
  payment.realm = realm;
  return MakeSignedRecord(payment, id, time);
}

JournalRecord Outcome(const std::string& id, RecordType type, const std::string& detail) {
  JournalRecord record;
  record.type = type;
  record.payment_id = id;
  record.reference = type == RecordType::kSettled ? detail : "";
  record.problem = type == RecordType::kRefused ? detail : "";
  record.reason = type == RecordType::kUnknown ? detail : "";
  return record;
}

std::vector<JournalRecord> SampleJournal() {
  return {
      Signed("a", 1000, kDay1 + 10, "groq"),          Outcome("a", RecordType::kSettled, "0xtx-a"),
      Signed("b", 2000, kDay1 + 20, "grok"),          Outcome("b", RecordType::kRefused, "HTTP 402"),
      Signed("c", 4000, kDay2 + 30, "groq"),          Outcome("c", RecordType::kUnknown, "connection lost"),
      Signed("d", 8000, kDay2 + 40, "groq"),  // no outcome: the process died
      Outcome("zzz", RecordType::kSettled, "orphan"),
  };
}

TEST(CollectPayments, JoinsEachSignedRecordWithItsOutcome) {
  const auto payments = CollectPayments(SampleJournal());
  ASSERT_EQ(payments.size(), 4u);
  EXPECT_EQ(payments[0].outcome, Outcome::kSettled);
  EXPECT_EQ(payments[0].outcome_detail, "0xtx-a");
  EXPECT_EQ(payments[1].outcome, Outcome::kRefused);
  EXPECT_EQ(payments[1].outcome_detail, "HTTP 402");
  EXPECT_EQ(payments[2].outcome, Outcome::kUnknown);
  EXPECT_EQ(payments[3].outcome, Outcome::kPending);
  EXPECT_EQ(OutcomeName(payments[3].outcome), "pending");
}

TEST(CollectPayments, TheLastOutcomeWins) {
  const auto payments =
      CollectPayments({Signed("a", 1, kDay1, "r"), Outcome("a", RecordType::kUnknown, "lost"),
                       Outcome("a", RecordType::kSettled, "0xfound")});
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].outcome, Outcome::kSettled);
}

TEST(CollectPayments, SinceKeepsPaymentsSignedOnOrAfterIt) {
  const auto payments = CollectPayments(SampleJournal(), kDay2);
  ASSERT_EQ(payments.size(), 2u);
  EXPECT_EQ(payments[0].signed_record.payment_id, "c");
  EXPECT_EQ(payments[1].signed_record.payment_id, "d");
}

TEST(ServiceName, IsTheRealmElseTheUrlHost) {
  JournalRecord record = Signed("a", 1, kDay1, "groq.mpp.paywithlocus.com");
  EXPECT_EQ(ServiceName(record), "groq.mpp.paywithlocus.com");
  record.realm.clear();
  EXPECT_EQ(ServiceName(record), "llm.example.com");
  record.url = "not a url";
  EXPECT_EQ(ServiceName(record), "not a url");
}

TEST(Summarize, TotalsPerDayPerServiceAndPerTokenSplitBySettlement) {
  const HistoryTotals totals = Summarize(CollectPayments(SampleJournal()));
  const TokenKey path_usd{42431, "0x20C0000000000000000000000000000000000000"};

  ASSERT_EQ(totals.per_day.size(), 2u);
  EXPECT_EQ(totals.per_day.at("2025-11-22").at(path_usd), (Spend{U256(1000), U256(2000), 2, U256(0)}));
  EXPECT_EQ(totals.per_day.at("2025-11-23").at(path_usd), (Spend{U256(0), U256(12000), 2, U256(0)}));

  ASSERT_EQ(totals.per_service.size(), 2u);
  EXPECT_EQ(totals.per_service.at("groq").at(path_usd), (Spend{U256(1000), U256(12000), 3, U256(0)}));
  EXPECT_EQ(totals.per_service.at("grok").at(path_usd), (Spend{U256(0), U256(2000), 1, U256(0)}));

  ASSERT_EQ(totals.per_token.size(), 1u);
  EXPECT_EQ(totals.per_token.at(path_usd), (Spend{U256(1000), U256(14000), 4, U256(0)}));
}

TEST(Summarize, KeepsTheSameTokenAddressOnDifferentChainsApart) {
  const HistoryTotals totals =
      Summarize(CollectPayments({Signed("a", 1, kDay1, "r", 4217), Signed("b", 2, kDay1, "r", 42431)}));
  EXPECT_EQ(totals.per_token.size(), 2u);
}

}  // namespace
}  // namespace mpp::wallet

namespace mpp::wallet {
namespace {

TEST(History, PendingPaymentOfAnEndedProcessIsUnknown) {
  std::vector<Payment> payments(2);
  payments[0].signed_record.pid = 111;
  payments[1].signed_record.pid = 222;
  MarkAbandoned(payments, [](std::int64_t pid) { return pid == 222; });
  EXPECT_EQ(payments[0].outcome, Outcome::kUnknown);
  EXPECT_NE(payments[0].outcome_detail.find("111"), std::string::npos);
  EXPECT_EQ(payments[1].outcome, Outcome::kPending);
}

TEST(History, SettledPaymentsAreNeverMarkedAbandoned) {
  std::vector<Payment> payments(1);
  payments[0].outcome = Outcome::kSettled;
  MarkAbandoned(payments, [](std::int64_t) { return false; });
  EXPECT_EQ(payments[0].outcome, Outcome::kSettled);
}

TEST(History, OurOwnProcessIsAliveAndPidZeroIsNot) {
  EXPECT_TRUE(ProcessAlive(::getpid()));
  EXPECT_FALSE(ProcessAlive(0));
}

}  // namespace
}  // namespace mpp::wallet
