#include "wallet/reconcile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/wallet_test_support.h"
#include "wallet/budget.h"
#include "wallet/journal_record.h"
#include "wallet/trust.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kReconcileSignedAt = 1'800'000'000;
const std::string kReconcileTx = "0x" + std::string(64, 'a');

JournalRecord SignedWithFee(std::uint64_t amount, std::uint64_t fee, std::string id = "p-1") {
  protocol::PaymentRecord payment = testing::TestPayment(amount);
  payment.fee = U256(fee);
  payment.valid_before = kReconcileSignedAt + 25;
  payment.block = 7;
  payment.memo = "0x" + std::string(64, 'b');
  payment.payer = testing::TestAddress("0x2222222222222222222222222222222222222222");
  return MakeSignedRecord(payment, std::move(id), kReconcileSignedAt);
}

JournalRecord AfterRecord(const JournalRecord& signed_record, RecordType type) {
  JournalRecord record;
  record.type = type;
  record.payment_id = signed_record.payment_id;
  record.time = signed_record.time + 5;
  record.pid = 1;
  record.evidence = "the chain said so";
  return record;
}

Payment UnknownPayment(JournalRecord signed_record) {
  Payment payment;
  payment.signed_record = std::move(signed_record);
  payment.outcome = Outcome::kUnknown;
  return payment;
}

tempo::BlockHead HeadAt(std::int64_t timestamp) { return {100, timestamp}; }

TEST(JournalRecordWithFees, RoundTripsFeeValidBeforeBlockMemoPayerAndChainVerdicts) {
  JournalRecord signed_record = SignedWithFee(1000, 2100);
  std::string line = EncodeJournalLine(signed_record);
  line.pop_back();
  EXPECT_NE(line.find("\"fee\":\"2100\""), std::string::npos) << line;
  EXPECT_EQ(ParseJournalLine(line), signed_record);
  JournalRecord failed = AfterRecord(signed_record, RecordType::kFailed);
  failed.fee_paid = U256(29);
  JournalRecord settled = AfterRecord(signed_record, RecordType::kSettled);
  settled.reference = kReconcileTx;
  JournalRecord lost = AfterRecord(signed_record, RecordType::kLost);
  lost.evidence.clear();
  lost.reason = "cannot write standard output: No space left on device";
  for (const JournalRecord& record : {failed, settled, lost}) {
    std::string text = EncodeJournalLine(record);
    text.pop_back();
    EXPECT_EQ(ParseJournalLine(text), record) << text;
  }
}

TEST(JournalRecordWithFees, RecordsFromBeforeFeesStillParseWithNoFee) {
  auto record = ParseJournalLine(
      R"({"v":1,"type":"signed","id":"old","time":"2025-11-22T01:51:00Z","pid":1,"url":"u","realm":"r",)"
      R"("challenge_id":"c","amount":"1000","currency":"0x20C0000000000000000000000000000000000000",)"
      R"("recipient":"0x1111111111111111111111111111111111111111","chain_id":42431,"tx_hash":"","mode":"pull"})");
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->fee.IsZero());
  EXPECT_EQ(record->valid_before, 0u);
  EXPECT_FALSE(record->block);
}

TEST(SpentInWindowWithFees, CountsTheFeeReserveUntilTheChainSaysOtherwise) {
  const JournalRecord a = SignedWithFee(1000, 2100, "a");
  const JournalRecord b = SignedWithFee(1000, 2100, "b");
  const JournalRecord c = SignedWithFee(1000, 2100, "c");
  JournalRecord a_failed = AfterRecord(a, RecordType::kFailed);  // never landed: nothing spent
  JournalRecord b_reverted = AfterRecord(b, RecordType::kFailed);
  b_reverted.fee_paid = U256(29);  // reverted: only the fee
  JournalRecord c_settled = AfterRecord(c, RecordType::kSettled);
  c_settled.fee_paid = U256(30);  // the receipt's fee replaces the reserve
  EXPECT_EQ(SpentInWindow({a, b, c}, kReconcileSignedAt, std::nullopt), U256(3 * 3100));
  EXPECT_EQ(SpentInWindow({a, a_failed, b, b_reverted, c, c_settled}, kReconcileSignedAt, std::nullopt),
            U256(29 + 1030));
}

TEST(PaymentsToReconcile, TakesUnknownAndRefusedOnTheChainAndSettledOnesOnlyForTheirFee) {
  Payment unknown = UnknownPayment(SignedWithFee(1000, 2100, "u"));
  Payment refused = UnknownPayment(SignedWithFee(1000, 2100, "r"));
  refused.outcome = Outcome::kRefused;
  Payment settled = UnknownPayment(SignedWithFee(1000, 2100, "s"));
  settled.outcome = Outcome::kSettled;
  Payment failed = UnknownPayment(SignedWithFee(1000, 2100, "f"));
  failed.outcome = Outcome::kFailed;
  Payment other_chain = UnknownPayment(SignedWithFee(1000, 2100, "o"));
  other_chain.signed_record.chain_id = 4217;
  Payment pending = UnknownPayment(SignedWithFee(1000, 2100, "p"));
  pending.outcome = Outcome::kPending;  // in flight in a live process
  const std::vector<Payment> all = {unknown, refused, settled, failed, other_chain, pending};
  auto ids = [](const std::vector<Payment>& payments) {
    std::vector<std::string> out;
    for (const auto& p : payments) out.push_back(p.signed_record.payment_id);
    return out;
  };
  EXPECT_EQ(ids(PaymentsToReconcile(all, {42431, std::nullopt, false})),
            (std::vector<std::string>{"u", "r"}));
  EXPECT_EQ(ids(PaymentsToReconcile(all, {42431, std::nullopt, true})),
            (std::vector<std::string>{"u", "r", "s"}));
  EXPECT_TRUE(PaymentsToReconcile(all, {42431, kReconcileSignedAt + 1, true}).empty());
}

