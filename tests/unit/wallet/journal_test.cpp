#include "wallet/journal.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/wallet_test_support.h"

namespace mpp::wallet {
namespace {

using testing::ModeOf;
using testing::ReadText;
using testing::TempDir;
using testing::TestPayment;
using testing::WriteText;

constexpr std::int64_t kNow = 1763776260;

Journal::Clock FixedClock(std::int64_t now = kNow) {
  return [now] { return now; };
}

class JournalTest : public ::testing::Test {
 protected:
  std::filesystem::path JournalFile() const { return tmp_.path() / "data" / "payments.jsonl"; }
  TempDir tmp_;
};

TEST_F(JournalTest, RecordSignedCreatesAPrivateJournalWithTheSignedRecord) {
  Journal journal(JournalFile(), std::nullopt, FixedClock());
  auto id = journal.RecordSigned(TestPayment(5000));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_FALSE(id->empty());
  EXPECT_EQ(ModeOf(JournalFile().parent_path()), 0700u);
  EXPECT_EQ(ModeOf(JournalFile()), 0600u);

  const std::string content = ReadText(JournalFile());
  ASSERT_FALSE(content.empty());
  EXPECT_EQ(content.find('\n'), content.size() - 1);
  auto record = ParseJournalLine(content.substr(0, content.size() - 1));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->type, RecordType::kSigned);
  EXPECT_EQ(record->payment_id, *id);
  EXPECT_EQ(record->time, kNow);
  EXPECT_EQ(record->amount, U256(5000));
  EXPECT_EQ(record->pid, ::getpid());
}

TEST_F(JournalTest, OutcomesFollowTheirSignedRecordsLinkedById) {
  Journal journal(JournalFile(), std::nullopt, FixedClock());
  auto first = journal.RecordSigned(TestPayment(1));
  auto second = journal.RecordSigned(TestPayment(2));
  auto third = journal.RecordSigned(TestPayment(3));
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_NE(*first, *second);
  journal.RecordSettled(*first, "0xreceipt");
  journal.RecordRefused(*second, "HTTP 402: verification-failed");
  journal.RecordUnknown(*third, "connection lost");

  auto contents = journal.Read();
  ASSERT_TRUE(contents.ok()) << contents.error().message;
  EXPECT_FALSE(contents->torn_tail);
  EXPECT_TRUE(contents->unreadable_lines.empty());
  ASSERT_EQ(contents->records.size(), 6u);
  EXPECT_EQ(contents->records[3].type, RecordType::kSettled);
  EXPECT_EQ(contents->records[3].payment_id, *first);
  EXPECT_EQ(contents->records[3].reference, "0xreceipt");
  EXPECT_EQ(contents->records[4].type, RecordType::kRefused);
  EXPECT_EQ(contents->records[4].payment_id, *second);
  EXPECT_EQ(contents->records[5].type, RecordType::kUnknown);
  EXPECT_EQ(contents->records[5].reason, "connection lost");
}

TEST_F(JournalTest, ASettledNoteKeepsTheFeeTheChainReported) {
  Journal journal(JournalFile(), std::nullopt, FixedClock());
  auto pushed = journal.RecordSigned(TestPayment(1000));
  auto plain = journal.RecordSigned(TestPayment(2000));
  ASSERT_TRUE(pushed.ok() && plain.ok());
  // A pushed payment whose answer was cut off: the receipt's reference, the chain's fee and the note.
  journal.RecordSettledWithNote(*pushed, "0xreceipt", /*from_receipt=*/true, U256(42), "answer cut off: big");
  // A receipt that failed its check: the signed hash, no fee known, the note.
  journal.RecordSettledWithNote(*plain, "0xsigned", /*from_receipt=*/false, std::nullopt,
                                "receipt not trusted");

  auto contents = journal.Read();
  ASSERT_TRUE(contents.ok()) << contents.error().message;
  ASSERT_EQ(contents->records.size(), 4u);
  const JournalRecord& first = contents->records[2];
  EXPECT_EQ(first.reference, "0xreceipt");
  EXPECT_EQ(first.reference_source, "receipt");
  EXPECT_EQ(first.fee_paid, U256(42));
  EXPECT_EQ(first.note, "answer cut off: big");
  const JournalRecord& second = contents->records[3];
  EXPECT_EQ(second.reference, "0xsigned");
  EXPECT_EQ(second.reference_source, "signed transaction");
  EXPECT_FALSE(second.fee_paid);
  EXPECT_EQ(second.note, "receipt not trusted");
}

TEST_F(JournalTest, AnAbsentJournalReadsAsEmpty) {
  Journal journal(JournalFile());
  auto contents = journal.Read();
  ASSERT_TRUE(contents.ok());
  EXPECT_TRUE(contents->records.empty());
  EXPECT_FALSE(std::filesystem::exists(JournalFile()));
}

TEST(ParseJournal, ToleratesAndReportsALastLineTornByACrash) {
  const std::string good = EncodeJournalLine(MakeSignedRecord(TestPayment(5), "p", kNow));
  const JournalContents parsed = ParseJournal(good + good.substr(0, good.size() / 2));
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_TRUE(parsed.torn_tail);
  EXPECT_TRUE(parsed.unreadable_lines.empty());
}

TEST(ParseJournal, ReportsUnreadableLinesByNumberAndKeepsTheRest) {
  const std::string good = EncodeJournalLine(MakeSignedRecord(TestPayment(5), "p", kNow));
  const JournalContents parsed = ParseJournal(good + "garbage\n\n" + good + "{\"half\":");
  EXPECT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.unreadable_lines, std::vector<std::size_t>{2});
  EXPECT_TRUE(parsed.torn_tail);
}

