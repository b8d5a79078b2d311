// The session intent through the real pay flow, over a scripted server: the first paid call opens a
// channel with a voucher for that call, later ones sign only the next cumulative voucher, and nothing
// is signed past the deposit, the cap or a receipt that claims more than was signed. Also the judge
// and the choice between charge and session.
#include "mpp/session_intent.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "flow_fakes.h"
#include "mpp/flow.h"
#include "mpp/selection.h"
#include "tempo/chains.h"
#include "tempo/voucher.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

constexpr const char* kSessionKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kSessionPayer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kSessionToken = "0x20c0000000000000000000000000000000000000";
constexpr std::int64_t kSessionNow = 1'900'000'000;

// A tempo/session request as an mppx 0.11 server sends it (SESSION.md 2), to `payee`.
std::string SessionJson(const std::string& payee, const std::string& extra = R"(,"suggestedDeposit":"5000")",
                        const std::string& details = R"(,"sessionProtocol":"v2")") {
  return R"({"amount":"1000","currency":")" + std::string(kSessionToken) +
         R"(","methodDetails":{"chainId":42431,"escrowContract":"0x4d50500000000000000000000000000000000000")" +
         details + R"(},"recipient":")" + payee + R"(","unitType":"request")" + extra + "}";
}

std::string SessionChallenge(const std::string& id, const std::string& json) {
  return "Payment id=\"" + id +
         "\", realm=\"api.example.com\", method=\"tempo\", intent=\"session\", request=\"" +
         EncodeBase64Url(json) + "\", expires=\"2099-01-01T00:00:00Z\"";
}

// The JSON inside a credential header value ("Payment <base64url>").
rapidjson::Document CredentialJson(const std::string& value) {
  auto json = DecodeBase64Url(std::string_view(value).substr(8));
  rapidjson::Document d;
  d.Parse(reinterpret_cast<const char*>(json->data()), json->size());
  return d;
}

std::string ReceiptHeader(const std::string& channel_id, const std::string& challenge_id,
                          const std::string& accepted) {
  return EncodeBase64Url(
      R"({"method":"tempo","intent":"session","status":"success","timestamp":"2030-03-17T17:46:40Z","reference":")" +
      channel_id + R"(","challengeId":")" + challenge_id + R"(","channelId":")" + channel_id +
      R"(","acceptedCumulative":")" + accepted + R"(","spent":")" + accepted + R"(","units":1})");
}

class SessionFlowTest : public ::testing::Test {
 protected:
  SessionFlowTest() {
    policy_.chain_id = tempo::kTestnetChainId;
    policy_.max_amount = U256(100'000);
    policy_.pay_sessions = true;
    for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens)
      policy_.known_currencies.push_back(tempo::TokenAddress(token));
  }

  // One call: a 402 with `challenges`, then `paid` for the credential. Returns the flow's result.
  Result<FlowResult> Call(std::vector<std::string> challenges, net::HttpResponse paid) {
    net::HttpResponse challenge = testing::Response(402);
    for (auto& c : challenges) challenge.headers.push_back({"WWW-Authenticate", std::move(c)});
    http_.steps.push_back({challenge});
    http_.steps.push_back({std::move(paid)});
    FlowSettings settings{policy_, "", [] { return kSessionNow; }};
    PayFlow flow(
        http_, nullptr, ledger_,
        []() -> Result<crypto::PrivateKey> { return *crypto::PrivateKey::FromBytes(*FromHex(kSessionKey)); },
        settings);
    net::HttpRequest request{"POST", "https://api.example.com/v1/chat/completions", {}, R"({"messages":[]})"};
    return flow.Perform(request, nullptr);
  }

  // The credential the last paid request carried.
  rapidjson::Document LastCredential() {
    for (const auto& h : http_.requests.back().headers) {
      if (h.name == "Authorization") return CredentialJson(h.value);
    }
    ADD_FAILURE() << "no credential sent";
    return rapidjson::Document();
  }

  PayPolicy policy_;
  testing::ScriptedTransport http_;
  testing::MemoryLedger ledger_;
};

