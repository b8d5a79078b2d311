#include "cli/quote_compare_rows.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/flow_fakes.h"
#include "tempo/chains.h"

namespace mpp::cli {
namespace {

constexpr const char* kCompareRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kComparePathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::int64_t kCompareNow = 4'000'000'000;

std::string CompareCharge(const std::string& amount, const std::string& details = "") {
  return R"({"amount":")" + amount + R"(","currency":")" + kComparePathUsd + R"(","recipient":")" +
         kCompareRecipient + R"(","methodDetails":{"chainId":42431)" + details + "}}";
}

// A report judged as `mpp quote` judges one, with an optional fee quote for the chosen challenge.
QuoteReport CompareReport(const std::string& amount, std::uint64_t cap, std::optional<std::uint64_t> fee,
                          const std::string& details = "") {
  std::vector<std::string> headers{testing::ChargeChallenge("ch1", CompareCharge(amount, details))};
  std::vector<std::string_view> views(headers.begin(), headers.end());
  protocol::ChallengeList parsed = protocol::ParseChallenges(views);
  protocol::PayPolicy policy;
  policy.chain_id = tempo::kTestnetChainId;
  policy.max_amount = U256(cap);
  for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens)
    policy.known_currencies.push_back(tempo::TokenAddress(token));
  QuoteReport report;
  report.http_method = "POST";
  report.url = "http://127.0.0.1:1/chat";
  report.status = 402;
  report.now = kCompareNow;
  report.verdicts = protocol::EvaluateChallenges(parsed.challenges, policy, kCompareNow);
  if (const auto* chosen = protocol::ChooseChallenge(report.verdicts, policy)) {
    report.chosen = static_cast<std::size_t>(chosen - report.verdicts.data());
    if (fee) {
      protocol::FeeQuote quote;
      quote.self_paid = details.find("feePayer") == std::string::npos;
      quote.max_fee = quote.self_paid ? U256(*fee) : U256();
      report.fee = quote;
    }
  }
  return report;
}

std::vector<std::string> Names(const std::vector<CompareRow>& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.service);
  return names;
}

