#include "wallet/spend.h"

#include <gtest/gtest.h>

#include "support/wallet_test_support.h"
#include "wallet/spend_render.h"

namespace mpp::wallet {
namespace {

constexpr std::int64_t kSpendDay1 = 1763769600;  // 2025-11-22T00:00:00Z
constexpr std::int64_t kSpendDay2 = kSpendDay1 + 86400;

JournalRecord TaggedSigned(const std::string& id, std::uint64_t amount, std::uint64_t fee, std::int64_t time,
                           const std::string& model, const std::string& conversation = "",
                           const std::string& template_name = "") {
  protocol::PaymentRecord payment = testing::TestPayment(amount);
  payment.fee = U256(fee);
  JournalRecord record = MakeSignedRecord(payment, id, time);
  record.model = model;
  record.conversation = conversation;
  record.template_name = template_name;
  return record;
}

JournalRecord SpendOutcome(const std::string& id, RecordType type) {
  JournalRecord record;
  record.type = type;
  record.payment_id = id;
  record.reference = "0xref";
  record.status = 502;
  record.error = "upstream failed";
  return record;
}

JournalRecord SpendUsage(const std::string& id, std::int64_t total) {
  return MakeUsageRecord({total / 2, total - total / 2, total}, id, 0);
}

std::vector<Payment> SpendSample() {
  return CollectPayments({
      TaggedSigned("a", 1000, 2100, kSpendDay1 + 10, "gpt", "conv-1", "review"),
      SpendOutcome("a", RecordType::kSettled),
      SpendUsage("a", 500),
      TaggedSigned("b", 3000, 2100, kSpendDay2 + 10, "gpt", "conv-1"),
      SpendOutcome("b", RecordType::kSettled),
      TaggedSigned("c", 7000, 0, kSpendDay2 + 20, ""),  // an old record: no tags, no usage
      SpendOutcome("c", RecordType::kSettled),
      TaggedSigned("d", 5000, 2100, kSpendDay2 + 30, "gpt"),
      SpendOutcome("d", RecordType::kUndelivered),
      TaggedSigned("e", 9000, 2100, kSpendDay2 + 40, "gpt"),
      SpendOutcome("e", RecordType::kRefused),
  });
}

const SpendRow& OnlyRow(const SpendRowsByToken& rows) {
  EXPECT_EQ(rows.size(), 1u);
  return rows.begin()->second;
}

TEST(SummarizeSpend, TotalsOnlySettledPaymentsChargeAndFeesApart) {
  const SpendReport report = SummarizeSpend(SpendSample());
  const SpendRow& total = OnlyRow(report.total);
  EXPECT_EQ(total.calls, 3u);
  EXPECT_EQ(total.charged, U256(11000));
  EXPECT_EQ(total.fees, U256(4200));
  EXPECT_EQ(SpendTotal(total), U256(15200));
  EXPECT_EQ(report.not_counted, 1u);  // the refused one
}

TEST(SummarizeSpend, ListsUndeliveredPaymentsApart) {
  const SpendReport report = SummarizeSpend(SpendSample());
  ASSERT_EQ(report.undelivered.size(), 1u);
  EXPECT_EQ(report.undelivered[0].signed_record.payment_id, "d");
  EXPECT_EQ(OnlyRow(report.undelivered_total).charged, U256(5000));
  EXPECT_EQ(OnlyRow(report.undelivered_total).fees, U256(2100));
}

TEST(SummarizeSpend, GroupsByEveryKeyWithUntaggedRecordsUnderUnknown) {
  const SpendReport report = SummarizeSpend(SpendSample());
  const auto& by_day = report.groups[static_cast<std::size_t>(SpendGroup::kDay)];
  ASSERT_EQ(by_day.size(), 2u);
  EXPECT_EQ(OnlyRow(by_day.at("2025-11-22")).calls, 1u);
  EXPECT_EQ(OnlyRow(by_day.at("2025-11-23")).charged, U256(10000));
  const auto& by_model = report.groups[static_cast<std::size_t>(SpendGroup::kModel)];
  EXPECT_EQ(OnlyRow(by_model.at("gpt")).calls, 2u);
  EXPECT_EQ(OnlyRow(by_model.at("(unknown)")).charged, U256(7000));
  const auto& by_conversation = report.groups[static_cast<std::size_t>(SpendGroup::kConversation)];
  EXPECT_EQ(OnlyRow(by_conversation.at("conv-1")).charged, U256(4000));
  const auto& by_template = report.groups[static_cast<std::size_t>(SpendGroup::kTemplate)];
  EXPECT_EQ(OnlyRow(by_template.at("review")).calls, 1u);
  EXPECT_EQ(OnlyRow(by_template.at("(unknown)")).calls, 2u);
  const auto& by_service = report.groups[static_cast<std::size_t>(SpendGroup::kService)];
  EXPECT_EQ(OnlyRow(by_service.at("llm.example.com")).calls, 3u);
}

TEST(SummarizeSpend, LeavesOutPaymentsSignedAtOrAfterUntil) {
  const SpendReport report = SummarizeSpend(SpendSample(), kSpendDay2 + 20);
  EXPECT_EQ(OnlyRow(report.total).calls, 2u);
  EXPECT_TRUE(report.undelivered.empty());
}

TEST(SpendAverages, PerCallIsTheTotalOverCallsRoundedDown) {
  const SpendReport report = SummarizeSpend(SpendSample());
  const SpendRow& total = OnlyRow(report.total);
  EXPECT_EQ(AveragePerCall(total), U256(5066));  // 15200 / 3
  EXPECT_EQ(AveragePerCall(SpendRow{}), std::nullopt);
}

TEST(SpendAverages, Per1kTokensCountsOnlyCallsThatReportedUsage) {
  const SpendReport report = SummarizeSpend(SpendSample());
  const SpendRow& total = OnlyRow(report.total);
  EXPECT_EQ(total.calls_with_usage, 1u);
  EXPECT_EQ(total.tokens, 500);
  EXPECT_EQ(total.cost_with_usage, U256(3100));
  EXPECT_EQ(CostPer1kTokens(total), U256(6200));  // 3100 for 500 tokens
  const auto& by_model = report.groups[static_cast<std::size_t>(SpendGroup::kModel)];
  EXPECT_EQ(CostPer1kTokens(OnlyRow(by_model.at("(unknown)"))), std::nullopt);
}

TEST(ParseSpendTime, TakesDurationsBackFromNow) {
  constexpr std::int64_t now = kSpendDay2 + 1000;
  EXPECT_EQ(ParseSpendTime("1d", now, false), now - 86400);
  EXPECT_EQ(ParseSpendTime("12h", now, false), now - 12 * 3600);
  EXPECT_EQ(ParseSpendTime("30m", now, false), now - 1800);
  EXPECT_EQ(ParseSpendTime("2w", now, false), now - 14 * 86400);
  EXPECT_EQ(ParseSpendTime("45s", now, false), now - 45);
}

TEST(ParseSpendTime, TakesDatesAndAnUntilDateIncludesItsDay) {
  EXPECT_EQ(ParseSpendTime("2025-11-22", 0, false), kSpendDay1);
  EXPECT_EQ(ParseSpendTime("2025-11-22", 0, true), kSpendDay2);
}

TEST(ParseSpendTime, RefusesWhatItDoesNotUnderstand) {
  for (const char* bad :
       {"", "d", "1", "0d", "-1d", "+1d", "1.5h", "1y", "1 d", "1dd", "2025-13-01", "yesterday"}) {
    EXPECT_EQ(ParseSpendTime(bad, kSpendDay2, false), std::nullopt) << bad;
  }
}

TEST(CsvField, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(CsvField, DefusesSpreadsheetFormulasAndControls) {
  EXPECT_EQ(CsvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  EXPECT_EQ(CsvField("@sum"), "'@sum");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("a\x1b[31mb"), "a?[31mb");
}

TEST(RenderSpendCsv, OneHeaderThenOneRowPerGroupKeyAndToken) {
  const std::string csv = RenderSpendCsv(SummarizeSpend(SpendSample()));
  EXPECT_TRUE(csv.starts_with(
      "group,key,token,chain_id,currency,calls,charged,fees,total,avg_per_call,per_1k_tokens,tokens\r\n"));
  EXPECT_NE(csv.find("\r\ntotal,all,"), std::string::npos);
  EXPECT_NE(csv.find(",3,0.011,0.0042,0.0152,0.005066,0.0062,500\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\nmodel,(unknown),"), std::string::npos);
  EXPECT_NE(csv.find(",1,0.007,0,0.007,0.007,,0\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\nundelivered,all,"), std::string::npos);
  // header + total + 2 days + 1 service + 2 models + 2 conversations + 2 templates + undelivered
  std::size_t rows = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++rows;
  EXPECT_EQ(rows, 12u);
}

TEST(RenderSpendJson, NamesThePeriodAndEverySection) {
  const std::string json = RenderSpendJson(SummarizeSpend(SpendSample()), {kSpendDay1, std::nullopt});
  EXPECT_TRUE(json.starts_with("{\"since\":\"2025-11-22T00:00:00Z\",\"until\":null,\"total\":[{"));
  for (const char* key :
       {"\"by_day\"", "\"by_service\"", "\"by_model\"", "\"by_conversation\"", "\"by_template\"",
        "\"undelivered\"", "\"per_1k_tokens\":null", "\"per_1k_tokens\":\"6200\"", "\"not_counted\":1"}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
  EXPECT_TRUE(json.ends_with("}\n"));
}

TEST(RenderSpendText, SaysSoWhenNothingSettled) {
  EXPECT_NE(RenderSpendText(SummarizeSpend({}), {}).find("no settled payments\n"), std::string::npos);
}

TEST(RenderSpendText, ShowsSectionsAndUndeliveredApart) {
  const std::string text = RenderSpendText(SummarizeSpend(SpendSample()), {});
  for (const char* part :
       {"Total:\n", "By day (UTC):\n", "By service:\n", "By model:\n", "By conversation:\n", "By template:\n",
        "Undelivered (paid", "HTTP 502: upstream failed", "1 payment was not counted"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
}

TEST(JournalRecord, KeepsPaymentTagsAndUsageThroughALine) {
  const JournalRecord signed_record = TaggedSigned("a", 1, 0, kSpendDay1, "gpt-4o", "c-1", "review");
  EXPECT_EQ(ParseJournalLine(EncodeJournalLine(signed_record)), signed_record);
  JournalRecord usage = SpendUsage("a", 41);
  usage.time = kSpendDay1;
  const auto parsed = ParseJournalLine(EncodeJournalLine(usage));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, RecordType::kUsage);
  EXPECT_EQ(parsed->total_tokens, 41);
  EXPECT_EQ(parsed->prompt_tokens, 20);
}

}  // namespace
}  // namespace mpp::wallet