TEST_F(SessionFlowTest, TheFirstCallOpensAChannelAndTheNextPaysByVoucherOnly) {
  const std::string payee = "0x1000000000000000000000000000000000000001";
  auto first = Call({SessionChallenge("s-1", SessionJson(payee))}, testing::Response(200, {}, "{}"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  rapidjson::Document open = LastCredential();
  const auto& payload = open["payload"];
  EXPECT_STREQ(payload["action"].GetString(), "open");
  EXPECT_STREQ(payload["cumulativeAmount"].GetString(), "1000");  // exactly this call's price
  EXPECT_EQ(std::string(payload["transaction"].GetString()).substr(0, 4), "0x76");  // self-paid open
  EXPECT_STREQ(open["source"].GetString(), (std::string("did:pkh:eip155:42431:") + kSessionPayer).c_str());
  const std::string channel_id = payload["channelId"].GetString();
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].record.mode, "session open");
  EXPECT_EQ(ledger_.entries[0].record.amount, U256(1000));  // the budget counts what can be claimed
  EXPECT_FALSE(ledger_.entries[0].record.fee.IsZero());     // the open's fee counts too
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");

  // The voucher of the second call is over 2000 for the same channel, signed by the payer.
  auto second =
      Call({SessionChallenge("s-2", SessionJson(payee))},
           testing::Response(200, {{"Payment-Receipt", ReceiptHeader(channel_id, "s-2", "2000")}}, "{}"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  rapidjson::Document voucher = LastCredential();
  EXPECT_STREQ(voucher["payload"]["action"].GetString(), "voucher");
  EXPECT_EQ(voucher["payload"]["channelId"].GetString(), channel_id);
  EXPECT_STREQ(voucher["payload"]["cumulativeAmount"].GetString(), "2000");
  EXPECT_FALSE(voucher["payload"].HasMember("transaction"));
  auto id = FromHex(channel_id);
  ASSERT_TRUE(id && id->size() == 32);
  Hash32 channel{};
  std::copy(id->begin(), id->end(), channel.begin());
  auto signature = FromHex(voucher["payload"]["signature"].GetString());
  ASSERT_TRUE(signature);
  auto signer = tempo::RecoverVoucherSigner(tempo::kTestnetChainId, tempo::kChannelEscrow, channel,
                                            U256(2000), ByteView(signature->data(), signature->size()));
  ASSERT_TRUE(signer);
  EXPECT_EQ(signer->ToChecksumHex(), kSessionPayer);
  ASSERT_EQ(ledger_.entries.size(), 2u);
  EXPECT_EQ(ledger_.entries[1].record.mode, "session voucher");
  EXPECT_TRUE(ledger_.entries[1].record.fee.IsZero());  // nothing goes on chain
  EXPECT_EQ(ledger_.entries[1].outcome, "settled");
  EXPECT_TRUE(ledger_.entries[1].note.empty());  // the receipt matched
  EXPECT_TRUE(second->payment->receipt.has_value());
}

TEST_F(SessionFlowTest, NothingIsSignedPastTheDeposit) {
  const std::string payee = "0x1000000000000000000000000000000000000002";
  const std::string json = SessionJson(payee, R"(,"suggestedDeposit":"2000")");
  ASSERT_TRUE(Call({SessionChallenge("d-1", json)}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "1000");
  ASSERT_TRUE(Call({SessionChallenge("d-2", json)}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "2000");
  const std::size_t sent = http_.requests.size();
  auto third = Call({SessionChallenge("d-3", json)}, testing::Response(200, {}, "{}"));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(third.error().message.find("does not top channels up yet"), std::string::npos)
      << third.error().message;
  EXPECT_EQ(http_.requests.size(), sent + 1);  // the probe only: no credential left
  EXPECT_EQ(ledger_.entries.size(), 2u);       // and nothing was journaled
}

TEST_F(SessionFlowTest, AReceiptClaimingMoreThanWasSignedIsNotTrusted) {
  const std::string payee = "0x1000000000000000000000000000000000000003";
  ASSERT_TRUE(Call({SessionChallenge("r-1", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  const std::string channel_id = LastCredential()["payload"]["channelId"].GetString();
  auto second =
      Call({SessionChallenge("r-2", SessionJson(payee))},
           testing::Response(200, {{"Payment-Receipt", ReceiptHeader(channel_id, "r-2", "9000")}}, "{}"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->payment->receipt.has_value());
  EXPECT_NE(ledger_.entries.back().note.find("receipt not trusted"), std::string::npos)
      << ledger_.entries.back().note;
  // The next voucher still counts from what mpp signed (2000), not from the receipt's claim.
  ASSERT_TRUE(Call({SessionChallenge("r-3", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "3000");
}

TEST_F(SessionFlowTest, ARefusedOpenLeavesNoChannelToVoucherOn) {
  const std::string payee = "0x1000000000000000000000000000000000000004";
  auto refused = Call({SessionChallenge("o-1", SessionJson(payee))}, testing::Response(402));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedByServer);
  ASSERT_TRUE(Call({SessionChallenge("o-2", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["action"].GetString(), "open");
}

TEST_F(SessionFlowTest, SessionsStayRefusedUntilThePolicyAllowsThem) {
  policy_.pay_sessions = false;
  const std::string payee = "0x1000000000000000000000000000000000000005";
  auto result = Call({SessionChallenge("g-1", SessionJson(payee))}, testing::Response(200, {}, "{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(ledger_.entries.empty());
}

// The judge and the choice, without a flow.
class SessionJudgeTest : public SessionFlowTest {
 protected:
  std::vector<ChallengeVerdict> Judge(std::vector<std::string> headers) {
    std::vector<std::string_view> values(headers.begin(), headers.end());
    return EvaluateChallenges(ParseChallenges(values).challenges, policy_, kSessionNow);
  }
};

TEST_F(SessionJudgeTest, TheDepositIsMaxDepositLoweredToTheSuggestionButNeverBelowOneUnit) {
  const std::string payee = "0x1000000000000000000000000000000000000006";
  policy_.max_deposit = U256(3000);
  auto v = Judge({SessionChallenge("a", SessionJson(payee, R"(,"suggestedDeposit":"5000")")),
                  SessionChallenge("b", SessionJson(payee, R"(,"suggestedDeposit":"2000")")),
                  SessionChallenge("c", SessionJson(payee, R"(,"suggestedDeposit":"10")")),
                  SessionChallenge("d", SessionJson(payee, ""))});
  ASSERT_EQ(v.size(), 4u);
  for (const auto& verdict : v) ASSERT_TRUE(verdict.acceptable && verdict.session) << verdict.reason;
  EXPECT_EQ(v[0].session->deposit, U256(3000));
  EXPECT_EQ(v[1].session->deposit, U256(2000));
  EXPECT_EQ(v[2].session->deposit, U256(1000));
  EXPECT_EQ(v[3].session->deposit, U256(3000));
  EXPECT_NE(v[0].reason.find("per request"), std::string::npos) << v[0].reason;
  policy_.max_deposit = U256(999);
  auto low = Judge({SessionChallenge("e", SessionJson(payee))});
  EXPECT_FALSE(low[0].acceptable);
  EXPECT_NE(low[0].reason.find("--max-deposit"), std::string::npos) << low[0].reason;
}

TEST_F(SessionJudgeTest, LegacyOffersAndUntrustedEscrowsAreRefused) {
  const std::string payee = "0x1000000000000000000000000000000000000007";
  auto v = Judge({SessionChallenge("v1", SessionJson(payee, "", "")),
                  SessionChallenge("x", SessionJson(payee, "", R"(,"sessionProtocol":"v2")")
                                            .replace(SessionJson(payee).find("0x4d5050"), 8, "0x9d5050"))});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_FALSE(v[0].acceptable);
  EXPECT_NE(v[0].reason.find("legacy v1"), std::string::npos) << v[0].reason;
  EXPECT_FALSE(v[1].acceptable);
  EXPECT_NE(v[1].reason.find("not the trusted escrow"), std::string::npos) << v[1].reason;
}

TEST_F(SessionJudgeTest, AutoPrefersAChargeAndTheIntentFlagPicksOne) {
  const std::string payee = "0x1000000000000000000000000000000000000008";
  const std::string charge = testing::ChargeChallenge(
      "c-1", R"({"amount":"1000","currency":")" + std::string(kSessionToken) + R"(","recipient":")" + payee +
                 R"(","methodDetails":{"chainId":42431}})");
  // The Tempo proxies list the session offer first.
  std::vector<std::string> offers{SessionChallenge("s-1", SessionJson(payee)), charge};
  auto v = Judge(offers);
  const ChallengeVerdict* chosen = ChooseChallenge(v, policy_);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->challenge.intent, "charge");
  auto reasons = ExplainChoices(v, chosen, policy_);
  EXPECT_NE(reasons[0].find("which mpp prefers to opening a channel"), std::string::npos) << reasons[0];

  policy_.intent = IntentChoice::kSession;
  v = Judge(offers);
  chosen = ChooseChallenge(v, policy_);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->challenge.intent, "session");
  EXPECT_NE(v[1].reason.find("--intent session"), std::string::npos) << v[1].reason;

  policy_.intent = IntentChoice::kCharge;
  v = Judge({SessionChallenge("s-2", SessionJson(payee))});
  EXPECT_EQ(ChooseChallenge(v, policy_), nullptr);
  EXPECT_NE(v[0].reason.find("--intent charge"), std::string::npos) << v[0].reason;
}

}  // namespace
}  // namespace mpp::protocol
