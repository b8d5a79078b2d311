#include "cli/batch_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/flow_fakes.h"

namespace mpp::cli {
namespace {

protocol::PaymentRecord BudgetRecord(std::uint64_t amount, std::uint64_t fee, const std::string& id) {
  protocol::PaymentRecord record;
  record.realm = "realm";
  record.challenge_id = id;
  record.amount = U256(amount);
  record.fee = U256(fee);
  return record;
}

TEST(BatchBudget, ReservesWhileItFitsThenRefusesAndMarksItSpent) {
  BatchBudget budget(U256(100), "0.0001");
  EXPECT_TRUE(budget.Reserve(U256(60)).ok());
  EXPECT_TRUE(budget.Reserve(U256(40)).ok());  // exactly the limit
  EXPECT_FALSE(budget.spent());
  Status refused = budget.Reserve(U256(1));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(refused.error().message.find("the batch budget (--budget 0.0001)"), std::string::npos);
  EXPECT_TRUE(budget.spent());
  EXPECT_EQ(budget.committed(), U256(100));
  EXPECT_EQ(budget.remaining(), U256());
}

TEST(BatchBudget, ReleaseGivesBackTheUnusedPart) {
  BatchBudget budget(U256(100), "x");
  ASSERT_TRUE(budget.Reserve(U256(90)).ok());
  budget.Release(U256(30));
  EXPECT_EQ(budget.committed(), U256(60));
  EXPECT_TRUE(budget.Reserve(U256(40)).ok());
  budget.Release(U256(1000));  // never below zero
  EXPECT_EQ(budget.committed(), U256());
}

TEST(BatchBudget, CheckFitsReservesNothing) {
  BatchBudget budget(U256(10), "x");
  EXPECT_TRUE(budget.CheckFits(U256(10)).ok());
  EXPECT_EQ(budget.committed(), U256());
  EXPECT_FALSE(budget.CheckFits(U256(11)).ok());
  EXPECT_TRUE(budget.spent());
}

TEST(BatchBudget, ParallelReservationsNeverExceedTheLimit) {
  // 8 threads race for 1000 reservations of 7 into a budget of 500: exactly 71 fit (497).
  BatchBudget budget(U256(500), "x");
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 125; ++i) {
        if (budget.Reserve(U256(7)).ok()) ++granted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 71);
  EXPECT_EQ(budget.committed(), U256(497));
}

TEST(BudgetedLedger, ReservesAmountPlusFeeAndRefusesWhatDoesNotFit) {
  mpp::testing::MemoryLedger inner;
  BatchBudget budget(U256(250), "0.00025");
  BudgetedLedger ledger(inner, budget);
  ASSERT_TRUE(ledger.RecordSigned(BudgetRecord(100, 20, "a")).ok());
  EXPECT_EQ(budget.committed(), U256(120));
  auto refused = ledger.RecordSigned(BudgetRecord(100, 40, "b"));  // 260 > 250
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(inner.entries.size(), 1u);  // nothing recorded for the refused one
  EXPECT_EQ(budget.committed(), U256(120));
}

TEST(BudgetedLedger, InnerRefusalGivesTheReservationBack) {
  mpp::testing::MemoryLedger inner;
  inner.refuse = true;
  BatchBudget budget(U256(250), "x");
  BudgetedLedger ledger(inner, budget);
  EXPECT_FALSE(ledger.RecordSigned(BudgetRecord(100, 20, "a")).ok());
  EXPECT_EQ(budget.committed(), U256());
  EXPECT_FALSE(budget.spent());
}

TEST(BudgetedLedger, NotSentReleasesAllButARefusalAfterSendingKeepsTheWorstCase) {
  mpp::testing::MemoryLedger inner;
  BatchBudget budget(U256(1000), "x");
  BudgetedLedger ledger(inner, budget);
  auto a = ledger.RecordSigned(BudgetRecord(100, 20, "a"));
  auto b = ledger.RecordSigned(BudgetRecord(100, 20, "b"));
  ASSERT_TRUE(a.ok() && b.ok());
  ledger.RecordRefused(*a, "not sent: cannot build the credential");
  EXPECT_EQ(budget.committed(), U256(120));
  ledger.RecordRefused(*b, "HTTP 402: payment verification failed");
  EXPECT_EQ(budget.committed(), U256(120));
  EXPECT_EQ(inner.entries.at(0).outcome, "refused");
  EXPECT_EQ(inner.entries.at(1).outcome, "refused");
}

TEST(BudgetedLedger, SettledWithTheChainsFeeReleasesTheUnusedFeeBound) {
  mpp::testing::MemoryLedger inner;
  BatchBudget budget(U256(1000), "x");
  BudgetedLedger ledger(inner, budget);
  auto a = ledger.RecordSigned(BudgetRecord(100, 50, "a"));
  auto b = ledger.RecordSigned(BudgetRecord(100, 50, "b"));
  ASSERT_TRUE(a.ok() && b.ok());
  ledger.RecordSettledWithNote(*a, "0xabc", /*from_receipt=*/true, U256(8), "");
  EXPECT_EQ(budget.committed(), U256(108 + 150));
  ledger.RecordSettled(*b, "0xdef");  // no fee known: the bound stays counted
  EXPECT_EQ(budget.committed(), U256(258));
  EXPECT_EQ(inner.entries.at(0).outcome, "settled");
}

TEST(BudgetedLedger, IncrementsCountAndAreRefusedOverTheBudget) {
  mpp::testing::MemoryLedger inner;
  BatchBudget budget(U256(100), "x");
  BudgetedLedger ledger(inner, budget);
  auto id = ledger.RecordSigned(BudgetRecord(50, 0, "a"));
  ASSERT_TRUE(id.ok());
  protocol::PaymentIncrement voucher;
  voucher.amount = U256(30);
  EXPECT_TRUE(ledger.RecordIncrement(*id, voucher).ok());
  EXPECT_EQ(budget.committed(), U256(80));
  EXPECT_FALSE(ledger.RecordIncrement(*id, voucher).ok());
  EXPECT_EQ(budget.committed(), U256(80));
}

}  // namespace
}  // namespace mpp::cli
