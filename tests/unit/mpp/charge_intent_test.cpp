// The charge intent on its own, without the flow: what it signs for each mode and how the prepared
// payment accounts for itself (the receipt it expects, the reference it reports, the summary).
#include "mpp/charge_intent.h"

#include <gtest/gtest.h>

#include "mpp/credential.h"
#include "support/flow_fakes.h"
#include "tempo/chains.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

constexpr const char* kIntentKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kIntentPayer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kIntentRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kIntentPathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::int64_t kIntentNow = 1'900'000'000;

class ChargeIntentTest : public ::testing::Test {
 protected:
  ChargeIntentTest() {
    policy_.chain_id = tempo::kTestnetChainId;
    policy_.max_amount = U256(100'000);
    for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens)
      policy_.known_currencies.push_back(tempo::TokenAddress(token));
  }

  // The verdict for a challenge asking `amount` with extra methodDetails.
  ChallengeVerdict Verdict(const std::string& amount, const std::string& details = "") {
    std::string json = R"({"amount":")" + amount + R"(","currency":")" + kIntentPathUsd +
                       R"(","recipient":")" + kIntentRecipient + R"(","methodDetails":{"chainId":42431)" +
                       details + "}}";
    std::string header = testing::ChargeChallenge("ch-1", json);
    std::vector<std::string_view> values{header};
    auto verdicts = EvaluateChallenges(ParseChallenges(values).challenges, policy_, kIntentNow);
    EXPECT_EQ(verdicts.size(), 1u);
    return verdicts.at(0);
  }

  Result<std::unique_ptr<PreparedPayment>> Prepare(const ChallengeVerdict& verdict) {
    KeySource keys = [this]() -> Result<crypto::PrivateKey> {
      ++key_reads_;
      return *crypto::PrivateKey::FromBytes(*FromHex(kIntentKey));
    };
    FlowSettings settings{policy_, "", [] { return kIntentNow; }};
    IntentContext context{nullptr, keys, settings};
    net::HttpRequest request{"POST", "https://api.example.com/v1/chat/completions", {}, "{}"};
    return ChargeIntent().Prepare(verdict, request, context);
  }

  // The credential's payload type ("transaction", "hash", "proof").
  static std::string PayloadType(const PreparedPayment& payment) {
    auto credential = payment.Credential();
    EXPECT_TRUE(credential.ok());
    auto json = DecodeBase64Url(std::string_view(credential->str()).substr(8));
    std::string text(json->begin(), json->end());
    auto at = text.find(R"("type":")");
    if (at == std::string::npos) return "";
    at += 8;
    return text.substr(at, text.find('"', at) - at);
  }

  PayPolicy policy_;
  int key_reads_ = 0;
};

TEST_F(ChargeIntentTest, APullChargeSignsATransactionWhoseHashTheReceiptMustName) {
  auto verdict = Verdict("1000");
  ASSERT_TRUE(verdict.acceptable) << verdict.reason;
  auto prepared = Prepare(verdict);
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  const PreparedPayment& p = **prepared;
  EXPECT_EQ(key_reads_, 1);
  EXPECT_EQ(p.record.mode, "pull");
  EXPECT_EQ(p.record.payer.ToChecksumHex(), kIntentPayer);
  EXPECT_EQ(p.record.amount, U256(1000));
  ASSERT_EQ(p.record.tx_hash.size(), 66u);
  EXPECT_FALSE(p.record.fee.IsZero());  // self-paid: the default fee ceiling is counted
  Receipt other;
  other.status = "success";
  other.method = "tempo";
  other.reference = "0x" + std::string(64, 'c');
  EXPECT_TRUE(p.ReceiptMismatch(other, "").has_value());  // another transaction's hash
  other.reference = p.record.tx_hash;
  EXPECT_FALSE(p.ReceiptMismatch(other, "").has_value());
  EXPECT_EQ(PayloadType(p), "transaction");
  EXPECT_EQ(p.Reference(nullptr), p.record.tx_hash);
  EXPECT_NE(p.StakeText().find("+ network fee up to"), std::string::npos);
  PaymentSummary summary = p.Summarize(std::nullopt);
  EXPECT_TRUE(summary.moved_funds);
  EXPECT_FALSE(summary.fee_by_service);
  EXPECT_EQ(summary.tx_hash, p.record.tx_hash);
}

