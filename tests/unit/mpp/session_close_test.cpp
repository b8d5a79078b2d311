// The cooperative close over a scripted server: a bare POST for a fresh challenge, then the close
// credential at the record's cumulative, signed by the payer, echoing a challenge for this channel's
// scope only; one retry on a 402; refusals and unreachable endpoints are told apart.
#include "mpp/session_close.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/flow_fakes.h"
#include "tempo/voucher.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

constexpr const char* kCloseKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kClosePayee = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kCloseToken = "0x20c0000000000000000000000000000000000000";

crypto::PrivateKey CloseKey() { return *crypto::PrivateKey::FromBytes(*FromHex(kCloseKey)); }

// A record of a channel the close key opened to kClosePayee on testnet.
StoredChannel CloseRecord() {
  StoredChannel c;
  const crypto::Address payer = crypto::Address::FromPublicKey(CloseKey().GetPublicKey());
  c.scope = {payer, *crypto::Address::Parse(kClosePayee), *crypto::Address::Parse(kCloseToken),
             tempo::kChannelEscrow, 42431};
  c.descriptor = {payer, c.scope.payee, {}, c.scope.token, Hash32{7}, payer, Hash32{9}};
  c.channel_id = tempo::ChannelId(c.descriptor, tempo::kChannelEscrow, 42431);
  c.status = ChannelStatus::kOpen;
  c.deposit = U256(5000);
  c.cumulative = U256(3000);
  c.endpoint = "https://api.example.com/v1/chat/completions?x=1";
  c.realm = "api.example.com";
  return c;
}

std::string OfferJson(const std::string& payee, std::uint64_t chain = 42431) {
  return R"({"amount":"1000","currency":")" + std::string(kCloseToken) + R"(","methodDetails":{"chainId":)" +
         std::to_string(chain) +
         R"(,"escrowContract":"0x4d50500000000000000000000000000000000000","sessionProtocol":"v2"},"recipient":")" +
         payee + R"(","unitType":"token"})";
}

std::string CloseOffer(const std::string& id, const std::string& json,
                       const std::string& realm = "api.example.com") {
  return "Payment id=\"" + id + "\", realm=\"" + realm +
         "\", method=\"tempo\", intent=\"session\", request=\"" + EncodeBase64Url(json) +
         "\", expires=\"2099-01-01T00:00:00Z\"";
}

net::HttpResponse Challenged(std::vector<std::string> offers) {
  net::HttpResponse r = testing::Response(402);
  for (auto& o : offers) r.headers.push_back({"WWW-Authenticate", std::move(o)});
  return r;
}

// The JSON of the credential a request carried.
rapidjson::Document CredentialOf(const net::HttpRequest& request) {
  rapidjson::Document d;
  for (const auto& h : request.headers) {
    if (h.name != "Authorization") continue;
    auto json = DecodeBase64Url(std::string_view(h.value).substr(8));
    d.Parse(reinterpret_cast<const char*>(json->data()), json->size());
  }
  return d;
}

TEST(SessionClose, ProbesThenPostsTheCloseAtTheSignedCumulativeEchoingTheMatchingChallenge) {
  testing::ScriptedTransport http;
  http.steps.push_back(
      {Challenged({CloseOffer("other-chain", OfferJson(kClosePayee, 4217)),
                   CloseOffer("other-payee", OfferJson("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")),
                   CloseOffer("other-realm", OfferJson(kClosePayee), "elsewhere.example"),
                   CloseOffer("mine", OfferJson(kClosePayee))})});
  http.steps.push_back({testing::Response(204)});
  const StoredChannel record = CloseRecord();
  auto closed = CloseCooperatively(record, CloseKey(), http);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_FALSE(closed->receipt);

  ASSERT_EQ(http.requests.size(), 2u);
  for (const auto& request : http.requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, "https://api.example.com/v1/chat/completions");  // no query
    EXPECT_TRUE(request.body.empty());
  }
  EXPECT_TRUE(http.requests[0].headers.empty());
  EXPECT_TRUE(http.requests[1].send_once);
  auto credential = CredentialOf(http.requests[1]);
  ASSERT_TRUE(credential.IsObject());
  EXPECT_STREQ(credential["challenge"]["id"].GetString(), "mine");
  const auto& payload = credential["payload"];
  EXPECT_STREQ(payload["action"].GetString(), "close");
  EXPECT_STREQ(payload["cumulativeAmount"].GetString(), "3000");
  EXPECT_EQ(std::string(payload["channelId"].GetString()), ToHex(ByteView(record.channel_id.data(), 32)));
  auto signature = FromHex(payload["signature"].GetString());
  ASSERT_TRUE(signature);
  EXPECT_EQ(
      tempo::RecoverVoucherSigner(42431, tempo::kChannelEscrow, record.channel_id, U256(3000), *signature),
      record.scope.payer);
  EXPECT_EQ(std::string(credential["source"].GetString()),
            "did:pkh:eip155:42431:" + record.scope.payer.ToChecksumHex());
}

