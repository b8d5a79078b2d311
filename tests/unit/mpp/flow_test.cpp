#include "mpp/flow.h"

#include <gtest/gtest.h>

#include "mpp/credential.h"
#include "support/flow_fakes.h"
#include "tempo/chains.h"
#include "tempo/transaction.h"
#include "util/base64url.h"
#include "util/hex.h"

#include <unistd.h>

namespace mpp::protocol {
namespace {

using testing::ChargeChallenge;
using testing::MemoryLedger;
using testing::Response;
using testing::ScriptedTransport;

constexpr const char* kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kPayer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kPathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::int64_t kNow = 1'900'000'000;

std::string Request(const std::string& amount, const std::string& extra_details = "") {
  return R"({"amount":")" + amount + R"(","currency":")" + kPathUsd + R"(","recipient":")" + kRecipient +
         R"(","methodDetails":{"chainId":42431)" + extra_details + "}}";
}

class PayFlowTest : public ::testing::Test {
 protected:
  PayFlowTest() {
    policy_.chain_id = tempo::kTestnetChainId;
    policy_.max_amount = U256(100'000);
    for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens) {
      policy_.known_currencies.push_back(tempo::TokenAddress(token));
    }
  }

  Result<FlowResult> Run() {
    FlowSettings settings{policy_, dump_path_, [] { return kNow; }};
    PayFlow flow(
        http_, nullptr, ledger_,
        [this]() -> Result<crypto::PrivateKey> {
          ++key_reads_;
          return *crypto::PrivateKey::FromBytes(*FromHex(kKey));
        },
        settings);
    net::HttpRequest request{"POST", "http://127.0.0.1:9/v1/chat/completions", {}, R"({"messages":[]})"};
    return flow.Perform(request, nullptr);
  }

  // The credential JSON the flow sent on its second request.
  std::string SentCredentialJson() {
    for (const auto& h : http_.requests.at(1).headers) {
      if (h.name == "Authorization") {
        auto json = DecodeBase64Url(std::string_view(h.value).substr(8));
        return std::string(json->begin(), json->end());
      }
    }
    return {};
  }

  void Offer(const std::string& header_value) {
    http_.steps.push_back({Response(402, {{"WWW-Authenticate", header_value}}), false, true});
  }

  // A Payment-Receipt header value for `reference`.
  static net::Header ReceiptHeader(const std::string& reference, const std::string& status = "success") {
    return {"Payment-Receipt",
            EncodeBase64Url(R"({"method":"tempo","status":")" + status +
                            R"(","timestamp":"2030-01-01T00:00:00Z","reference":")" + reference + R"("})")};
  }

  PayPolicy policy_;
  std::string dump_path_;
  ScriptedTransport http_;
  MemoryLedger ledger_;
  int key_reads_ = 0;
};

TEST_F(PayFlowTest, FreeResponsePassesThroughWithoutKeyOrJournal) {
  http_.steps.push_back({Response(200, {}, "hello"), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->response.body, "hello");
  EXPECT_FALSE(result->payment);
  EXPECT_EQ(key_reads_, 0);
  EXPECT_TRUE(ledger_.entries.empty());
}

TEST_F(PayFlowTest, PaysOnceAndRetriesWithIdenticalBody) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  http_.steps.push_back({Response(200, {}, "paid answer"), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.requests[0].body, http_.requests[1].body);
  EXPECT_EQ(http_.requests[0].url, http_.requests[1].url);
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");
  EXPECT_EQ(ledger_.entries[0].record.amount, U256(1000));
  EXPECT_EQ(ledger_.entries[0].record.challenge_id, "ch1");
  ASSERT_TRUE(result->payment);
  EXPECT_EQ(result->payment->tx_hash, ledger_.entries[0].record.tx_hash);

  bool has_idempotency_key = false;
  for (const auto& h : http_.requests[1].headers) has_idempotency_key |= h.name == "Idempotency-Key";
  EXPECT_TRUE(has_idempotency_key);
}

TEST_F(PayFlowTest, CredentialCarriesATransactionThatPaysTheRecipientFromThePayer) {
  Offer(ChargeChallenge("ch1", Request("1500")));
  http_.steps.push_back({Response(200), false, true});
  ASSERT_TRUE(Run().ok());
  std::string json = SentCredentialJson();
  auto start = json.find("\"signature\":\"") + 13;
  auto raw = FromHex(json.substr(start, json.find('"', start) - start));
  ASSERT_TRUE(raw);
  auto decoded = tempo::DecodeSignedTransaction(*raw);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->sender.ToChecksumHex(), kPayer);
  EXPECT_EQ(decoded->tx.chain_id, tempo::kTestnetChainId);
  EXPECT_EQ(decoded->tx.nonce_key, U256::Max());
  EXPECT_EQ(decoded->tx.valid_before, static_cast<std::uint64_t>(kNow + 25));
  ASSERT_EQ(decoded->tx.calls.size(), 1u);
  EXPECT_EQ(decoded->tx.calls[0].to.ToLowerHex(), kPathUsd);
  EXPECT_EQ(decoded->tx.fee_token->ToLowerHex(), kPathUsd);
  EXPECT_NE(json.find(std::string("did:pkh:eip155:42431:") + kPayer), std::string::npos);
}

