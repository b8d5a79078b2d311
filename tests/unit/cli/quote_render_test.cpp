#include "cli/quote_render.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/flow_fakes.h"
#include "tempo/chains.h"

namespace mpp::cli {
namespace {

constexpr const char* kRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kPathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::int64_t kNow = 4'000'000'000;  // 2096-10-02, before the fakes' 2099 expiry

std::string Charge(const std::string& amount, const std::string& details = "") {
  return R"({"amount":")" + amount + R"(","currency":")" + kPathUsd + R"(","recipient":")" + kRecipient +
         R"(","methodDetails":{"chainId":42431)" + details + "}}";
}

protocol::PayPolicy TestnetPolicy(std::uint64_t cap) {
  protocol::PayPolicy policy;
  policy.chain_id = tempo::kTestnetChainId;
  policy.max_amount = U256(cap);
  for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens) {
    policy.known_currencies.push_back(tempo::TokenAddress(token));
  }
  return policy;
}

// A report judged exactly as `mpp quote` judges one: EvaluateChallenges, then ChooseChallenge.
QuoteReport Judged(const std::vector<std::string>& header_values, std::uint64_t cap = 100'000) {
  std::vector<std::string_view> views(header_values.begin(), header_values.end());
  protocol::ChallengeList parsed = protocol::ParseChallenges(views);
  QuoteReport report;
  report.http_method = "POST";
  report.url = "https://groq.example/groq/chat";
  report.status = 402;
  report.now = kNow;
  protocol::PayPolicy policy = TestnetPolicy(cap);
  report.verdicts = protocol::EvaluateChallenges(parsed.challenges, policy, kNow);
  report.rejected = parsed.rejected;
  if (const auto* chosen = protocol::ChooseChallenge(report.verdicts, policy)) {
    report.chosen = static_cast<std::size_t>(chosen - report.verdicts.data());
  }
  return report;
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

TEST(QuoteRender, FreeAnswerSaysFree) {
  QuoteReport report;
  report.http_method = "POST";
  report.url = "http://127.0.0.1:1/free";
  report.status = 200;
  EXPECT_TRUE(HasPrice(report));
  EXPECT_EQ(RenderQuoteText(report),
            "free: POST http://127.0.0.1:1/free answered 200 without asking for payment\n");
  auto doc = ParseJson(RenderQuoteJson(report));
  EXPECT_TRUE(doc["free"].GetBool());
  EXPECT_TRUE(doc["would_pay"].IsNull());
  EXPECT_EQ(doc["challenges"].Size(), 0u);
}

TEST(QuoteRender, TableShowsAmountInTokenAndBaseUnitsAndTheChoice) {
  auto report = Judged({testing::ChargeChallenge("ch1", Charge("1500"))});
  std::string text = RenderQuoteText(report);
  EXPECT_NE(text.find("POST https://groq.example/groq/chat: payment required, 1 challenge\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("challenge 1: mpp would pay this one"), std::string::npos) << text;
  EXPECT_NE(text.find("0.0015 pathUSD (1500 base units)"), std::string::npos) << text;
  EXPECT_NE(text.find("testnet (42431)"), std::string::npos) << text;
  EXPECT_NE(text.find(kRecipient), std::string::npos) << text;
  EXPECT_NE(text.find("2099-01-01T00:00:00Z (in "), std::string::npos) << text;
  EXPECT_NE(text.find("fee payer    the payer"), std::string::npos) << text;
  EXPECT_NE(text.find("pull, push (not stated: both)"), std::string::npos) << text;
  EXPECT_NE(text.find("verdict      allowed: pay 0.0015 pathUSD"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("mpp would pay challenge 1\n")) << text;
}

TEST(QuoteRender, OverTheCapIsShownAsRefusedWithTheReason) {
  auto report = Judged({testing::ChargeChallenge("ch1", Charge("500000"))}, 1000);
  EXPECT_TRUE(HasPrice(report));
  std::string text = RenderQuoteText(report);
  EXPECT_NE(text.find("challenge 1: not payable"), std::string::npos) << text;
  EXPECT_NE(text.find("refused: it costs 0.5 pathUSD, over the per-call cap of 0.001"), std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("mpp would pay none of them\n")) << text;
  auto doc = ParseJson(RenderQuoteJson(report));
  EXPECT_TRUE(doc["would_pay"].IsNull());
  EXPECT_FALSE(doc["challenges"][0]["payable"].GetBool());
  EXPECT_EQ(std::string(doc["challenges"][0]["amount_base_units"].GetString()), "500000");
}

TEST(QuoteRender, JsonCarriesEveryFieldOfTheChosenChallenge) {
  auto report = Judged({testing::ChargeChallenge("ch1", Charge("1000", R"(,"feePayer":true)")),
                        testing::ChargeChallenge("ch2", Charge("2000"))});
  auto doc = ParseJson(RenderQuoteJson(report));
  EXPECT_EQ(doc["status"].GetInt(), 402);
  EXPECT_FALSE(doc["free"].GetBool());
  EXPECT_EQ(doc["would_pay"].GetUint(), 0u);
  const auto& first = doc["challenges"][0];
  EXPECT_EQ(std::string(first["id"].GetString()), "ch1");
  EXPECT_EQ(std::string(first["amount"].GetString()), "0.001");
  EXPECT_EQ(std::string(first["amount_base_units"].GetString()), "1000");
  EXPECT_EQ(std::string(first["token"].GetString()), "pathUSD");
  EXPECT_EQ(std::string(first["chain"].GetString()), "testnet");
  EXPECT_EQ(first["chain_id"].GetUint64(), 42431u);
  EXPECT_EQ(std::string(first["recipient"].GetString()), kRecipient);
  EXPECT_EQ(std::string(first["expires"].GetString()), "2099-01-01T00:00:00Z");
  EXPECT_TRUE(first["fee_payer"].GetBool());
  EXPECT_EQ(first["modes"].Size(), 2u);
  EXPECT_TRUE(first["payable"].GetBool());
  EXPECT_TRUE(first["chosen"].GetBool());
  EXPECT_EQ(std::string(first["pay_mode"].GetString()), "pull, fee payer");
  EXPECT_FALSE(doc["challenges"][1]["chosen"].GetBool());
  EXPECT_TRUE(doc["challenges"][1]["payable"].GetBool());
}

TEST(QuoteRender, DailyBudgetRefusalOverridesTheChoice) {
  auto report = Judged({testing::ChargeChallenge("ch1", Charge("1000"))});
  report.budget_refusal = "over the daily budget";
  std::string text = RenderQuoteText(report);
  EXPECT_NE(text.find("mpp would choose this one, but the daily budget refuses it"), std::string::npos)
      << text;
  EXPECT_NE(text.find("verdict      refused: over the daily budget"), std::string::npos) << text;
  auto doc = ParseJson(RenderQuoteJson(report));
  EXPECT_TRUE(doc["would_pay"].IsNull());
  EXPECT_FALSE(doc["challenges"][0]["payable"].GetBool());
  EXPECT_EQ(std::string(doc["challenges"][0]["verdict"].GetString()), "over the daily budget");
}

TEST(QuoteRender, UnusableChallengesAreListedAndAloneGiveNoPrice) {
  auto report = Judged({"Bearer realm=\"x\""});
  EXPECT_FALSE(HasPrice(report));
  std::string text = RenderQuoteText(report);
  EXPECT_NE(text.find("0 challenges (and 1 unusable)"), std::string::npos) << text;
  EXPECT_NE(text.find("unusable challenge (Bearer): not a Payment challenge"), std::string::npos) << text;
  auto doc = ParseJson(RenderQuoteJson(report));
  EXPECT_EQ(doc["unusable"].Size(), 1u);
}

TEST(QuoteRender, ServerTextIsMadeSafeForTheTerminal) {
  // U+202E RIGHT-TO-LEFT OVERRIDE would reorder what the terminal shows after it.
  std::string header =
      testing::ChargeChallenge("ch1", Charge("1000")) + ", description=\"evil\xE2\x80\xAEtext\"";
  auto report = Judged({header});
  std::string text = RenderQuoteText(report);
  EXPECT_EQ(text.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_NE(text.find("description  evil?text"), std::string::npos) << text;
}

TEST(QuoteRender, RelativeTimeReadsNaturally) {
  EXPECT_EQ(RelativeTime(0), "now");
  EXPECT_EQ(RelativeTime(45), "in 45s");
  EXPECT_EQ(RelativeTime(299), "in 4m 59s");
  EXPECT_EQ(RelativeTime(7380), "in 2h 3m");
  EXPECT_EQ(RelativeTime(-90000), "expired 1d 1h ago");
}

TEST(QuoteRender, OfferTableAlignsColumnsAndMarksTheChatEndpoint) {
  llm::PaymentOffer chat{"POST", "/v1/chat/completions", "charge", "tempo", "1000", kPathUsd, "chat"};
  llm::PaymentOffer models{"GET", "/v1/models", "charge", "tempo", std::nullopt, kPathUsd, ""};
  std::string text =
      RenderOffersText("https://x.example/openapi.json", {chat, models}, "/v1/chat/completions");
  EXPECT_NE(text.find("prices from https://x.example/openapi.json"), std::string::npos) << text;
  EXPECT_NE(text.find("  METHOD  PATH                  INTENT  PAY WITH  AMOUNT   CURRENCY"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("* POST    /v1/chat/completions  charge  tempo     0.001    " + std::string(kPathUsd) +
                      "  chat\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  GET     /v1/models            charge  tempo     dynamic"), std::string::npos)
      << text;
  auto doc =
      ParseJson(RenderOffersJson("https://x.example/openapi.json", {chat, models}, "/v1/chat/completions"));
  EXPECT_EQ(doc["offers"].Size(), 2u);
  EXPECT_TRUE(doc["offers"][0]["chat"].GetBool());
  EXPECT_EQ(std::string(doc["offers"][0]["amount"].GetString()), "1000");
  EXPECT_EQ(std::string(doc["offers"][0]["amount_text"].GetString()), "0.001");
  EXPECT_TRUE(doc["offers"][1]["amount"].IsNull());
}

TEST(QuoteRender, EveryOfferSaysWhyItWasOrWasNotChosenAndTheBodyItPrices) {
  QuoteReport report = Judged({testing::ChargeChallenge("first", Charge("1000")) + ", " +
                               testing::ChargeChallenge("second", Charge("2000")) + ", " +
                               testing::ChargeChallenge("dear", Charge("999999"))});
  protocol::PayPolicy policy = TestnetPolicy(100'000);
  report.choices = protocol::ExplainChoices(report.verdicts, &report.verdicts[0], policy);
  report.body_bytes = 42;
  report.body_model = "openai/gpt-oss-20b";
  const std::string text = RenderQuoteText(report);
  EXPECT_NE(text.find("priced for this request body (42 bytes, model openai/gpt-oss-20b)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("choice       not chosen: payable"), std::string::npos) << text;
  auto doc = ParseJson(RenderQuoteJson(report));
  EXPECT_EQ(doc["body_bytes"].GetUint64(), 42u);
  EXPECT_EQ(std::string(doc["body_model"].GetString()), "openai/gpt-oss-20b");
  ASSERT_EQ(doc["challenges"].Size(), 3u);
  EXPECT_EQ(std::string(doc["challenges"][0]["reason"].GetString()).rfind("chosen: pay 0.001", 0), 0u);
  EXPECT_NE(std::string(doc["challenges"][1]["reason"].GetString()).find("challenge 1 comes first"),
            std::string::npos);
  EXPECT_NE(std::string(doc["challenges"][2]["reason"].GetString()).find("over the per-call cap"),
            std::string::npos);
}

TEST(QuoteRender, ASessionOfferShowsItsUnitPriceEscrowAndTheDepositItWouldLock) {
  const std::string session = R"({"amount":"25","unitType":"token","currency":")" + std::string(kPathUsd) +
                              R"(","recipient":")" + kRecipient +
                              R"(","suggestedDeposit":"40000",)"
                              R"("methodDetails":{"chainId":42431,"minVoucherDelta":"100",)"
                              R"("escrowContract":"0x4d50500000000000000000000000000000000000",)"
                              R"("sessionProtocol":"v2"}})";
  std::string header = testing::ChargeChallenge("s1", session);
  header.replace(header.find("intent=\"charge\""), 15, "intent=\"session\"");
  auto report = Judged({header});
  ASSERT_EQ(report.verdicts.size(), 1u);
  ASSERT_TRUE(report.verdicts[0].acceptable) << report.verdicts[0].reason;
  std::string text = RenderQuoteText(report);
  EXPECT_NE(text.find("price        0.000025 pathUSD per token (25 base units)"), std::string::npos) << text;
  EXPECT_NE(text.find("escrow       0x4d50500000000000000000000000000000000000 (TIP-1034 v2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("suggested    0.04 pathUSD deposit"), std::string::npos) << text;
  EXPECT_NE(text.find("deposit      would lock 0.04 pathUSD in a new channel"), std::string::npos) << text;
  EXPECT_NE(text.find("min voucher  0.0001 pathUSD"), std::string::npos) << text;
  auto doc = ParseJson(RenderQuoteJson(report));
  const auto& c = doc["challenges"][0];
  EXPECT_STREQ(c["intent"].GetString(), "session");
  EXPECT_STREQ(c["amount_base_units"].GetString(), "25");
  EXPECT_STREQ(c["unit_type"].GetString(), "token");
  EXPECT_STREQ(c["session_protocol"].GetString(), "v2");
  EXPECT_STREQ(c["suggested_deposit_base_units"].GetString(), "40000");
  EXPECT_STREQ(c["deposit_base_units"].GetString(), "40000");  // under --max-deposit's default 1.00
  EXPECT_STREQ(c["min_voucher_delta_base_units"].GetString(), "100");
  EXPECT_TRUE(c["chosen"].GetBool());
}

}  // namespace
}  // namespace mpp::cli