TEST(SessionClose, ARefusedChallengeIsRetriedOnceWithTheFreshOne) {
  testing::ScriptedTransport http;
  http.steps.push_back({Challenged({CloseOffer("first", OfferJson(kClosePayee))})});
  http.steps.push_back({Challenged({CloseOffer("second", OfferJson(kClosePayee))})});
  const StoredChannel record = CloseRecord();
  const std::string id = ToHex(ByteView(record.channel_id.data(), 32));
  const std::string receipt = EncodeBase64Url(
      R"({"method":"tempo","intent":"session","status":"success","challengeId":"second","channelId":")" + id +
      R"(","acceptedCumulative":"3000","spent":"2000","units":2,"txHash":"0x)" + std::string(64, 'a') +
      R"("})");
  http.steps.push_back({testing::Response(204, {{"Payment-Receipt", receipt}})});
  auto closed = CloseCooperatively(record, CloseKey(), http);
  ASSERT_TRUE(closed) << closed.error().message;
  ASSERT_EQ(http.requests.size(), 3u);
  EXPECT_STREQ(CredentialOf(http.requests[2])["challenge"]["id"].GetString(), "second");
  ASSERT_TRUE(closed->receipt);
  EXPECT_EQ(closed->receipt->spent, U256(2000));
  EXPECT_TRUE(closed->receipt->tx_hash);

  testing::ScriptedTransport stubborn;
  stubborn.steps.push_back({Challenged({CloseOffer("a", OfferJson(kClosePayee))})});
  stubborn.steps.push_back({Challenged({CloseOffer("b", OfferJson(kClosePayee))})});
  stubborn.steps.push_back({Challenged({CloseOffer("c", OfferJson(kClosePayee))})});
  auto refused = CloseCooperatively(record, CloseKey(), stubborn);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedByServer);
  EXPECT_EQ(stubborn.requests.size(), 3u);  // probe, close, one retry
}

TEST(SessionClose, ARefusalSaysWhatTheServerSaidAndPointsAtTheForcedClose) {
  testing::ScriptedTransport http;
  http.steps.push_back({Challenged({CloseOffer("mine", OfferJson(kClosePayee))})});
  http.steps.push_back({testing::Response(
      410, {{"Content-Type", "application/problem+json"}},
      R"({"type":"https://paymentauth.org/problems/session/channel-finalized","title":"Channel finalized","detail":"gone\u001b[31m"})")});
  auto refused = CloseCooperatively(CloseRecord(), CloseKey(), http);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedByServer);
  EXPECT_NE(refused.error().message.find("HTTP 410"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("--force"), std::string::npos);
  EXPECT_EQ(refused.error().message.find('\x1b'), std::string::npos);
}

TEST(SessionClose, NoOfferForThisChannelAndNoServerAreDifferentFailures) {
  testing::ScriptedTransport other;
  other.steps.push_back(
      {Challenged({CloseOffer("x", OfferJson("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"))})});
  auto no_offer = CloseCooperatively(CloseRecord(), CloseKey(), other);
  ASSERT_FALSE(no_offer);
  EXPECT_EQ(no_offer.error().kind, ErrorKind::kPaymentRefusedByServer);
  EXPECT_EQ(other.requests.size(), 1u);  // nothing signed was sent

  testing::ScriptedTransport gone;  // no scripted answer: the connection fails
  auto unreachable = CloseCooperatively(CloseRecord(), CloseKey(), gone);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().kind, ErrorKind::kNetwork);

  testing::ScriptedTransport free;
  free.steps.push_back({testing::Response(200, {}, "{}")});
  auto not_a_challenge = CloseCooperatively(CloseRecord(), CloseKey(), free);
  ASSERT_FALSE(not_a_challenge);
  EXPECT_EQ(not_a_challenge.error().kind, ErrorKind::kNetwork);
}

TEST(SessionClose, RefusesLocallyWithoutAnEndpointOrWithAnotherKey) {
  testing::ScriptedTransport http;
  StoredChannel recovered = CloseRecord();
  recovered.endpoint.clear();
  auto no_endpoint = CloseCooperatively(recovered, CloseKey(), http);
  ASSERT_FALSE(no_endpoint);
  EXPECT_EQ(no_endpoint.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(no_endpoint.error().message.find("--force"), std::string::npos);

  auto other_key = crypto::PrivateKey::FromBytes(
      *FromHex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));
  auto wrong = CloseCooperatively(CloseRecord(), *other_key, http);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::kWallet);
  EXPECT_TRUE(http.requests.empty());
}

}  // namespace
}  // namespace mpp::protocol