TEST_F(PayFlowTest, RefusesOverCapWithoutSigningOrSending) {
  Offer(ChargeChallenge("ch1", Request("100001")));
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("--max-amount"), std::string::npos);
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(key_reads_, 0);
  EXPECT_TRUE(ledger_.entries.empty());
}

TEST_F(PayFlowTest, TheCapCountsTheFeeASelfPaidTransactionCanBurn) {
  // Without an RPC the transaction carries the defaults: up to 41,000 base units of fee.
  Offer(ChargeChallenge("ch1", Request("60000")));
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("plus a network fee of up to 0.041 pathUSD (0.101 in all)"),
            std::string::npos)
      << result.error().message;
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(ledger_.entries.empty());
}

TEST_F(PayFlowTest, TheJournalGetsTheFeeValidBeforeMemoAndPayer) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  http_.steps.push_back({Response(200, {}, "{}"), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(ledger_.entries.size(), 1u);
  const PaymentRecord& record = ledger_.entries[0].record;
  EXPECT_EQ(record.fee, U256(41'000));
  EXPECT_EQ(record.valid_before, static_cast<std::uint64_t>(kNow + 25));
  EXPECT_EQ(record.memo.size(), 66u);
  EXPECT_EQ(record.payer.ToChecksumHex(), kPayer);
  EXPECT_EQ(result->payment->fee, U256(41'000));
}

TEST_F(PayFlowTest, RefusesExpiredChallenge) {
  Offer(ChargeChallenge("ch1", Request("10"), "2020-01-01T00:00:00Z"));
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(PayFlowTest, RefusesWrongChain) {
  Offer(ChargeChallenge("ch1", R"({"amount":"10","currency":")" + std::string(kPathUsd) +
                                   R"(","recipient":")" + kRecipient +
                                   R"(","methodDetails":{"chainId":4217}})"));
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("--network"), std::string::npos);
}

TEST_F(PayFlowTest, A402WithoutChallengeIsRefusedLocally) {
  http_.steps.push_back({Response(402, {}, "pay me"), false, true});
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_TRUE(ledger_.entries.empty());
}

TEST_F(PayFlowTest, ServerRefusalAfterPaymentDoesNotPayAgain) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  Offer(ChargeChallenge("ch2", Request("1000")));  // a fresh challenge after the refusal
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedByServer);
  EXPECT_EQ(http_.requests.size(), 2u);
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "refused");
}

TEST_F(PayFlowTest, ConnectionLostAfterCredentialIsUnknownAndNetworkError) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  http_.steps.push_back({Response(0), true, true});
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kNetwork);
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "unknown");
  EXPECT_NE(result.error().message.find(ledger_.entries[0].record.tx_hash), std::string::npos);
}

