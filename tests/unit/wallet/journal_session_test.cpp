// The journal's session records: a session payment's signed record keeps the channel (descriptor
// included), and the vouchers and top-ups of a metered answer are their own records, written under the
// budget before they leave and counted by it and by history.
#include <gtest/gtest.h>

#include "support/wallet_test_support.h"
#include "wallet/budget.h"
#include "wallet/history.h"
#include "wallet/journal.h"
#include "wallet/journal_record.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kSessionNow = 1763776260;

protocol::PaymentRecord SessionPayment(std::uint64_t amount) {
  protocol::PaymentRecord record = testing::TestPayment(amount);
  record.mode = "session open";
  protocol::ChannelPart channel;
  channel.channel_id.fill(0xc1);
  channel.escrow = tempo::kChannelEscrow;
  channel.descriptor.payer = testing::TestAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  channel.descriptor.payee = record.recipient;
  channel.descriptor.token = record.currency;
  channel.descriptor.salt.fill(0x5a);
  channel.descriptor.authorized_signer = channel.descriptor.payer;
  channel.descriptor.expiring_nonce_hash.fill(0xe0);
  channel.deposit = U256(1'000'000);
  channel.cumulative = U256(amount);
  record.channel = channel;
  return record;
}

protocol::PaymentIncrement Voucher(std::uint64_t cumulative, std::uint64_t added) {
  protocol::PaymentIncrement increment;
  increment.channel_id = "0x" + std::string(64, 'c');
  increment.cumulative = U256(cumulative);
  increment.amount = U256(added);
  return increment;
}

protocol::PaymentIncrement TopUp(std::uint64_t deposit, std::uint64_t fee) {
  protocol::PaymentIncrement increment;
  increment.kind = protocol::PaymentIncrement::Kind::kTopUp;
  increment.channel_id = "0x" + std::string(64, 'c');
  increment.deposit = U256(deposit);
  increment.fee = U256(fee);
  increment.tx_hash = "0x" + std::string(64, 'd');
  return increment;
}

JournalRecord RoundTrip(const JournalRecord& record) {
  std::string line = EncodeJournalLine(record);
  line.pop_back();
  auto parsed = ParseJournalLine(line);
  EXPECT_TRUE(parsed.has_value()) << line;
  return parsed.value_or(JournalRecord{});
}

std::string Repeat(const char* pair) {
  std::string out = "0x";
  for (int i = 0; i < 32; ++i) out += pair;
  return out;
}

