// The session intent through the real pay flow, over a scripted server: the first paid call opens a
// channel with a voucher for that call, later ones sign only the next cumulative voucher, and nothing
// is signed past the deposit, the cap or a receipt that claims more than was signed. Also the judge
// and the choice between charge and session.
#include "mpp/session_intent.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "mpp/flow.h"
#include "mpp/selection.h"
#include "support/flow_fakes.h"
#include "support/wallet_test_support.h"
#include "tempo/chains.h"
#include "tempo/voucher.h"
#include "util/base64url.h"
#include "util/hex.h"
#include "wallet/channel_store.h"

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
        settings, &plain_side_, channels_);
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
  testing::ScriptedTransport plain_side_;  // management POSTs of plain calls (top-ups)
  testing::MemoryLedger ledger_;
  ChannelBook* channels_ = nullptr;  // null: channels live as long as the process
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

TEST_F(SessionFlowTest, ACallPastTheDepositTopsTheChannelUpFirstWithinMaxDeposit) {
  const std::string payee = "0x1000000000000000000000000000000000000002";
  const std::string json = SessionJson(payee, R"(,"suggestedDeposit":"2000")");
  ASSERT_TRUE(Call({SessionChallenge("d-1", json)}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "1000");
  ASSERT_TRUE(Call({SessionChallenge("d-2", json)}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "2000");
  EXPECT_TRUE(plain_side_.requests.empty());  // the deposit of 2000 held both

  // The third needs 3000: a top-up by suggestedDeposit goes first, journaled, then the voucher.
  plain_side_.steps.push_back({testing::Response(204)});
  ASSERT_TRUE(Call({SessionChallenge("d-3", json)}, testing::Response(200, {}, "{}")).ok());
  ASSERT_EQ(plain_side_.requests.size(), 1u);
  EXPECT_TRUE(plain_side_.requests[0].body.empty());
  rapidjson::Document top_up = CredentialJson(plain_side_.requests[0].headers.at(0).value);
  EXPECT_STREQ(top_up["payload"]["action"].GetString(), "topUp");
  EXPECT_STREQ(top_up["payload"]["additionalDeposit"].GetString(), "2000");
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "3000");
  ASSERT_EQ(ledger_.increments.size(), 1u);
  EXPECT_EQ(ledger_.increments[0].second.kind, PaymentIncrement::Kind::kTopUp);

  // Past --max-deposit nothing is topped up and the voucher is not sent: journaled refused.
  policy_.max_deposit = U256(4000);
  ASSERT_TRUE(Call({SessionChallenge("d-4", json)}, testing::Response(200, {}, "{}")).ok());  // 4000 fits
  const std::size_t sent = http_.requests.size();
  auto over = Call({SessionChallenge("d-5", json)}, testing::Response(200, {}, "{}"));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(over.error().message.find("--max-deposit"), std::string::npos) << over.error().message;
  EXPECT_EQ(http_.requests.size(), sent + 1);  // the probe only: no credential left
  EXPECT_EQ(plain_side_.requests.size(), 1u);
  EXPECT_EQ(ledger_.entries.back().outcome, "refused");
  EXPECT_NE(ledger_.entries.back().detail.find("not sent"), std::string::npos);
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

TEST_F(SessionFlowTest, IntentChargeRefusesASessionOnlyOfferAndSignsNothing) {
  policy_.intent = IntentChoice::kCharge;
  const std::string payee = "0x1000000000000000000000000000000000000005";
  auto result = Call({SessionChallenge("g-1", SessionJson(payee))}, testing::Response(200, {}, "{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(ledger_.entries.empty());
}

TEST_F(SessionFlowTest, AutoPaysOnTheChannelAlreadyOpenToThatPayeeRatherThanByCharge) {
  const std::string payee = "0x1000000000000000000000000000000000000010";
  const std::string charge = R"({"amount":"1000","currency":")" + std::string(kSessionToken) +
                             R"(","recipient":")" + payee + R"(","methodDetails":{"chainId":42431}})";
  auto offers = [&](const std::string& id) {
    return std::vector<std::string>{
        "Payment id=\"c-" + id +
            "\", realm=\"api.example.com\", method=\"tempo\", intent=\"charge\", request=\"" +
            EncodeBase64Url(charge) + "\", expires=\"2099-01-01T00:00:00Z\"",
        SessionChallenge("s-" + id, SessionJson(payee))};
  };
  policy_.intent = IntentChoice::kSession;  // the first call opens a channel on the user's word
  ASSERT_TRUE(Call(offers("1"), testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["action"].GetString(), "open");
  policy_.intent = IntentChoice::kAuto;  // then auto: the open channel beats a charge
  auto second = Call(offers("2"), testing::Response(200, {}, "{}"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  rapidjson::Document voucher = LastCredential();
  EXPECT_STREQ(voucher["payload"]["action"].GetString(), "voucher");
  EXPECT_STREQ(voucher["payload"]["cumulativeAmount"].GetString(), "2000");
  ASSERT_EQ(ledger_.entries.size(), 2u);
  EXPECT_EQ(ledger_.entries[1].record.mode, "session voucher");
}

TEST_F(SessionFlowTest, TheChannelStoreIsTheAuthorityBetweenProcesses) {
  wallet::testing::TempDir dir;
  wallet::ChannelStore store(dir.path() / "channels");
  channels_ = &store;
  const std::string payee = "0x1000000000000000000000000000000000000020";
  ASSERT_TRUE(Call({SessionChallenge("d-1", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  auto all = store.List();
  ASSERT_TRUE(all.ok() && all->size() == 1u);
  StoredChannel record = all->front();
  EXPECT_EQ(record.status, ChannelStatus::kOpen);
  EXPECT_FALSE(record.pending.has_value());  // the open settled
  EXPECT_EQ(record.cumulative, U256(1000));
  EXPECT_EQ(record.deposit, U256(5000));
  EXPECT_EQ(record.endpoint, "https://api.example.com/v1/chat/completions");

  // Another process paid on the channel since: this one continues from the store, not from memory.
  record.cumulative = U256(3000);
  {
    auto hold = store.Lock(record.scope);
    ASSERT_TRUE(hold.ok());
    ASSERT_TRUE(store.Save(record).ok());
  }
  ASSERT_TRUE(Call({SessionChallenge("d-2", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["action"].GetString(), "voucher");
  EXPECT_STREQ(LastCredential()["payload"]["cumulativeAmount"].GetString(), "4000");
  EXPECT_EQ(store.List()->front().cumulative, U256(4000));  // on disk before it left

  // An open an earlier process left unconfirmed, and no RPC to ask: nothing is signed or sent.
  record = store.List()->front();
  record.status = ChannelStatus::kOpening;
  record.pending = PendingChannelTx{PendingChannelTx::Kind::kOpen, "", U256(5000), 1'900'000'020};
  {
    auto hold = store.Lock(record.scope);
    ASSERT_TRUE(store.Save(record).ok());
  }
  const std::size_t sent = http_.requests.size();
  auto refused = Call({SessionChallenge("d-3", SessionJson(payee))}, testing::Response(200, {}, "{}"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kWallet);
  EXPECT_NE(refused.error().message.find("unconfirmed"), std::string::npos) << refused.error().message;
  EXPECT_EQ(http_.requests.size(), sent + 1);  // the probe only
  EXPECT_EQ(ledger_.entries.size(), 2u);
}

// A channel store that notes which kind of write each one was.
class NotingBook final : public ChannelBook {
 public:
  explicit NotingBook(ChannelBook& inner) : inner_(inner) {}
  Result<std::unique_ptr<Hold>> Lock(const protocol::ChannelScope& scope) override {
    return inner_.Lock(scope);
  }
  Result<std::optional<StoredChannel>> Load(const protocol::ChannelScope& scope) override {
    return inner_.Load(scope);
  }
  Status Save(const StoredChannel& channel) override {
    writes.push_back("durable " + channel.cumulative.ToDecimal() + (channel.pending ? " pending" : ""));
    return inner_.Save(channel);
  }
  Status SaveJournaled(const StoredChannel& channel) override {
    writes.push_back("journaled " + channel.cumulative.ToDecimal());
    return inner_.SaveJournaled(channel);
  }
  Result<std::vector<StoredChannel>> List() const override { return inner_.List(); }
  std::vector<std::string> writes;

 private:
  ChannelBook& inner_;
};

TEST_F(SessionFlowTest, AnOpenIsWrittenDurablyAndAVoucherLeansOnItsJournalRecord) {
  wallet::testing::TempDir dir;
  wallet::ChannelStore store(dir.path() / "channels", dir.path() / "payments.jsonl");
  NotingBook book(store);
  channels_ = &book;
  const std::string payee = "0x1000000000000000000000000000000000000021";
  ASSERT_TRUE(Call({SessionChallenge("j-1", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  // The pending open before it leaves, then the open settled: both fsynced.
  EXPECT_EQ(book.writes, (std::vector<std::string>{"durable 1000 pending", "durable 1000"}));
  book.writes.clear();
  ASSERT_TRUE(Call({SessionChallenge("j-2", SessionJson(payee))}, testing::Response(200, {}, "{}")).ok());
  EXPECT_STREQ(LastCredential()["payload"]["action"].GetString(), "voucher");
  // The voucher's cumulative was in the ledger's signed record first; the store skips its fsyncs.
  EXPECT_EQ(book.writes, (std::vector<std::string>{"journaled 2000"}));
  EXPECT_EQ(ledger_.entries.size(), 2u);
  EXPECT_EQ(store.List()->front().cumulative, U256(2000));
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

// Metered streams: the paid answer's events reach the payment through PayFlow::AnswerEvent, as the
// chat layer delivers them; management POSTs go to a second scripted connection.
class MeteredStreamTest : public SessionFlowTest {
 protected:
  // One streamed call whose body is `events` ("type|data" each; CHANNEL in data becomes the channel id
  // the open credential named). Each non-message event goes to AnswerEvent; an error ends the body.
  Result<FlowResult> Stream(const std::string& challenge_json, const std::vector<std::string>& events) {
    std::string body;
    for (const auto& e : events) body += e + "\n";
    net::HttpResponse challenge = testing::Response(402);
    challenge.headers.push_back(
        {"WWW-Authenticate", SessionChallenge("m-" + std::to_string(++calls_), challenge_json)});
    http_.steps.push_back({challenge});
    http_.steps.push_back({testing::Response(200, {{"Content-Type", "text/event-stream"}}, body)});
    FlowSettings settings{policy_, "", [] { return kSessionNow; }};
    PayFlow flow(
        http_, nullptr, ledger_,
        []() -> Result<crypto::PrivateKey> { return *crypto::PrivateKey::FromBytes(*FromHex(kSessionKey)); },
        settings, &side_);
    net::BodySink sink = [&](std::string_view chunk) {
      const std::string channel = LastCredential()["payload"]["channelId"].GetString();
      std::size_t start = 0;
      while (start < chunk.size()) {
        std::size_t end = chunk.find('\n', start);
        std::string line(chunk.substr(start, end - start));
        start = end + 1;
        const auto bar = line.find('|');
        std::string type = line.substr(0, bar), data = line.substr(bar + 1);
        for (auto at = data.find("CHANNEL"); at != std::string::npos; at = data.find("CHANNEL"))
          data.replace(at, 7, channel);
        if (type == "message") {
          text_ += data;
        } else if (!flow.AnswerEvent(type, data)) {
          return false;
        }
      }
      return true;
    };
    net::HttpRequest request{
        "POST", "https://api.example.com/v1/chat/completions?x=1", {}, R"({"stream":true})"};
    return flow.Perform(request, &sink);
  }

  static std::string Need(const std::string& required, const std::string& deposit) {
    return R"(payment-need-voucher|{"channelId":"CHANNEL","requiredCumulative":")" + required +
           R"(","acceptedCumulative":"1000","deposit":")" + deposit + R"("})";
  }

  // The management POSTs' payloads, in order.
  std::vector<rapidjson::Document> SidePayloads() {
    std::vector<rapidjson::Document> out;
    for (const auto& r : side_.requests) {
      EXPECT_EQ(r.method, "POST");
      EXPECT_EQ(r.url, "https://api.example.com/v1/chat/completions");  // no query
      EXPECT_TRUE(r.body.empty());
      for (const auto& h : r.headers) {
        if (h.name == "Authorization") out.push_back(CredentialJson(h.value));
      }
    }
    return out;
  }

  void AnswerManagementWith(int count) {
    for (int i = 0; i < count; ++i) side_.steps.push_back({testing::Response(204)});
  }

  testing::ScriptedTransport side_;
  std::string text_;
  int calls_ = 0;
};

TEST_F(MeteredStreamTest, VouchersFollowTheStreamAndATopUpComesFirstWhenTheDepositIsShort) {
  const std::string json =
      SessionJson("0x2000000000000000000000000000000000000001", R"(,"suggestedDeposit":"3000")");
  AnswerManagementWith(4);
  auto result = Stream(
      json,
      {"message|Hel", Need("2000", "3000"), "message|lo", Need("3000", "3000"), "message|,",
       Need("4000", "3000"), "message| world",
       R"(payment-receipt|{"method":"tempo","intent":"session","status":"success","challengeId":"m-1","channelId":"CHANNEL","acceptedCumulative":"4000","spent":"4000","units":4})"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(text_, "Hello, world");
  auto posts = SidePayloads();
  ASSERT_EQ(posts.size(), 4u);
  EXPECT_STREQ(posts[0]["payload"]["action"].GetString(), "voucher");
  EXPECT_STREQ(posts[0]["payload"]["cumulativeAmount"].GetString(), "2000");
  EXPECT_STREQ(posts[1]["payload"]["cumulativeAmount"].GetString(), "3000");
  EXPECT_STREQ(posts[2]["payload"]["action"].GetString(), "topUp");
  EXPECT_STREQ(posts[2]["payload"]["additionalDeposit"].GetString(), "3000");  // suggestedDeposit, not 1000
  EXPECT_STREQ(posts[3]["payload"]["action"].GetString(), "voucher");
  EXPECT_STREQ(posts[3]["payload"]["cumulativeAmount"].GetString(), "4000");
  // Every one was journaled before it left: three vouchers of one unit each and the top-up.
  ASSERT_EQ(ledger_.increments.size(), 4u);
  EXPECT_EQ(ledger_.increments[0].second.amount, U256(1000));
  EXPECT_EQ(ledger_.increments[2].second.kind, PaymentIncrement::Kind::kTopUp);
  EXPECT_EQ(ledger_.increments[2].second.deposit, U256(3000));
  EXPECT_FALSE(ledger_.increments[2].second.fee.IsZero());
  EXPECT_EQ(ledger_.increments[3].second.cumulative, U256(4000));
  ASSERT_TRUE(result->payment);
  EXPECT_EQ(result->payment->amount, U256(4000));  // units x price
  EXPECT_TRUE(ledger_.entries.back().note.empty()) << ledger_.entries.back().note;
}

TEST_F(MeteredStreamTest, TheCapStopsPayingAndKeepsWhatWasPrinted) {
  // One unit plus the open's default fee ceiling (0.041) fits 0.0425; a second unit does not.
  policy_.max_amount = U256(42'500);
  const std::string json = SessionJson("0x2000000000000000000000000000000000000002");
  AnswerManagementWith(4);
  auto result = Stream(json, {"message|one", Need("2000", "5000"), "message|two", Need("3000", "5000")});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("over the per-call cap"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(text_, "one");
  EXPECT_TRUE(side_.requests.empty());  // no voucher beyond the first unit
  EXPECT_TRUE(ledger_.increments.empty());
  EXPECT_EQ(ledger_.entries.back().outcome, "settled");
  EXPECT_NE(ledger_.entries.back().note.find("answer stopped"), std::string::npos);
}

TEST_F(MeteredStreamTest, AVoucherRequestForAnotherChannelIsRefused) {
  const std::string json = SessionJson("0x2000000000000000000000000000000000000003");
  AnswerManagementWith(1);
  const std::string other = "0x" + std::string(64, 'e');
  auto result =
      Stream(json, {R"(payment-need-voucher|{"channelId":")" + other +
                    R"(","requiredCumulative":"2000","acceptedCumulative":"1000","deposit":"5000"})"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("another channel"), std::string::npos);
  EXPECT_TRUE(side_.requests.empty());
  EXPECT_TRUE(ledger_.increments.empty());
}

TEST_F(MeteredStreamTest, ABudgetThatRefusesTheIncrementSendsNothing) {
  const std::string json = SessionJson("0x2000000000000000000000000000000000000004");
  AnswerManagementWith(1);
  ledger_.refuse_increments = true;
  auto result = Stream(json, {Need("2000", "5000")});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_TRUE(side_.requests.empty());
}

TEST_F(MeteredStreamTest, AFinalReceiptClaimingMoreThanWasSignedIsNoted) {
  const std::string json = SessionJson("0x2000000000000000000000000000000000000005");
  auto result = Stream(
      json,
      {"message|hi",
       R"(payment-receipt|{"method":"tempo","intent":"session","status":"success","challengeId":"m-1","channelId":"CHANNEL","acceptedCumulative":"7000","spent":"7000","units":7})"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_NE(ledger_.entries.back().note.find("receipt not trusted"), std::string::npos)
      << ledger_.entries.back().note;
}

TEST_F(MeteredStreamTest, AnExpiredChallengeOnAVoucherIsRetriedOnceWithTheFreshOne) {
  const std::string payee = "0x2000000000000000000000000000000000000006";
  const std::string json = SessionJson(payee);
  net::HttpResponse expired = testing::Response(402);
  expired.headers.push_back({"WWW-Authenticate", SessionChallenge("fresh-1", json)});
  side_.steps.push_back({expired});
  side_.steps.push_back({testing::Response(204)});
  auto result = Stream(json, {Need("2000", "5000"), "message|ok"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  auto posts = SidePayloads();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_STREQ(posts[0]["challenge"]["id"].GetString(), "m-1");
  EXPECT_STREQ(posts[1]["challenge"]["id"].GetString(), "fresh-1");
  EXPECT_STREQ(posts[1]["payload"]["cumulativeAmount"].GetString(), "2000");
  EXPECT_EQ(ledger_.increments.size(), 1u);  // one voucher, sent twice

  // A second 402 in a row, or one offering other terms, is a refusal.
  side_.steps.push_back({expired});
  side_.steps.push_back({expired});
  auto again = Stream(json, {Need("2000", "5000")});  // the same channel, the voucher re-sent
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kPaymentRefusedByServer);
}

}  // namespace
}  // namespace mpp::protocol