TEST_F(PayFlowTest, BudgetRefusalSendsNothing) {
  ledger_.refuse = true;
  Offer(ChargeChallenge("ch1", Request("1000")));
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(PayFlowTest, ZeroAmountSendsAProof) {
  Offer(ChargeChallenge("ch1", Request("0")));
  http_.steps.push_back({Response(200), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_NE(SentCredentialJson().find("\"type\":\"proof\""), std::string::npos);
  EXPECT_EQ(result->payment->mode, "proof");
  EXPECT_FALSE(result->payment->moved_funds);
}

TEST_F(PayFlowTest, FeePayerSendsTheHandOffEnvelope) {
  Offer(ChargeChallenge("ch1", Request("1000", R"(,"feePayer":true)")));
  http_.steps.push_back({Response(200), false, true});
  ASSERT_TRUE(Run().ok());
  EXPECT_NE(SentCredentialJson().find("\"signature\":\"0x78"), std::string::npos);
}

TEST_F(PayFlowTest, PrefersTheServersOrderAmongAcceptableChallenges) {
  std::string over_cap = ChargeChallenge("expensive", Request("999999999"));
  std::string cheap = ChargeChallenge("cheap", Request("10"));
  Offer(over_cap + ", " + cheap);
  http_.steps.push_back({Response(200), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->payment->challenge_id, "cheap");
}

TEST_F(PayFlowTest, PlainHttpToARemoteHostIsRefused) {
  Offer(ChargeChallenge("ch1", Request("10")));
  FlowSettings settings{policy_, "", [] { return kNow; }};
  PayFlow flow(
      http_, nullptr, ledger_,
      []() -> Result<crypto::PrivateKey> { return *crypto::PrivateKey::FromBytes(*FromHex(kKey)); },
      settings);
  net::HttpRequest request{"POST", "http://example.com/v1/chat/completions", {}, "{}"};
  auto result = flow.Perform(request, nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_TRUE(ledger_.entries.empty());
}

// Servers that derive challenge ids from the request and a timestamp (mppx) can give parallel calls
// one id; the journal holds the first payment of it, and the flow asks for a fresh challenge.
TEST_F(PayFlowTest, AChallengeIdAlreadyPaidIsNotPaidAgainButAFreshOneIs) {
  PaymentRecord earlier;
  earlier.realm = "api.example.com";
  earlier.challenge_id = "paid-elsewhere";
  ledger_.entries.push_back({earlier, "settled", ""});
  Offer(ChargeChallenge("paid-elsewhere", Request("1000")));
  Offer(ChargeChallenge("fresh", Request("1000")));
  http_.steps.push_back({Response(200, {}, "paid answer"), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response.body, "paid answer");
  ASSERT_EQ(http_.requests.size(), 3u);  // probe, probe again, paid retry
  EXPECT_FALSE(http_.requests[1].send_once);
  EXPECT_TRUE(http_.requests[2].send_once);
  ASSERT_EQ(ledger_.entries.size(), 2u);
  EXPECT_EQ(ledger_.entries[1].record.challenge_id, "fresh");
  EXPECT_EQ(ledger_.entries[1].outcome, "settled");
}

TEST_F(PayFlowTest, AServerRepeatingAPaidChallengeIdIsRefusedLocallyAfterFourTries) {
  PaymentRecord earlier;
  earlier.realm = "api.example.com";
  earlier.challenge_id = "stuck";
  ledger_.entries.push_back({earlier, "settled", ""});
  for (int i = 0; i < 4; ++i) Offer(ChargeChallenge("stuck", Request("1000")));
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("the server sent the same id 4 times; nothing was paid again"),
            std::string::npos)
      << result.error().message;
  EXPECT_EQ(http_.requests.size(), 4u);  // four probes, no credential
  for (const auto& request : http_.requests) EXPECT_FALSE(request.send_once);
  EXPECT_EQ(ledger_.entries.size(), 1u);
}

TEST_F(PayFlowTest, AReceiptForTheSignedTransactionIsTakenAndJournaled) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  http_.steps.push_back({Response(200), false, true});
  ASSERT_TRUE(Run().ok());
  const std::string hash = ledger_.entries[0].record.tx_hash;  // signing is deterministic (kNow)
  ledger_.entries.clear();
  http_.requests.clear();
  Offer(ChargeChallenge("ch1", Request("1000")));
  http_.steps.push_back({Response(200, {ReceiptHeader(hash)}), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].record.tx_hash, hash);
  EXPECT_EQ(ledger_.entries[0].detail, hash);
  EXPECT_EQ(ledger_.entries[0].note, "");
  ASSERT_TRUE(result->payment && result->payment->receipt);
}

TEST_F(PayFlowTest, AReceiptForAnotherTransactionIsReportedNotTrusted) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  http_.steps.push_back({Response(200, {ReceiptHeader("0x" + std::string(64, 'b'))}), false, true});
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().message;  // the answer came; only the receipt is wrong
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");
  // Its reference is not taken: the journal keeps the hash mpp signed, as without a receipt.
  EXPECT_EQ(ledger_.entries[0].detail, ledger_.entries[0].record.tx_hash);
  EXPECT_NE(
      ledger_.entries[0].note.find("receipt not trusted: the server's Payment-Receipt does not match the "
                                   "payment: its reference '0x" +
                                   std::string(64, 'b') + "' is not the transaction mpp signed (" +
                                   ledger_.entries[0].record.tx_hash + ")"),
      std::string::npos)
      << ledger_.entries[0].note;
  ASSERT_TRUE(result->payment);
  EXPECT_FALSE(result->payment->receipt);
  EXPECT_EQ(result->payment->tx_hash, ledger_.entries[0].record.tx_hash);
}

TEST_F(PayFlowTest, AFailedReceiptStatusIsNotTrustedEvenWhenSponsored) {
  Offer(ChargeChallenge("ch1", Request("1000", R"(,"feePayer":true)")));
  http_.steps.push_back({Response(200, {ReceiptHeader("0x" + std::string(64, 'c'), "failed")}), false, true});
  ASSERT_TRUE(Run().ok());
  EXPECT_NE(ledger_.entries.at(0).note.find("its status is 'failed'"), std::string::npos);
  EXPECT_EQ(ledger_.entries[0].detail, "");  // sponsored: the final hash is unknown
}

TEST_F(PayFlowTest, AnAnswerCutAtTheSizeLimitIsSettledWithANoteAndANetworkError) {
  Offer(ChargeChallenge("ch1", Request("1000")));
  ScriptedTransport::Step cut{Response(200), true, true, true};  // no receipt header at all
  http_.steps.push_back(cut);
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(result.error().message.find("--max-response raises the limit"), std::string::npos)
      << result.error().message;
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");
  EXPECT_EQ(ledger_.entries[0].note, "answer cut off: the answer is larger than 64 bytes");
}

TEST_F(PayFlowTest, AnExistingDumpCredentialPathIsRefusedAndNothingIsSent) {
  char path[] = "/tmp/mpp-flow-dump-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  dump_path_ = path;
  Offer(ChargeChallenge("ch1", Request("1000")));
  auto result = Run();
  ::unlink(path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(result.error().message.find("must not exist yet"), std::string::npos) << result.error().message;
  EXPECT_EQ(http_.requests.size(), 1u);  // the probe only
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "refused");
}

}  // namespace
}  // namespace mpp::protocol
