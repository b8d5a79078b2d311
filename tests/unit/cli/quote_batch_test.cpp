#include "cli/quote_batch.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

namespace mpp::cli {
namespace {

BatchQuoteLine PricedLine(std::size_t index, std::uint64_t amount, std::uint64_t fee,
                          std::string currency = "0x20C0000000000000000000000000000000000000") {
  BatchQuoteLine line;
  line.index = index;
  line.line_number = index + 1;
  line.amount = U256(amount);
  line.fee_max = U256(fee);
  line.currency = std::move(currency);
  return line;
}

BatchQuoteLine FailedLine(std::size_t index) {
  BatchQuoteLine line;
  line.index = index;
  line.line_number = index + 1;
  line.error = MakeError(ErrorKind::kNetwork, "HTTP 500 from the server");
  return line;
}

TEST(SummarizeBatchQuote, AddsPricesAndWorstCasesAndLeavesFailedLinesOut) {
  std::vector<BatchQuoteLine> lines = {PricedLine(0, 10'000, 3'200), PricedLine(1, 20'000, 3'200),
                                       FailedLine(2), PricedLine(3, 10'000, 0)};
  BatchQuoteSummary summary = SummarizeBatchQuote(lines);
  EXPECT_EQ(summary.lines, 4u);
  EXPECT_EQ(summary.quoted, 3u);
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(summary.total, U256(40'000));
  EXPECT_EQ(summary.worst_case, U256(46'400));
  EXPECT_FALSE(summary.mixed_currencies);
}

TEST(SummarizeBatchQuote, FreeLinesCountAsZeroAndOtherTokensAreFlagged) {
  BatchQuoteLine free_line;
  free_line.free = true;
  std::vector<BatchQuoteLine> lines = {free_line, PricedLine(1, 5, 1),
                                       PricedLine(2, 5, 1, "0x20C0000000000000000000000000000000000001")};
  BatchQuoteSummary summary = SummarizeBatchQuote(lines);
  EXPECT_EQ(summary.quoted, 3u);
  EXPECT_EQ(summary.total, U256(10));
  EXPECT_TRUE(summary.mixed_currencies);
}

TEST(RenderBatchQuoteText, ShowsEachLineTheTotalsAndTheFailures) {
  std::vector<BatchQuoteLine> lines = {PricedLine(0, 10'000, 3'200), FailedLine(1)};
  BatchQuoteSummary summary = SummarizeBatchQuote(lines);
  summary.probes = 2;
  summary.daily_limit = "0.01";
  summary.budget_refusal = "the daily budget 0.01 is exceeded";
  std::string text = RenderBatchQuoteText(lines, summary);
  EXPECT_NE(text.find("1     0.01          0.0032        0.0132"), std::string::npos) << text;
  EXPECT_NE(text.find("2     error: HTTP 500 from the server"), std::string::npos) << text;
  EXPECT_NE(text.find("total: 0.01 for 1 line(s) (2 distinct request(s) probed)"), std::string::npos) << text;
  EXPECT_NE(text.find("worst case with fees: 0.0132"), std::string::npos) << text;
  EXPECT_NE(text.find("daily budget: does not fit: the daily budget 0.01 is exceeded"), std::string::npos)
      << text;
  EXPECT_NE(text.find("failed: 1 of 2 line(s) could not be quoted (not counted)"), std::string::npos) << text;
}

TEST(RenderBatchQuoteJson, CarriesLinesTotalsAndTheBudgetVerdict) {
  std::vector<BatchQuoteLine> lines = {PricedLine(0, 10'000, 3'200), FailedLine(1)};
  BatchQuoteSummary summary = SummarizeBatchQuote(lines);
  summary.probes = 2;
  std::string text = RenderBatchQuoteJson(lines, summary);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << text;
  ASSERT_EQ(doc["lines"].Size(), 2u);
  EXPECT_STREQ(doc["lines"][0]["price"].GetString(), "0.01");
  EXPECT_STREQ(doc["lines"][0]["worst_case_base_units"].GetString(), "13200");
  EXPECT_STREQ(doc["lines"][1]["error"].GetString(), "HTTP 500 from the server");
  EXPECT_EQ(doc["lines"][1]["exit_code"].GetInt(), 3);
  EXPECT_STREQ(doc["total"].GetString(), "0.01");
  EXPECT_STREQ(doc["worst_case"].GetString(), "0.0132");
  EXPECT_EQ(doc["quoted"].GetUint(), 1u);
  EXPECT_EQ(doc["failed"].GetUint(), 1u);
  EXPECT_TRUE(doc["fits_daily_budget"].IsNull());
}

}  // namespace
}  // namespace mpp::cli
