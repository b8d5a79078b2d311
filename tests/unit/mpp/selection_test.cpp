#include "mpp/selection.h"

#include <gtest/gtest.h>

#include "mpp/challenge.h"
#include "tempo/chains.h"
#include "util/base64url.h"

namespace mpp::protocol {
namespace {

constexpr const char* kSelUsdce = "0x20c000000000000000000000b9537d11c60e8b50";
constexpr const char* kSelNano = "0x20c0000000000000000000008b4c619d2eedec7a";
constexpr std::int64_t kSelNow = 1'900'000'000;

std::string Leg(const std::string& id, const std::string& intent, const std::string& currency,
                const std::string& amount = "5125", std::uint64_t chain = 4217,
                const std::string& recipient = "0xca4e835F803cB0b7C428222B3A3B98518d4779Fe") {
  std::string request = R"({"amount":")" + amount + R"(","currency":")" + currency +
                        R"(","methodDetails":{"chainId":)" + std::to_string(chain) +
                        R"(,"feePayer":true},"recipient":")" + recipient + R"("})";
  return "Payment id=\"" + id + "\", realm=\"openrouter.mpp.tempo.xyz\", method=\"tempo\", intent=\"" +
         intent + "\", request=\"" + EncodeBase64Url(request) + "\", expires=\"2099-01-01T00:00:00Z\"";
}

// A TIP-1034 v2 session leg as the Tempo proxies send it (per-token price, the canonical escrow).
std::string SessionLeg(const std::string& id, const std::string& currency, const std::string& amount = "25") {
  std::string request = R"({"amount":")" + amount + R"(","unitType":"token","currency":")" + currency +
                        R"(","recipient":"0xca4e835F803cB0b7C428222B3A3B98518d4779Fe","methodDetails":)"
                        R"({"chainId":4217,"escrowContract":"0x4d50500000000000000000000000000000000000",)"
                        R"("sessionProtocol":"v2","feePayer":true}})";
  return "Payment id=\"" + id +
         "\", realm=\"openrouter.mpp.tempo.xyz\", method=\"tempo\", intent=\"session\", "
         "request=\"" +
         EncodeBase64Url(request) + "\", expires=\"2099-01-01T00:00:00Z\"";
}

PayPolicy Mainnet(std::uint64_t cap = 100'000) {
  PayPolicy policy;
  policy.chain_id = tempo::kMainnetChainId;
  policy.max_amount = U256(cap);
  for (const auto& token : tempo::FindChainById(tempo::kMainnetChainId)->tokens) {
    policy.known_currencies.push_back(tempo::TokenAddress(token));
  }
  return policy;
}

std::vector<ChallengeVerdict> Judged(const std::string& header, const PayPolicy& policy) {
  std::vector<std::string_view> values{header};
  return EvaluateChallenges(ParseChallenges(values).challenges, policy, kSelNow);
}

TEST(ExplainChoices, TheTempoProxysFourOffersEachGetAReason) {
  // One WWW-Authenticate line: NanoUSD charge, USDC.e charge, two session legs.
  std::string header = Leg("nano", "charge", kSelNano) + ", " + Leg("usdce", "charge", kSelUsdce) + ", " +
                       SessionLeg("s1", kSelUsdce) + ", " + SessionLeg("s2", kSelNano);
  PayPolicy policy = Mainnet();
  auto verdicts = Judged(header, policy);
  ASSERT_EQ(verdicts.size(), 4u);
  const ChallengeVerdict* chosen = ChooseChallenge(verdicts, policy);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->challenge.id, "usdce");
  auto reasons = ExplainChoices(verdicts, chosen, policy);
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_NE(reasons[0].find("not chosen: "), std::string::npos);
  EXPECT_NE(reasons[0].find("a token mpp does not know"), std::string::npos) << reasons[0];
  EXPECT_NE(reasons[0].find("--currency 0x20C0000000000000000000008B4c619d2eedEc7A to allow it"),
            std::string::npos)
      << reasons[0];
  EXPECT_EQ(reasons[1].rfind("chosen: pay 0.005125 USDC.e", 0), 0u) << reasons[1];
  EXPECT_EQ(reasons[2].rfind("not chosen: payable (pay 0.000025 USDC.e per token", 0), 0u) << reasons[2];
  EXPECT_NE(reasons[2].find("but challenge 2 is a charge, which mpp prefers to opening a channel"),
            std::string::npos)
      << reasons[2];
  EXPECT_NE(reasons[3].find("a token mpp does not know"), std::string::npos) << reasons[3];
}