TEST(CompareRows, RowFromReportTakesTheChosenPriceAndFee) {
  CompareRow row = RowFromReport("groq", "m", CompareReport("1500", 100'000, 300), "");
  ASSERT_TRUE(row.price);
  EXPECT_EQ(*row.price, U256(1500));
  ASSERT_TRUE(row.fee);
  EXPECT_EQ(*row.fee, U256(300));
  EXPECT_EQ(*RowTotal(row), U256(1800));
  EXPECT_EQ(row.intent, "charge");
  EXPECT_FALSE(row.sponsored);
  EXPECT_TRUE(row.fits);
  EXPECT_TRUE(row.error.empty());
}

TEST(CompareRows, SponsoredRowHasNoFee) {
  CompareRow row = RowFromReport("openai", "", CompareReport("1000", 100'000, 0, R"(,"feePayer":true)"), "");
  EXPECT_TRUE(row.sponsored);
  EXPECT_EQ(*RowTotal(row), U256(1000));
}

TEST(CompareRows, OverTheCapKeepsThePriceButDoesNotFit) {
  CompareRow row =
      RowFromReport("groq", "", CompareReport("500000", 1000, std::nullopt), "over --max-amount");
  ASSERT_TRUE(row.price);
  EXPECT_EQ(*row.price, U256(500000));
  EXPECT_FALSE(row.fits);
  EXPECT_NE(row.why_not.find("over the per-call cap of 0.001"), std::string::npos) << row.why_not;
  EXPECT_FALSE(row.fee);
}

TEST(CompareRows, BudgetRefusalMakesTheChosenOneNotFit) {
  QuoteReport report = CompareReport("1500", 100'000, 10);
  report.budget_refusal = "the daily budget would be exceeded";
  CompareRow row = RowFromReport("grok", "", report, "");
  EXPECT_FALSE(row.fits);
  EXPECT_EQ(row.why_not, "the daily budget would be exceeded");
}

TEST(CompareRows, NoChallengeIsAnErrorRow) {
  QuoteReport report;
  report.status = 402;
  CompareRow row = RowFromReport("x", "", report, "");
  EXPECT_FALSE(row.price);
  EXPECT_FALSE(row.error.empty());
}

TEST(CompareRows, SortsByTotalWithErrorsLastAndTiesInGivenOrder) {
  std::vector<CompareRow> rows;
  rows.push_back(ErrorRow("down", "", "http://127.0.0.1:1", "connection refused"));
  rows.push_back(RowFromReport("groq", "", CompareReport("1000", 100'000, 900), ""));  // 1900
  rows.push_back(RowFromReport("openai", "", CompareReport("1500", 100'000, 0, R"(,"feePayer":true)"), ""));
  rows.push_back(
      RowFromReport("openrouter", "", CompareReport("1500", 100'000, 0, R"(,"feePayer":true)"), ""));
  rows.push_back(RowFromReport("grok", "", CompareReport("1200", 100'000, 100), ""));  // 1300
  SortRows(rows);
  EXPECT_EQ(Names(rows), (std::vector<std::string>{"grok", "openai", "openrouter", "groq", "down"}));
}

TEST(CompareRows, CheapestFittingSkipsWhatDoesNotFit) {
  std::vector<CompareRow> rows;
  rows.push_back(RowFromReport("cheap", "", CompareReport("500000", 1000, std::nullopt), "over the cap"));
  rows.push_back(RowFromReport("dear", "", CompareReport("900", 1000, 50), ""));
  rows.push_back(ErrorRow("down", "", "u", "refused"));
  SortRows(rows);
  const CompareRow* cheapest = CheapestFitting(rows);
  ASSERT_NE(cheapest, nullptr);
  EXPECT_EQ(cheapest->service, "dear");
  std::vector<CompareRow> none{ErrorRow("down", "", "u", "refused")};
  EXPECT_EQ(CheapestFitting(none), nullptr);
}

TEST(CompareRows, TextAlignsRowsAndExplainsTheOnesThatDoNotFit) {
  std::vector<CompareRow> rows{RowFromReport("grok", "grok-4.6", CompareReport("2360", 100'000, 40), ""),
                               ErrorRow("openai", "gpt-4o-mini", "u", "connection refused\x1b[31m")};
  std::string text = RenderCompareText(rows);
  EXPECT_EQ(text,
            "SERVICE  MODEL        PRICE    FEE            TOTAL   INTENT  TOKEN    FITS\n"
            "grok     grok-4.6     0.00236  up to 0.00004  0.0024  charge  pathUSD  yes\n"
            "openai   gpt-4o-mini  -        -              -       -       -        error\n"
            "openai gpt-4o-mini: connection refused?[31m\n")
      << text;
}

TEST(CompareRows, JsonHasOneObjectPerRowWithNullsForTheUnknown) {
  std::vector<CompareRow> rows{RowFromReport("grok", "", CompareReport("2360", 100'000, 40), ""),
                               ErrorRow("openai", "gpt-4o-mini", "u", "connection refused")};
  std::string text = RenderCompareJson(rows);
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  ASSERT_FALSE(doc.HasParseError()) << text;
  const auto& first = doc["rows"][0];
  EXPECT_STREQ(first["service"].GetString(), "grok");
  EXPECT_TRUE(first["model"].IsNull());
  EXPECT_STREQ(first["price_base_units"].GetString(), "2360");
  EXPECT_STREQ(first["fee_base_units"].GetString(), "40");
  EXPECT_STREQ(first["total_base_units"].GetString(), "2400");
  EXPECT_STREQ(first["token"].GetString(), "pathUSD");
  EXPECT_TRUE(first["fits"].GetBool());
  const auto& second = doc["rows"][1];
  EXPECT_TRUE(second["price"].IsNull());
  EXPECT_TRUE(second["total"].IsNull());
  EXPECT_FALSE(second["fits"].GetBool());
  EXPECT_STREQ(second["error"].GetString(), "connection refused");
}

}  // namespace
}  // namespace mpp::cli