TEST(JudgeOnChain, AReceiptSettlesOrFailsASelfPaidPayment) {
  Payment payment = UnknownPayment(SignedWithFee(1000, 2100));
  tempo::ReceiptDetails receipt{kReconcileTx, true, 9, U256(105'000), U256(20'000'000'000)};
  ChainVerdict settled = JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 5), receipt, {}});
  EXPECT_EQ(settled.kind, ChainVerdictKind::kSettled);
  EXPECT_EQ(settled.fee_paid, U256(2100));
  EXPECT_EQ(settled.tx_hash, kReconcileTx);
  EXPECT_NE(settled.evidence.find("status 0x1"), std::string::npos);
  receipt.success = false;
  ChainVerdict reverted = JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 5), receipt, {}});
  EXPECT_EQ(reverted.kind, ChainVerdictKind::kFailed);
  EXPECT_EQ(reverted.fee_paid, U256(2100));
}

TEST(JudgeOnChain, NoReceiptIsFailedOnlyOnceTheChainIsPastValidBefore) {
  Payment payment = UnknownPayment(SignedWithFee(1000, 2100));
  ChainVerdict early = JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 24), std::nullopt, {}});
  EXPECT_EQ(early.kind, ChainVerdictKind::kStillUnknown);
  EXPECT_NE(early.evidence.find("can still land until"), std::string::npos) << early.evidence;
  ChainVerdict late = JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 25), std::nullopt, {}});
  EXPECT_EQ(late.kind, ChainVerdictKind::kFailed);
  EXPECT_FALSE(late.fee_paid);
  // A server's settled word is not overruled by a missing receipt.
  payment.outcome = Outcome::kSettled;
  EXPECT_EQ(JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 99), std::nullopt, {}}).kind,
            ChainVerdictKind::kStillUnknown);
}

TEST(JudgeOnChain, ASponsoredPaymentIsFoundByItsMemoLogAndSearchedFromTheRecordedBlock) {
  JournalRecord record = SignedWithFee(1000, 0);
  record.tx_hash.clear();
  auto filter = SponsoredTransferFilter(record);
  ASSERT_TRUE(filter);
  EXPECT_EQ(filter->from_block, 7u);
  ASSERT_EQ(filter->topics.size(), 4u);
  EXPECT_EQ(filter->topics[0], tempo::TransferWithMemoTopic());
  Payment payment = UnknownPayment(record);
  tempo::EventLog log;
  log.address = filter->address;
  for (const auto& topic : filter->topics) log.topics.push_back(*topic);
  log.data = Bytes(31, 0);
  log.data.push_back(0xe8);  // 232 <= 1000
  log.transaction_hash = Hash32{};
  log.transaction_hash->fill(0xcc);
  log.block_number = 8;
  ChainVerdict found = JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 5), std::nullopt, {log}});
  EXPECT_EQ(found.kind, ChainVerdictKind::kSettled);
  EXPECT_EQ(found.tx_hash, "0x" + std::string(64, 'c'));
  tempo::EventLog other_recipient = log;
  other_recipient.topics[2].fill(0x01);
  EXPECT_EQ(JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 5), std::nullopt, {other_recipient}}).kind,
            ChainVerdictKind::kStillUnknown);
  EXPECT_EQ(found.fee_paid, U256(0));
  EXPECT_EQ(JudgeOnChain(payment, {HeadAt(kReconcileSignedAt + 30), std::nullopt, {}}).kind,
            ChainVerdictKind::kFailed);
  record.block.reset();
  EXPECT_EQ(JudgeOnChain(UnknownPayment(record), {HeadAt(kReconcileSignedAt + 30), std::nullopt, {}}).kind,
            ChainVerdictKind::kStillUnknown);
}

TEST(CheckControlledByUser, RefusesOtherOwnersAndWritersButNotRootOrStickyDirectories) {
  const std::filesystem::path file = "/x/config.toml";
  EXPECT_TRUE(CheckControlledByUser(S_IFREG | 0600, 1000, 1000, file, "the config file").ok());
  EXPECT_TRUE(CheckControlledByUser(S_IFREG | 0644, 0, 1000, file, "the config file").ok());
  auto others = CheckControlledByUser(S_IFREG | 0666, 1000, 1000, file, "the config file");
  ASSERT_FALSE(others.ok());
  EXPECT_EQ(others.error().kind, ErrorKind::kWallet);
  EXPECT_NE(others.error().message.find("mode 666"), std::string::npos);
  EXPECT_FALSE(CheckControlledByUser(S_IFREG | 0620, 1000, 1000, file, "the config file").ok());
  auto owner = CheckControlledByUser(S_IFREG | 0600, 1001, 1000, file, "the config file");
  ASSERT_FALSE(owner.ok());
  EXPECT_NE(owner.error().message.find("belongs to uid 1001"), std::string::npos);
  EXPECT_TRUE(CheckControlledByUser(S_IFDIR | 01777, 0, 1000, "/tmp", "the config file's directory").ok());
  EXPECT_FALSE(CheckControlledByUser(S_IFDIR | 0777, 1000, 1000, "/x", "the config file's directory").ok());
}

}  // namespace
}  // namespace mpp::wallet