TEST(ParseJournal, AcceptsACompleteLastRecordThatLostOnlyItsNewline) {
  const std::string good = EncodeJournalLine(MakeSignedRecord(TestPayment(5), "p", kNow));
  const JournalContents parsed = ParseJournal(good.substr(0, good.size() - 1));
  EXPECT_EQ(parsed.records.size(), 1u);
  EXPECT_FALSE(parsed.torn_tail);
}

TEST_F(JournalTest, AnAppendAfterATornLineStartsOnALineOfItsOwn) {
  Journal journal(JournalFile(), std::nullopt, FixedClock());
  ASSERT_TRUE(journal.RecordSigned(TestPayment(1)).ok());
  const std::string before = ReadText(JournalFile());
  WriteText(JournalFile(), before + "{\"v\":1,\"type\":\"sig");  // a crash mid-write
  auto id = journal.RecordSigned(TestPayment(2));
  ASSERT_TRUE(id.ok());

  auto contents = journal.Read();
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->records.size(), 2u);
  EXPECT_EQ(contents->records[1].payment_id, *id);
  EXPECT_FALSE(contents->torn_tail);
  EXPECT_EQ(contents->unreadable_lines, std::vector<std::size_t>{2});
}

TEST_F(JournalTest, OverTheDailyBudgetNothingIsWrittenAndTheRefusalIsLocal) {
  Journal journal(JournalFile(), DailyBudget{U256(1'000'000), std::nullopt}, FixedClock());
  ASSERT_TRUE(journal.RecordSigned(TestPayment(700'000)).ok());
  const std::string before = ReadText(JournalFile());
  auto refused = journal.RecordSigned(TestPayment(400'000));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ExitCode(refused.error().kind), 5);
  EXPECT_NE(refused.error().message.find("0.3 left today"), std::string::npos) << refused.error().message;
  EXPECT_EQ(ReadText(JournalFile()), before);
  EXPECT_TRUE(journal.RecordSigned(TestPayment(300'000)).ok());
}

TEST_F(JournalTest, TheBudgetWindowRollsAndCanBeScopedToAChain) {
  {
    Journal yesterday(JournalFile(), std::nullopt, FixedClock(kNow - kBudgetWindowSeconds));
    ASSERT_TRUE(yesterday.RecordSigned(TestPayment(1'000'000)).ok());
    Journal mainnet(JournalFile(), std::nullopt, FixedClock());
    ASSERT_TRUE(mainnet.RecordSigned(TestPayment(1'000'000, 4217)).ok());
  }
  Journal testnet_budget(JournalFile(), DailyBudget{U256(1'000'000), 42431u}, FixedClock());
  EXPECT_TRUE(testnet_budget.RecordSigned(TestPayment(1'000'000)).ok());
  Journal all_chains(JournalFile(), DailyBudget{U256(3'000'000), std::nullopt}, FixedClock());
  EXPECT_FALSE(all_chains.RecordSigned(TestPayment(1'000'001)).ok());
  EXPECT_TRUE(all_chains.RecordSigned(TestPayment(1'000'000)).ok());
}

TEST_F(JournalTest, ParallelProcessesCannotOverspendTogether) {
  constexpr int kProcesses = 4;
  int barrier[2];
  ASSERT_EQ(::pipe(barrier), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(barrier[1]);
      char byte;
      (void)!::read(barrier[0], &byte, 1);  // returns when the parent closes its end: all start together
      Journal journal(JournalFile(), DailyBudget{U256(1'000'000), std::nullopt}, FixedClock());
      auto id = journal.RecordSigned(TestPayment(600'000));
      ::_exit(id.ok() ? 0 : ExitCode(id.error().kind));
    }
    children.push_back(pid);
  }
  ::close(barrier[0]);
  ::close(barrier[1]);
  int succeeded = 0;
  int refused = 0;
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) ++succeeded;
    if (WEXITSTATUS(status) == 5) ++refused;
  }
  EXPECT_EQ(succeeded, 1);
  EXPECT_EQ(refused, kProcesses - 1);
  auto contents = Journal(JournalFile()).Read();
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->records.size(), 1u);
}

TEST_F(JournalTest, ParallelThreadsCannotOverspendTogether) {
  constexpr int kThreads = 8;
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      Journal journal(JournalFile(), DailyBudget{U256(1'000'000), std::nullopt}, FixedClock());
      auto id = journal.RecordSigned(TestPayment(250'000));
      if (id.ok()) ++succeeded;
      if (!id.ok() && id.error().kind == ErrorKind::kPaymentRefusedLocally) ++refused;
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 4);
  EXPECT_EQ(refused.load(), kThreads - 4);
  auto contents = Journal(JournalFile()).Read();
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->records.size(), 4u);
}

TEST_F(JournalTest, AChallengeIdIsRecordedOnceAndASecondPaymentOfItIsRefusedUnwritten) {
  Journal journal(JournalFile(), std::nullopt, FixedClock());
  ASSERT_TRUE(journal.RecordSigned(TestPayment(1000, 42431, "same-id")).ok());
  const std::string before = ReadText(JournalFile());
  auto again = journal.RecordSigned(TestPayment(1000, 42431, "same-id"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kChallengeAlreadyPaid);
  EXPECT_EQ(ExitCode(again.error().kind), 5);
  EXPECT_NE(again.error().message.find("challenge same-id of llm.example.com is already paid"),
            std::string::npos)
      << again.error().message;
  EXPECT_EQ(ReadText(JournalFile()), before);

  // Ids are the server's: the same id from another realm is another challenge.
  protocol::PaymentRecord elsewhere = TestPayment(1000, 42431, "same-id");
  elsewhere.realm = "other.example.com";
  EXPECT_TRUE(journal.RecordSigned(elsewhere).ok());
}

TEST_F(JournalTest, ParallelThreadsGivenOneChallengeIdRecordItOnce) {
  constexpr int kThreads = 8;
  std::atomic<int> recorded{0};
  std::atomic<int> already_paid{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      Journal journal(JournalFile(), std::nullopt, FixedClock());
      auto id = journal.RecordSigned(TestPayment(1000, 42431, "shared-id"));
      if (id.ok()) ++recorded;
      if (!id.ok() && id.error().kind == ErrorKind::kChallengeAlreadyPaid) ++already_paid;
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(recorded.load(), 1);
  EXPECT_EQ(already_paid.load(), kThreads - 1);
}

// `count` signed records of `amount` at `when`, as journal lines; the last has challenge id `last_id`.
std::string SignedLines(int count, std::uint64_t amount, std::int64_t when, const std::string& last_id = "") {
  std::string lines;
  for (int i = 0; i < count; ++i) {
    protocol::PaymentRecord payment = TestPayment(amount, 42431, i + 1 == count ? last_id : "");
    lines += EncodeJournalLine(
        MakeSignedRecord(payment, "p-" + std::to_string(when) + "-" + std::to_string(i), when));
  }
  return lines;
}

TEST_F(JournalTest, ALongJournalIsReadOnlyAsFarBackAsTheWindowAndStillCountsAllOfIt) {
  // 2,000 payments two days ago (about 1 MB), then 300 inside the window: the window's spending
  // spans more than the 64 KiB the tail read starts with, so it has to grow to find all of it.
  std::filesystem::create_directories(JournalFile().parent_path());
  WriteText(JournalFile(), SignedLines(2000, 1'000'000, kNow - 2 * kBudgetWindowSeconds) +
                               SignedLines(300, 1000, kNow - 3600, "recent-id"));
  Journal journal(JournalFile(), DailyBudget{U256(300'000 + 500), std::nullopt}, FixedClock());
  auto over = journal.RecordSigned(TestPayment(501));
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("0.0005 left today"), std::string::npos) << over.error().message;
  EXPECT_TRUE(journal.RecordSigned(TestPayment(500)).ok());
  auto again = journal.RecordSigned(TestPayment(1, 42431, "recent-id"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kChallengeAlreadyPaid);
}

TEST_F(JournalTest, EachSignedRecordCarriesTheLatestStampSoFar) {
  {
    Journal ahead(JournalFile(), std::nullopt, FixedClock(kNow + 100));
    ASSERT_TRUE(ahead.RecordSigned(TestPayment(1)).ok());
  }
  Journal now(JournalFile(), std::nullopt, FixedClock());
  ASSERT_TRUE(now.RecordSigned(TestPayment(2)).ok());
  auto read = now.Read();
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->records.size(), 2u);
  EXPECT_EQ(read->records[0].latest, kNow + 100);
  EXPECT_EQ(read->records[1].time, kNow);
  EXPECT_EQ(read->records[1].latest, kNow + 100);
}

TEST_F(JournalTest, AClockSteppedBackCannotHideTodaysPaymentsInALongJournal) {
  // Today's payment, then (the clock 30 h behind) about 1 MB of records and a second payment, all
  // stamped 30 h early, in the old format without `latest`: the tail read must not stop at them.
  std::filesystem::create_directories(JournalFile().parent_path());
  const std::int64_t stepped = kNow - 31 * 3600;
  WriteText(JournalFile(), SignedLines(1, 100'000, kNow - 3600) + SignedLines(4000, 0, stepped) +
                               SignedLines(1, 100'000, stepped + 60, "stepped-id"));
  Journal journal(JournalFile(), DailyBudget{U256(250'000), std::nullopt}, FixedClock());
  auto over = journal.RecordSigned(TestPayment(50'001));
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("0.05 left today"), std::string::npos) << over.error().message;
  ASSERT_TRUE(journal.RecordSigned(TestPayment(50'000)).ok());
  auto again = journal.RecordSigned(TestPayment(1, 42431, "stepped-id"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kChallengeAlreadyPaid);
}

TEST_F(JournalTest, AClockSteppedBackAfterThisVersionWroteTheJournalIsCaughtToo) {
  Journal today(JournalFile(), std::nullopt, FixedClock());
  ASSERT_TRUE(today.RecordSigned(TestPayment(100'000)).ok());
  Journal stepped(JournalFile(), std::nullopt, FixedClock(kNow - 30 * 3600));
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(stepped.RecordSigned(TestPayment(0)).ok());  // > 64 KiB
  ASSERT_TRUE(stepped.RecordSigned(TestPayment(40'000)).ok());
  Journal later(JournalFile(), DailyBudget{U256(150'000), std::nullopt}, FixedClock(kNow + 3600));
  EXPECT_FALSE(later.RecordSigned(TestPayment(10'001)).ok());
  EXPECT_TRUE(later.RecordSigned(TestPayment(10'000)).ok());
}

TEST_F(JournalTest, ChallengeIdsAreComparedDecodedWhateverTheyHold) {
  Journal journal(JournalFile(), std::nullopt, FixedClock());
  for (const std::string id :
       {"q\"uote", "back\\slash", "\"\\\"", "slash/and\ttab", "caf\xc3\xa9", "\"", "plain"}) {
    ASSERT_TRUE(journal.RecordSigned(TestPayment(1, 42431, id)).ok()) << id;
    auto again = journal.RecordSigned(TestPayment(1, 42431, id));
    ASSERT_FALSE(again.ok()) << id;
    EXPECT_EQ(again.error().kind, ErrorKind::kChallengeAlreadyPaid) << id;
  }
  // A prefix of a paid id, or the id with its escapes, is another id.
  EXPECT_TRUE(journal.RecordSigned(TestPayment(1, 42431, "q")).ok());
  EXPECT_TRUE(journal.RecordSigned(TestPayment(1, 42431, "q\\\"uote")).ok());
}

}  // namespace
}  // namespace mpp::wallet
