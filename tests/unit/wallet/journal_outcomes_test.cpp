// The outcome records added for the real services: `undelivered` (paid, the service answered an
// error), and where a settled payment's hash comes from (receipt, signed transaction, unknown).
#include <gtest/gtest.h>

#include "mpp/charge_verdict.h"
#include "support/wallet_test_support.h"
#include "wallet/history.h"
#include "wallet/history_render.h"
#include "wallet/journal.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kOutcomeTime = 1763776260;  // 2025-11-22T01:51:00Z

std::vector<JournalRecord> WrittenRecords(const std::filesystem::path& file) {
  auto contents = Journal(file).Read();
  EXPECT_TRUE(contents.ok());
  EXPECT_TRUE(contents->unreadable_lines.empty());
  return contents->records;
}

class JournalOutcomesTest : public ::testing::Test {
 protected:
  std::filesystem::path File() const { return tmp_.path() / "payments.jsonl"; }
  testing::TempDir tmp_;
};

TEST_F(JournalOutcomesTest, UndeliveredKeepsStatusErrorPaymentIdAndReference) {
  Journal journal(File(), std::nullopt, [] { return kOutcomeTime; });
  auto id = journal.RecordSigned(testing::TestPayment(6000));
  ASSERT_TRUE(id.ok());
  journal.RecordUndelivered(*id,
                            protocol::UndeliveredOutcome{502, "Upstream API call failed",
                                                         "13be2934-c11a-459c-b78a-7571859926e4", "0xaaaa"});
  const std::string text = testing::ReadText(File());
  EXPECT_NE(text.find(R"("type":"undelivered")"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          R"("status":502,"error":"Upstream API call failed","paymentId":"13be2934-c11a-459c-b78a-7571859926e4","reference":"0xaaaa")"),
      std::string::npos)
      << text;
  auto records = WrittenRecords(File());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].type, RecordType::kUndelivered);
  EXPECT_EQ(records[1].status, 502);
  EXPECT_EQ(records[1].error, "Upstream API call failed");
  EXPECT_EQ(records[1].service_payment_id, "13be2934-c11a-459c-b78a-7571859926e4");
  EXPECT_EQ(records[1].reference, "0xaaaa");
  EXPECT_EQ(RecordTypeName(RecordType::kUndelivered), "undelivered");
}

TEST_F(JournalOutcomesTest, UndeliveredWithoutPaymentIdOrHashLeavesThemOut) {
  Journal journal(File(), std::nullopt, [] { return kOutcomeTime; });
  auto id = journal.RecordSigned(testing::TestPayment(6000));
  journal.RecordUndelivered(
      *id, protocol::UndeliveredOutcome{403, "Country, region, or territory not supported", "", ""});
  const std::string text = testing::ReadText(File());
  EXPECT_EQ(text.find("paymentId"), std::string::npos) << text;
  EXPECT_EQ(text.find("\"reference\""), std::string::npos) << text;
  EXPECT_EQ(WrittenRecords(File())[1].status, 403);
}

TEST_F(JournalOutcomesTest, SettledSaysWhereItsHashComesFromAndNeverWritesAnEmptyOne) {
  Journal journal(File(), std::nullopt, [] { return kOutcomeTime; });
  auto receipt = journal.RecordSigned(testing::TestPayment(1, 42431, "c1"));
  auto self_paid = journal.RecordSigned(testing::TestPayment(2, 42431, "c2"));
  auto sponsored = journal.RecordSigned(testing::TestPayment(3, 42431, "c3"));
  journal.RecordSettled(*receipt, "0xfromreceipt");
  journal.RecordSettledWithoutReceipt(*self_paid, "0xsigned");
  journal.RecordSettledWithoutReceipt(*sponsored, "");
  const std::string text = testing::ReadText(File());
  EXPECT_NE(text.find(R"("reference":"0xfromreceipt","reference_source":"receipt")"), std::string::npos);
  EXPECT_NE(text.find(R"("reference":"0xsigned","reference_source":"signed transaction")"),
            std::string::npos);
  EXPECT_NE(text.find(R"("reference_source":"unknown")"), std::string::npos);
  EXPECT_EQ(text.find(R"("reference":"")"), std::string::npos) << text;
  auto records = WrittenRecords(File());
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[5].reference_source, "unknown");
  EXPECT_TRUE(records[5].reference.empty());
}

TEST(ParseJournalLine, ASettledRecordFromBeforeReferenceSourcesStillParses) {
  auto old = ParseJournalLine(
      R"({"v":1,"type":"settled","id":"p","time":"2025-11-22T01:51:00Z","pid":1,"reference":""})");
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->reference_source.empty());
  EXPECT_FALSE(
      ParseJournalLine(R"({"v":1,"type":"settled","id":"p","time":"2025-11-22T01:51:00Z","pid":1})"));
  EXPECT_FALSE(ParseJournalLine(
      R"({"v":1,"type":"undelivered","id":"p","time":"2025-11-22T01:51:00Z","pid":1,"error":"x"})"));
}

TEST(History, UndeliveredIsItsOwnOutcomeShownWithTheServicesWordsAndCountedAsPaid) {
  protocol::PaymentRecord paid = testing::TestPayment(6000);
  JournalRecord undelivered;
  undelivered.type = RecordType::kUndelivered;
  undelivered.payment_id = "p1";
  undelivered.status = 502;
  undelivered.error = "Upstream API call failed";
  undelivered.service_payment_id = "13be2934";
  auto payments = CollectPayments({MakeSignedRecord(paid, "p1", kOutcomeTime), undelivered});
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].outcome, Outcome::kUndelivered);
  EXPECT_EQ(OutcomeName(payments[0].outcome), "undelivered");
  const HistoryTotals totals = Summarize(payments);
  EXPECT_EQ(totals.per_token.begin()->second.settled, U256(6000));
  const std::string text = RenderHistoryText(payments, totals);
  EXPECT_NE(text.find("  undelivered  "), std::string::npos) << text;
  EXPECT_NE(text.find("(HTTP 502: Upstream API call failed; paymentId 13be2934)"), std::string::npos) << text;
  const std::string json = RenderHistoryJson(payments, totals);
  EXPECT_NE(json.find(R"("outcome":"undelivered")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("service_payment_id":"13be2934")"), std::string::npos) << json;
}

TEST(History, ASponsoredPaymentWithoutReceiptSaysItsHashIsUnknown) {
  protocol::PaymentRecord sponsored = testing::TestPayment(5125);
  sponsored.tx_hash.clear();
  sponsored.mode = std::string(protocol::PayModeName(protocol::PayMode::kPullSponsored));
  JournalRecord settled;
  settled.type = RecordType::kSettled;
  settled.payment_id = "p1";
  settled.reference_source = "unknown";
  auto payments = CollectPayments({MakeSignedRecord(sponsored, "p1", kOutcomeTime), settled});
  const std::string text = RenderHistoryText(payments, Summarize(payments));
  EXPECT_NE(text.find("(on-chain hash unknown (sponsored payment, no receipt))"), std::string::npos) << text;
  // With a receipt, the receipt's hash is the payment's.
  settled.reference_source = "receipt";
  settled.reference = "0xfeed";
  payments = CollectPayments({MakeSignedRecord(sponsored, "p1", kOutcomeTime), settled});
  EXPECT_NE(RenderHistoryText(payments, Summarize(payments)).find("  tx 0xfeed\n"), std::string::npos);
}

}  // namespace
}  // namespace mpp::wallet