TEST(ChooseChallenge, AChannelAlreadyOpenGoesBeforeACharge) {
  std::string header = Leg("usdce", "charge", kSelUsdce) + ", " + SessionLeg("s1", kSelUsdce);
  PayPolicy policy = Mainnet();
  auto verdicts = Judged(header, policy);
  ASSERT_TRUE(verdicts[0].acceptable && verdicts[1].acceptable) << verdicts[1].reason;
  ASSERT_EQ(ChooseChallenge(verdicts, policy), &verdicts[0]);  // no channel: the charge
  verdicts[1].standing = true;
  const ChallengeVerdict* chosen = ChooseChallenge(verdicts, policy);
  ASSERT_EQ(chosen, &verdicts[1]);
  auto reasons = ExplainChoices(verdicts, chosen, policy);
  EXPECT_NE(reasons[0].find("challenge 2 pays on the channel mpp already has open to this payee"),
            std::string::npos)
      << reasons[0];
  EXPECT_NE(reasons[1].find("(on the channel already open)"), std::string::npos) << reasons[1];
  // An explicit --intent charge is the user's word: the open channel does not override it.
  policy.intent = IntentChoice::kCharge;
  verdicts = Judged(header, policy);
  verdicts[1].standing = verdicts[1].acceptable;
  EXPECT_EQ(ChooseChallenge(verdicts, policy), &verdicts[0]);
  policy.intent = IntentChoice::kSession;
  verdicts = Judged(header, policy);
  EXPECT_EQ(ChooseChallenge(verdicts, policy), &verdicts[1]);
}

TEST(EvaluateChallenges, AnUnknownIntentSaysWhichOnesMppPays) {
  PayPolicy policy = Mainnet();
  auto verdicts = Judged(Leg("x", "subscription", kSelUsdce), policy);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].acceptable);
  EXPECT_EQ(verdicts[0].reason, "intent 'subscription' is not supported (mpp pays charge and session)");
}

TEST(ExplainChoices, APayableOneLeftAsideSaysWhichWonAndWhy) {
  PayPolicy policy = Mainnet();
  auto verdicts =
      Judged(Leg("a", "charge", kSelUsdce, "10") + ", " + Leg("b", "charge", kSelUsdce, "20"), policy);
  auto reasons = ExplainChoices(verdicts, ChooseChallenge(verdicts, policy), policy);
  EXPECT_NE(reasons[1].find("not chosen: payable"), std::string::npos) << reasons[1];
  EXPECT_NE(reasons[1].find("challenge 1 comes first"), std::string::npos) << reasons[1];
  policy.preferred_currencies.push_back(*crypto::Address::Parse(kSelNano));
  verdicts = Judged(Leg("a", "charge", kSelUsdce, "10") + ", " + Leg("b", "charge", kSelNano, "20"), policy);
  const ChallengeVerdict* chosen = ChooseChallenge(verdicts, policy);
  ASSERT_EQ(chosen->challenge.id, "b");
  reasons = ExplainChoices(verdicts, chosen, policy);
  EXPECT_NE(reasons[0].find("challenge 2 is in the currency --currency prefers"), std::string::npos)
      << reasons[0];
}

TEST(ExplainChoices, WrongChainAndOverTheCapAreNamed) {
  PayPolicy policy = Mainnet(1000);
  auto verdicts =
      Judged(Leg("test", "charge", kSelUsdce, "10", 42431) + ", " + Leg("dear", "charge", kSelUsdce, "5000"),
             policy);
  const ChallengeVerdict* chosen = ChooseChallenge(verdicts, policy);
  EXPECT_EQ(chosen, nullptr);
  auto reasons = ExplainChoices(verdicts, chosen, policy);
  EXPECT_NE(reasons[0].find("testnet (42431)"), std::string::npos) << reasons[0];
  EXPECT_NE(reasons[1].find("over the per-call cap"), std::string::npos) << reasons[1];
}

TEST(EvaluateChallenges, CurrencyAndRecipientCompareWhateverTheirCase) {
  PayPolicy policy = Mainnet();
  std::string checksummed = Leg("c", "charge", "0x20C000000000000000000000b9537d11c60E8b50");
  std::string lower_recipient =
      Leg("l", "charge", kSelUsdce, "5125", 4217, "0xca4e835f803cb0b7c428222b3a3b98518d4779fe");
  auto verdicts = Judged(checksummed + ", " + lower_recipient, policy);
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_TRUE(verdicts[0].acceptable) << verdicts[0].reason;
  EXPECT_TRUE(verdicts[1].acceptable) << verdicts[1].reason;
  EXPECT_EQ(verdicts[0].charge->request.currency, verdicts[1].charge->request.currency);
  EXPECT_EQ(verdicts[0].charge->request.recipient, verdicts[1].charge->request.recipient);
  // --exclude-currency given checksummed excludes the lowercase offer too.
  policy.excluded_currencies.push_back(*crypto::Address::Parse("0x20C000000000000000000000b9537d11c60E8b50"));
  EXPECT_FALSE(Judged(Leg("l", "charge", kSelUsdce), policy)[0].acceptable);
}

}  // namespace
}  // namespace mpp::protocol
