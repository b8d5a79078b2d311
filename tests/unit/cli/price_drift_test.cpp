#include "cli/price_drift.h"

#include <gtest/gtest.h>

#include "cli/published_price.h"
#include "tempo/chains.h"

namespace mpp::cli {
namespace {

const crypto::Address kDriftPathUsd = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
const char* const kDriftPathUsdText = "0x20c0000000000000000000000000000000000000";

protocol::ChallengeVerdict DriftCharge(std::uint64_t amount) {
  protocol::ChallengeVerdict v;
  v.acceptable = true;
  v.amount = U256(amount);
  v.currency = kDriftPathUsd;
  protocol::ChargeTerms terms;
  terms.request.amount = U256(amount);
  terms.request.currency = kDriftPathUsd;
  terms.request.chain_id = tempo::kTestnetChainId;
  v.charge = terms;
  return v;
}

PublishedPrice Published(std::optional<std::uint64_t> amount, std::string intent = "charge",
                         std::string currency = kDriftPathUsdText) {
  PublishedPrice price;
  if (amount) price.amount = U256(*amount);
  price.currency = std::move(currency);
  price.intent = std::move(intent);
  price.source = "http://127.0.0.1/openapi.json";
  return price;
}

TEST(MaxDrift, ReadsPercentWithOrWithoutSignAndOff) {
  EXPECT_EQ(ParseMaxDrift("20%"), std::optional<std::uint32_t>(20));
  EXPECT_EQ(ParseMaxDrift("20"), std::optional<std::uint32_t>(20));
  EXPECT_EQ(ParseMaxDrift("0"), std::optional<std::uint32_t>(0));
  EXPECT_EQ(ParseMaxDrift("10000%"), std::optional<std::uint32_t>(10000));
  EXPECT_EQ(ParseMaxDrift("OFF"), std::optional<std::uint32_t>(kMaxDriftOff));
  for (const char* bad : {"", "%", "-5", "20%%", "12.5", "10001", "99999999999999999999", " 20", "20 %"})
    EXPECT_FALSE(ParseMaxDrift(bad)) << bad;
}

TEST(MaxDrift, ExactlyTheAllowedDriftIsWithinOneMoreIsNot) {
  EXPECT_TRUE(WithinDrift(U256(1200), U256(1000), 20));
  EXPECT_FALSE(WithinDrift(U256(1201), U256(1000), 20));
  EXPECT_FALSE(WithinDrift(U256(1500), U256(1000), 20));
  EXPECT_TRUE(WithinDrift(U256(500), U256(1000), 0));  // cheaper is always fine
  EXPECT_TRUE(WithinDrift(U256(1000), U256(1000), 0));
  EXPECT_FALSE(WithinDrift(U256(1001), U256(1000), 0));
  // Not a multiple of 100: 999 * 1.2 = 1198.8, so 1198 is within and 1199 is not.
  EXPECT_TRUE(WithinDrift(U256(1198), U256(999), 20));
  EXPECT_FALSE(WithinDrift(U256(1199), U256(999), 20));
  EXPECT_FALSE(WithinDrift(U256(1), U256(0), 20));
  EXPECT_TRUE(WithinDrift(U256(0), U256(0), 20));
}

TEST(MaxDrift, HugeAmountsDoNotOverflow) {
  const U256 max = U256::Max();
  EXPECT_TRUE(WithinDrift(max, max, 0));
  EXPECT_TRUE(WithinDrift(max, max, 20));  // the limit passes 2^256: anything is within
  const U256 half = max.DivSmall(2, nullptr);
  EXPECT_FALSE(WithinDrift(max, half, 20));
  // half = 2^255 - 1: twice it is max - 1, so max is one unit past a 100% drift.
  EXPECT_TRUE(WithinDrift(*U256::CheckedSub(max, U256(1)), half, 100));
  EXPECT_FALSE(WithinDrift(max, half, 100));
  // 10^70 published, 1.2 * 10^70 asked: exactly at the boundary.
  const U256 published = *U256::FromDecimal("1" + std::string(70, '0'));
  const U256 asked = *U256::FromDecimal("12" + std::string(69, '0'));
  EXPECT_TRUE(WithinDrift(asked, published, 20));
  EXPECT_FALSE(WithinDrift(*U256::CheckedAdd(asked, U256(1)), published, 20));
}

TEST(MaxDrift, SaysTheDifferenceInPercent) {
  EXPECT_EQ(DriftText(U256(1500), U256(1000)), "+50%");
  EXPECT_EQ(DriftText(U256(800), U256(1000)), "-20%");
  EXPECT_EQ(DriftText(U256(1000), U256(1000)), "+0%");
  EXPECT_EQ(DriftText(U256(5), U256(0)), "+inf%");
  EXPECT_EQ(DriftText(U256::Max(), U256::Max().DivSmall(2, nullptr)), "+100%");
}

TEST(MaxDrift, RefusesAboveTheDriftNamingBothPrices) {
  auto prices = std::vector<PublishedPrice>{Published(1000)};
  DriftCheck check = CheckDrift(DriftCharge(1500), prices, 20);
  ASSERT_TRUE(check.refused);
  Error refusal = DriftRefusal(DriftCharge(1500), *check.compared, 20, "openai");
  EXPECT_EQ(refusal.kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(refusal.message.find("asks 0.0015"), std::string::npos) << refusal.message;
  EXPECT_NE(refusal.message.find("published 0.001"), std::string::npos) << refusal.message;
  EXPECT_NE(refusal.message.find("+50%"), std::string::npos) << refusal.message;
  EXPECT_NE(refusal.message.find("--max-drift off"), std::string::npos) << refusal.message;
  EXPECT_FALSE(CheckDrift(DriftCharge(1200), prices, 20).refused);
  EXPECT_FALSE(CheckDrift(DriftCharge(1500), prices, 50).refused);
  EXPECT_FALSE(CheckDrift(DriftCharge(1500), prices, std::nullopt).refused);
}

TEST(MaxDrift, ComparesOnlyLikeForLike) {
  // A dynamic price, another currency, another intent: nothing compared.
  for (const auto& price :
       {Published(std::nullopt), Published(1000, "charge", "0x20c0000000000000000000000000000000000001"),
        Published(1000, "session")}) {
    DriftCheck check = CheckDrift(DriftCharge(5000), {price}, 20);
    EXPECT_FALSE(check.refused);
    EXPECT_EQ(check.compared, nullptr);
    EXPECT_FALSE(check.note.empty());
  }
  // The currency is compared without regard to case; any comparable price exceeded refuses.
  std::string upper = "0x20C0000000000000000000000000000000000000";
  auto prices = std::vector<PublishedPrice>{Published(5000, "charge", upper), Published(1000)};
  EXPECT_TRUE(CheckDrift(DriftCharge(3000), prices, 20).refused);
  EXPECT_FALSE(CheckDrift(DriftCharge(1100), prices, 20).refused);
}

TEST(MaxDrift, ReadsTheOffersOfOneOperation) {
  std::vector<llm::PaymentOffer> offers = {
      {"POST", "/v1/chat/completions", "charge", "tempo", "1000", kDriftPathUsdText, ""},
      {"POST", "/v1/chat/completions", "charge", "stripe", "1", "usd", ""},
      {"GET", "/v1/models", "charge", "tempo", "5", kDriftPathUsdText, ""},
      {"POST", "/v1/chat/completions", "session", "tempo", std::nullopt, kDriftPathUsdText, ""},
  };
  auto prices = PublishedPricesFor(offers, "/v1/chat/completions", "POST");
  ASSERT_EQ(prices.size(), 2u);
  EXPECT_EQ(prices[0].amount, std::optional<U256>(U256(1000)));
  EXPECT_EQ(prices[1].intent, "session");
  EXPECT_FALSE(prices[1].amount);
}

TEST(DiscoveryCache, EntriesReadBackAndGoStaleAfterADay) {
  DiscoveryEntry entry{1'700'000'000, false, "{\"paths\":{}}\nsecond line"};
  auto back = ParseDiscoveryEntry(RenderDiscoveryEntry(entry));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->fetched_at, entry.fetched_at);
  EXPECT_FALSE(back->absent);
  EXPECT_EQ(back->body, entry.body);
  auto absent = ParseDiscoveryEntry(RenderDiscoveryEntry({42, true, ""}));
  ASSERT_TRUE(absent);
  EXPECT_TRUE(absent->absent);
  for (const char* bad : {"", "mpp-discovery 1 x ok\n", "mpp-discovery 1 5 maybe\n", "mpp-discovery 1 5 ok",
                          "mpp-discovery 1 5 absent\nbody", "mpp-discovery 2 5 ok\n"})
    EXPECT_FALSE(ParseDiscoveryEntry(bad)) << bad;
  EXPECT_TRUE(IsFreshEntry(1000, 1000 + kDiscoveryCacheSeconds - 1));
  EXPECT_FALSE(IsFreshEntry(1000, 1000 + kDiscoveryCacheSeconds));
  EXPECT_FALSE(IsFreshEntry(1000, 999));  // a clock gone backwards
}

TEST(DiscoveryCache, OneFileNamePerOriginWithNothingButSafeCharacters) {
  EXPECT_EQ(DiscoveryCacheName("http://127.0.0.1:8080/openapi.json"), "http___127.0.0.1_8080.cache");
  EXPECT_EQ(DiscoveryCacheName("https://a.example/openapi.json"), "https___a.example.cache");
  EXPECT_EQ(DiscoveryCacheName("https://../../x/openapi.json").find('/'), std::string::npos);
}

}  // namespace
}  // namespace mpp::cli
