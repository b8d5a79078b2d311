#include "wallet/journal_record.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/wallet_test_support.h"

namespace mpp::wallet {
namespace {

JournalRecord OutcomeRecord(RecordType type) {
  JournalRecord record;
  record.type = type;
  record.payment_id = "p-1";
  record.time = 1763776260;
  record.pid = 42;
  record.reference = type == RecordType::kSettled ? "0xabc" : "";
  record.problem = type == RecordType::kRefused ? "HTTP 402: verification-failed" : "";
  record.reason = type == RecordType::kUnknown ? "connection lost" : "";
  return record;
}

TEST(MakeSignedRecord, CopiesThePaymentAndStampsTimeAndPid) {
  const JournalRecord record =
      MakeSignedRecord(testing::TestPayment(5000, 42431, "challenge-1"), "p-1", 1763776260);
  EXPECT_EQ(record.type, RecordType::kSigned);
  EXPECT_EQ(record.payment_id, "p-1");
  EXPECT_EQ(record.time, 1763776260);
  EXPECT_EQ(record.pid, ::getpid());
  EXPECT_EQ(record.amount, U256(5000));
  EXPECT_EQ(record.currency, "0x20C0000000000000000000000000000000000000");
  EXPECT_EQ(record.recipient, "0x1111111111111111111111111111111111111111");
  EXPECT_EQ(record.chain_id, 42431u);
  EXPECT_EQ(record.mode, "pull");
  EXPECT_EQ(record.realm, "llm.example.com");
  EXPECT_EQ(record.challenge_id, "challenge-1");
}

TEST(EncodeJournalLine, WritesTheSignedFieldsAsOneLine) {
  const JournalRecord record = MakeSignedRecord(testing::TestPayment(5000), "p-1", 1763776260);
  const std::string line = EncodeJournalLine(record);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  for (const char* field :
       {"\"type\":\"signed\"", "\"id\":\"p-1\"", "\"time\":\"2025-11-22T01:51:00Z\"", "\"amount\":\"5000\"",
        "\"chain_id\":42431", "\"mode\":\"pull\"", "\"tx_hash\":\"0xaaaa",
        "\"url\":\"https://llm.example.com/v1/chat/completions\"", "\"pid\":"}) {
    EXPECT_NE(line.find(field), std::string::npos) << field;
  }
}

TEST(ParseJournalLine, RoundTripsEveryRecordType) {
  JournalRecord signed_record = MakeSignedRecord(testing::TestPayment(5000), "p-1", 1763776260);
  signed_record.amount = U256::Max();  // amounts are full 256-bit decimals
  std::string line = EncodeJournalLine(signed_record);
  line.pop_back();
  EXPECT_EQ(ParseJournalLine(line), signed_record);
  for (RecordType type : {RecordType::kSettled, RecordType::kRefused, RecordType::kUnknown}) {
    std::string outcome_line = EncodeJournalLine(OutcomeRecord(type));
    outcome_line.pop_back();
    EXPECT_EQ(ParseJournalLine(outcome_line), OutcomeRecord(type)) << RecordTypeName(type);
  }
}

TEST(EncodeJournalLine, EscapesNewlinesAndControlCharactersFromServers) {
  JournalRecord record = OutcomeRecord(RecordType::kRefused);
  record.problem = "line one\nline two\r\x1b[31m";
  const std::string line = EncodeJournalLine(record);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_EQ(ParseJournalLine(line.substr(0, line.size() - 1))->problem, record.problem);
}

TEST(ParseJournalLine, RefusesMalformedOrIncompleteRecords) {
  for (const char* bad : {
           "",
           "{",
           "[]",
           "{\"type\":\"signed\"}",
           "{\"v\":1,\"type\":\"void\",\"id\":\"p\",\"time\":\"2025-11-22T01:51:00Z\",\"pid\":1}",
           "{\"v\":1,\"type\":\"settled\",\"id\":\"p\",\"time\":\"yesterday\",\"pid\":1,\"reference\":\"\"}",
           "{\"v\":1,\"type\":\"settled\",\"id\":\"\",\"time\":\"2025-11-22T01:51:00Z\",\"pid\":1,"
           "\"reference\":\"\"}",
           "{\"v\":1,\"type\":\"settled\",\"id\":\"p\",\"time\":\"2025-11-22T01:51:00Z\",\"pid\":1}",
           "{\"v\":1,\"type\":\"signed\",\"id\":\"p\",\"time\":\"2025-11-22T01:51:00Z\",\"pid\":1,\"url\":"
           "\"u\","
           "\"realm\":\"r\",\"challenge_id\":\"c\",\"amount\":\"-5\",\"currency\":\"c\",\"recipient\":\"r\","
           "\"chain_id\":1,\"tx_hash\":\"\",\"mode\":\"pull\"}",
           "{\"v\":1,\"type\":\"signed\",\"id\":\"p\",\"time\":\"2025-11-22T01:51:00Z\",\"pid\":1,\"url\":"
           "\"u\"",
       }) {
    EXPECT_FALSE(ParseJournalLine(bad).has_value()) << bad;
  }
}

TEST(ParseJournalLine, IgnoresFieldsItDoesNotKnow) {
  auto record = ParseJournalLine(
      "{\"v\":2,\"type\":\"unknown\",\"id\":\"p\",\"time\":\"2025-11-22T01:51:00Z\",\"pid\":7,\"reason\":"
      "\"r\","
      "\"later\":true}");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->reason, "r");
  EXPECT_EQ(record->pid, 7);
}

TEST(ParseJournalLine, RoundTripsTheLatestStampAndASettledNote) {
  JournalRecord signed_record = MakeSignedRecord(testing::TestPayment(5000), "p-1", 1763776260);
  signed_record.latest = 1763779860;
  std::string line = EncodeJournalLine(signed_record);
  EXPECT_NE(line.find(R"("latest":"2025-11-22T02:51:00Z")"), std::string::npos) << line;
  EXPECT_EQ(ParseJournalLine(line.substr(0, line.size() - 1)), signed_record);

  JournalRecord settled = OutcomeRecord(RecordType::kSettled);
  settled.note = "receipt not trusted: its status is 'failed', not 'success'";
  line = EncodeJournalLine(settled);
  EXPECT_EQ(ParseJournalLine(line.substr(0, line.size() - 1)), settled);
  EXPECT_EQ(EncodeJournalLine(OutcomeRecord(RecordType::kSettled)).find("note"), std::string::npos);
}

TEST(ParseJournalLine, RoundTripsAnUndeliveredNote) {
  JournalRecord undelivered = OutcomeRecord(RecordType::kUndelivered);
  undelivered.status = 502;
  undelivered.error = "bad gateway";
  undelivered.reference = "0xsigned";
  undelivered.note = "receipt not trusted: its status is 'failed', not 'success'";
  std::string line = EncodeJournalLine(undelivered);
  EXPECT_EQ(ParseJournalLine(line.substr(0, line.size() - 1)), undelivered) << line;
  undelivered.note.clear();
  EXPECT_EQ(EncodeJournalLine(undelivered).find("note"), std::string::npos);
}

TEST(ParseJournalLine, RefusesALatestThatIsNotATime) {
  std::string line = EncodeJournalLine(MakeSignedRecord(testing::TestPayment(5000), "p-1", 1763776260));
  line.insert(line.size() - 2, R"(,"latest":"yesterday")");
  EXPECT_FALSE(ParseJournalLine(line.substr(0, line.size() - 1)));
}

}  // namespace
}  // namespace mpp::wallet