TEST(SessionJournalRecord, TheSignedRecordKeepsTheWholeChannel) {
  const JournalRecord record = MakeSignedRecord(SessionPayment(1000), "p-1", kSessionNow);
  EXPECT_EQ(record.channel_id, Repeat("c1"));
  EXPECT_EQ(record.escrow, tempo::kChannelEscrow.ToChecksumHex());
  EXPECT_EQ(record.channel_operator, "0x0000000000000000000000000000000000000000");
  EXPECT_EQ(record.salt, Repeat("5a"));
  EXPECT_EQ(record.authorized_signer, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_EQ(record.expiring_nonce_hash, Repeat("e0"));
  EXPECT_EQ(record.deposit, U256(1'000'000));
  EXPECT_EQ(record.cumulative, U256(1000));
  EXPECT_EQ(RoundTrip(record), record);
  // A charge's record has none of it.
  const std::string charge =
      EncodeJournalLine(MakeSignedRecord(testing::TestPayment(1000), "p-2", kSessionNow));
  EXPECT_EQ(charge.find("channel_id"), std::string::npos);
}

TEST(SessionJournalRecord, VouchersAndTopUpsRoundTripAndAHalfChannelIsUnreadable) {
  const JournalRecord voucher = MakeIncrementRecord(Voucher(3000, 1000), "p-1", kSessionNow);
  EXPECT_EQ(voucher.type, RecordType::kVoucher);
  EXPECT_NE(EncodeJournalLine(voucher).find(R"("type":"voucher")"), std::string::npos);
  EXPECT_EQ(RoundTrip(voucher), voucher);
  const JournalRecord top_up = MakeIncrementRecord(TopUp(5000, 41'000), "p-1", kSessionNow);
  EXPECT_NE(EncodeJournalLine(top_up).find(R"("type":"top-up")"), std::string::npos);
  EXPECT_EQ(RoundTrip(top_up), top_up);
  // A signed record with a channel id but no descriptor cannot be used to recover the channel.
  std::string line = EncodeJournalLine(MakeSignedRecord(SessionPayment(1000), "p-1", kSessionNow));
  const auto salt = line.find(R"("salt":)");
  ASSERT_NE(salt, std::string::npos);
  line.erase(salt, line.find(',', salt) - salt + 1);
  line.pop_back();
  EXPECT_FALSE(ParseJournalLine(line).has_value()) << line;
}

TEST(SessionBudget, VouchersCountTheirIncrementTopUpsTheirFeeAndDepositsNothing) {
  std::vector<JournalRecord> records{MakeSignedRecord(SessionPayment(1000), "p-1", kSessionNow),
                                     MakeIncrementRecord(Voucher(2000, 1000), "p-1", kSessionNow),
                                     MakeIncrementRecord(TopUp(500'000, 41'000), "p-1", kSessionNow),
                                     MakeIncrementRecord(Voucher(3000, 1000), "p-1", kSessionNow)};
  EXPECT_EQ(SpentInWindow(records, kSessionNow, std::nullopt), U256(1000 + 1000 + 41'000 + 1000));
  EXPECT_EQ(SpentInWindow(records, kSessionNow, 4217u), U256());  // another chain's payment
  auto payments = CollectPayments(records);
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].signed_record.amount, U256(3000));
  EXPECT_EQ(payments[0].signed_record.fee, U256(41'000));
  EXPECT_EQ(payments[0].signed_record.cumulative, U256(3000));
  EXPECT_EQ(payments[0].signed_record.deposit, U256(1'500'000));
}

ChannelCloseEvent Close(std::string mode, std::uint64_t refunded, std::uint64_t kept,
                        std::optional<std::uint64_t> fee) {
  ChannelCloseEvent close;
  close.mode = std::move(mode);
  close.endpoint = "https://llm.example.com/v1/chat/completions";
  close.channel_id = Repeat("c1");
  close.escrow = tempo::kChannelEscrow.ToChecksumHex();
  close.payer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  close.payee = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  close.token = "0x20C0000000000000000000000000000000000000";
  close.chain_id = 42431;
  close.deposit = U256(refunded + kept);
  close.refunded = U256(refunded);
  close.kept = U256(kept);
  close.tx_hash = Repeat("ab");
  if (fee) close.fee_paid = U256(*fee);
  return close;
}

TEST(SessionJournalRecord, ACloseIsARecordOfItsOwnThatRoundTrips) {
  const JournalRecord cooperative =
      MakeCloseRecord(Close("cooperative", 3000, 2000, std::nullopt), kSessionNow);
  EXPECT_EQ(cooperative.type, RecordType::kClose);
  EXPECT_FALSE(cooperative.payment_id.empty());
  EXPECT_NE(cooperative.payment_id, MakeCloseRecord(Close("cooperative", 1, 1, std::nullopt), 0).payment_id);
  EXPECT_EQ(cooperative.amount, U256(3000));
  EXPECT_EQ(cooperative.cumulative, U256(2000));
  EXPECT_EQ(cooperative.deposit, U256(5000));
  EXPECT_EQ(RoundTrip(cooperative), cooperative);
  const std::string line = EncodeJournalLine(cooperative);
  EXPECT_NE(line.find("\"type\":\"close\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"refunded\":\"3000\",\"kept\":\"2000\""), std::string::npos) << line;
  const JournalRecord withdraw = MakeCloseRecord(Close("withdraw", 4000, 1000, 77), kSessionNow);
  EXPECT_EQ(RoundTrip(withdraw), withdraw);
  EXPECT_EQ(RoundTrip(withdraw).fee_paid, U256(77));
  // A close without its refund is not a close record.
  std::string torn = line.substr(0, line.size() - 1);
  torn.replace(torn.find("\"refunded\""), 10, "\"refundee\"");
  EXPECT_FALSE(ParseJournalLine(torn).has_value()) << torn;
}

TEST(SessionHistory, AForcedCloseNotedBeforeItsBroadcastGivesWayToItsOutcome) {
  ChannelCloseEvent sent = Close("request-close-sent", 0, 0, std::nullopt);
  sent.tx_hash = Repeat("AB");  // the outcome's hash in another case still matches
  const JournalRecord before = MakeCloseRecord(sent, kSessionNow);
  const JournalRecord outcome = MakeCloseRecord(Close("request-close", 0, 0, 50), kSessionNow + 1);
  ChannelCloseEvent stranded = Close("withdraw-sent", 0, 0, std::nullopt);
  stranded.tx_hash = Repeat("cd");
  const JournalRecord lost = MakeCloseRecord(stranded, kSessionNow + 2);
  EXPECT_TRUE(IsSentClose(before));
  EXPECT_FALSE(IsSentClose(outcome));
  EXPECT_EQ(RoundTrip(before), before);
  const auto closes = CollectCloses({before, outcome, lost});
  ASSERT_EQ(closes.size(), 2u);
  EXPECT_EQ(closes[0].mode, "request-close");
  EXPECT_EQ(closes[1].mode, "withdraw-sent") << "no outcome recorded: the history must say so";
  const HistoryTotals totals = Summarize({}, closes);
  ASSERT_EQ(totals.per_token.size(), 1u);
  EXPECT_EQ(totals.per_token.begin()->second.fees, U256(50)) << "a fee only once, from the outcome";
}

TEST(SessionHistory, ClosesAreListedApartAndOnlyTheirFeesCount) {
  const JournalRecord signed_record = MakeSignedRecord(SessionPayment(2000), "p-1", kSessionNow);
  const JournalRecord request = MakeCloseRecord(Close("request-close", 0, 0, 50), kSessionNow + 10);
  const JournalRecord withdraw = MakeCloseRecord(Close("withdraw", 3000, 2000, 70), kSessionNow + 20);
  const std::vector<JournalRecord> records{signed_record, request, withdraw};
  const auto payments = CollectPayments(records);
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].signed_record.amount, U256(2000));
  const auto closes = CollectCloses(records);
  ASSERT_EQ(closes.size(), 2u);
  EXPECT_EQ(closes[0].mode, "request-close");
  EXPECT_EQ(closes[1].amount, U256(3000));
  EXPECT_TRUE(CollectCloses(records, kSessionNow + 15).size() == 1u);
  const HistoryTotals totals = Summarize(payments, closes);
  ASSERT_EQ(totals.per_token.size(), 1u);
  const Spend& spend = totals.per_token.begin()->second;
  EXPECT_EQ(U256::SaturatingAdd(spend.settled, spend.unsettled), U256(2000)) << "a refund is not spending";
  EXPECT_EQ(spend.count, 1u) << "a close is not a payment";
  EXPECT_EQ(spend.fees, U256::SaturatingAdd(payments[0].signed_record.fee, U256(120)))
      << "the forced close's two fees count";
  EXPECT_EQ(totals.per_service.count("llm.example.com"), 1u);
  // Budgets count what was paid: a refund is not income, but the forced close's fees were spent.
  EXPECT_EQ(SpentInWindow(records, kSessionNow + 30, std::nullopt),
            U256::SaturatingAdd(SpentInWindow({signed_record}, kSessionNow + 30, std::nullopt), U256(120)));
}

class SessionJournalTest : public ::testing::Test {
 protected:
  std::filesystem::path File() const { return tmp_.path() / "data" / "payments.jsonl"; }
  testing::TempDir tmp_;
};

TEST_F(SessionJournalTest, AnIncrementIsWrittenUnderTheBudgetOrNotAtAll) {
  Journal journal(File(), DailyBudget{U256(10'000), std::nullopt}, [] { return kSessionNow; });
  auto id = journal.RecordSigned(SessionPayment(1000));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(journal.RecordIncrement(*id, Voucher(5000, 4000)).ok());
  const std::string before = testing::ReadText(File());
  auto over = journal.RecordIncrement(*id, Voucher(11'000, 6000));  // 1000 + 4000 + 6000 > 10000
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(testing::ReadText(File()), before);
  EXPECT_TRUE(journal.RecordIncrement(*id, Voucher(10'000, 5000)).ok());  // exactly the limit
  auto unknown = journal.RecordIncrement("no-such-payment", Voucher(1, 1));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kWallet);
  auto contents = journal.Read();
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->records.size(), 3u);
  EXPECT_EQ(contents->records[2].type, RecordType::kVoucher);
  EXPECT_EQ(contents->records[2].cumulative, U256(10'000));
}

}  // namespace
}  // namespace mpp::wallet