TEST_F(ChargeIntentTest, ASponsoredChargeExpectsNoHashAndTakesTheReceiptsReference) {
  auto verdict = Verdict("1000", R"(,"feePayer":true)");
  ASSERT_TRUE(verdict.acceptable) << verdict.reason;
  auto prepared = Prepare(verdict);
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  const PreparedPayment& p = **prepared;
  EXPECT_EQ(p.record.mode, "pull, fee payer");
  EXPECT_TRUE(p.record.tx_hash.empty());
  EXPECT_TRUE(p.record.fee.IsZero());
  Receipt final_hash;
  final_hash.status = "success";
  final_hash.method = "tempo";
  final_hash.reference = "0x" + std::string(64, 'd');  // the sponsor's re-signed transaction
  EXPECT_FALSE(p.ReceiptMismatch(final_hash, "").has_value());
  final_hash.status = "failed";
  EXPECT_TRUE(p.ReceiptMismatch(final_hash, "").has_value());
  EXPECT_EQ(PayloadType(p), "transaction");
  Receipt receipt;
  receipt.status = "success";
  receipt.method = "tempo";
  receipt.reference = "0x" + std::string(64, 'b');
  EXPECT_EQ(p.Reference(&receipt), receipt.reference);
  EXPECT_EQ(p.Reference(nullptr), "");
  PaymentSummary summary = p.Summarize(receipt);
  EXPECT_TRUE(summary.fee_by_service);
  EXPECT_EQ(summary.tx_hash, receipt.reference);
}

TEST_F(ChargeIntentTest, AZeroChargeIsAProofThatMovesNothing) {
  auto verdict = Verdict("0");
  ASSERT_TRUE(verdict.acceptable) << verdict.reason;
  auto prepared = Prepare(verdict);
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  const PreparedPayment& p = **prepared;
  EXPECT_EQ(p.record.mode, "proof");
  EXPECT_TRUE(p.record.tx_hash.empty());
  EXPECT_EQ(PayloadType(p), "proof");
  Receipt receipt;
  receipt.status = "success";
  receipt.method = "tempo";
  receipt.reference = "ch-1";
  PaymentSummary summary = p.Summarize(receipt);
  EXPECT_FALSE(summary.moved_funds);
  EXPECT_TRUE(summary.tx_hash.empty());  // a proof's receipt names the challenge, not a transaction
}

TEST_F(ChargeIntentTest, APushChargeWithoutAnRpcIsRefusedBeforeSendingAndJournaledSo) {
  auto verdict = Verdict("1000", R"(,"supportedModes":["push"])");
  ASSERT_TRUE(verdict.acceptable) << verdict.reason;
  auto prepared = Prepare(verdict);
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  PreparedPayment& p = **prepared;
  EXPECT_EQ(p.record.mode, "push");
  EXPECT_EQ(PayloadType(p), "hash");
  testing::MemoryLedger ledger;
  auto id = ledger.RecordSigned(p.record);
  ASSERT_TRUE(id.ok());
  p.payment_id = *id;
  KeySource keys;
  FlowSettings settings{policy_, "", [] { return kIntentNow; }};
  IntentContext context{nullptr, keys, settings};
  auto ready = p.BeforeSend(context, ledger);
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(ledger.entries.at(0).outcome, "refused");
  EXPECT_EQ(ledger.entries.at(0).detail, "not broadcast: no RPC");
}

TEST_F(ChargeIntentTest, AVerdictWithoutChargeTermsIsACallerBugNotAPayment) {
  ChallengeVerdict verdict;
  verdict.challenge.intent = "charge";
  verdict.acceptable = true;
  auto prepared = Prepare(verdict);
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.error().kind, ErrorKind::kUnexpected);
  EXPECT_EQ(key_reads_, 0);
}

}  // namespace
}  // namespace mpp::protocol
